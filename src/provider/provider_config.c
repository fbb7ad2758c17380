/* provider_config.c - the provider block: ValidateProviderConfig and ConfigureProvider. */
#include <stdio.h>
#include <string.h>

#include "hwims/config.h"
#include "prov_ops.h"

static const char *const endpoint_keys[HWIMS_SVC_COUNT] = {"ims", "iam", "eps"};

/* Known string attribute of the config, else NULL (null and unknown alike). */
static const char *cfg_str(const prov_value *cfg, const char *name)
{
	return prov_value_str(prov_value_attr(cfg, name));
}

/* The service an endpoints key names, or -1. */
static int endpoint_service(const char *key)
{
	for (int s = 0; s < HWIMS_SVC_COUNT; s++) {
		if (strcmp(key, endpoint_keys[s]) == 0)
			return s;
	}
	return -1;
}

/* Check each known endpoint on its own, so that a problem is reported against its key. */
static void validate_endpoints(const prov_value *ep, prov_diags *d)
{
	if (!ep || ep->state != PROV_KNOWN)
		return;
	for (size_t i = 0; i < ep->u.coll.n; i++) {
		const char *key = ep->u.coll.keys[i];
		char path[200];
		snprintf(path, sizeof(path), "endpoints[\"%.64s\"]", key);
		int svc = endpoint_service(key);
		if (svc < 0) {
			prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
			              "Unsupported endpoint service",
			              "endpoints keys must be \"ims\", \"iam\" or \"eps\".", path);
			continue;
		}
		const char *url = prov_value_str(ep->u.coll.items[i]);
		if (!url)
			continue;
		hwims_config_args one;
		hwims_config_args_init(&one);
		one.endpoints[svc] = url;
		hwims_config c;
		hwims_error err;
		if (hwims_config_load(&c, &one, NULL, &err) != 0)
			prov_diag_from_error(d, "Invalid endpoint", &err, path);
		else
			hwims_config_free(&c);
	}
}

/*
 * Check what can be checked in a provider configuration: unknown values are skipped (they are
 * normal at validate time), and libhwims' own loader runs over the known settings without the
 * environment so a problem is reported against the attribute that has it.
 */
void prov_provider_validate_config(const prov_op *op, const prov_value *cfg)
{
	prov_diags *d = op->d;
	const prov_value *mr = prov_value_attr(cfg, "max_retries");
	if (mr && mr->state == PROV_KNOWN) {
		int64_t n;
		if (prov_number_int64(&mr->u.num, &n) != 0 || n < 0 || n > HWIMS_MAX_MAX_RETRIES)
			prov_diag_add(
			    d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid max_retries",
			    "max_retries must be a whole number from 0 to 20.", "max_retries");
	}
	validate_endpoints(prov_value_attr(cfg, "endpoints"), d);
	hwims_config_args args;
	hwims_config_args_init(&args);
	args.cloud = cfg_str(cfg, "cloud");
	hwims_config c;
	hwims_error err;
	if (hwims_config_load(&c, &args, NULL, &err) != 0)
		prov_diag_from_error(d, "Invalid provider configuration", &err, "cloud");
	else
		hwims_config_free(&c);
}

static void config_args_from(const prov_value *cfg, hwims_config_args *a)
{
	hwims_config_args_init(a);
	a->region = cfg_str(cfg, "region");
	a->access_key = cfg_str(cfg, "access_key");
	a->secret_key = cfg_str(cfg, "secret_key");
	a->security_token = cfg_str(cfg, "security_token");
	a->project_id = cfg_str(cfg, "project_id");
	a->cloud = cfg_str(cfg, "cloud");
	a->enterprise_project_id = cfg_str(cfg, "enterprise_project_id");
	const prov_value *ep = prov_value_attr(cfg, "endpoints");
	for (size_t i = 0; ep && ep->state == PROV_KNOWN && i < ep->u.coll.n; i++) {
		int s = endpoint_service(ep->u.coll.keys[i]);
		if (s >= 0)
			a->endpoints[s] = prov_value_str(ep->u.coll.items[i]);
	}
	const prov_value *ins = prov_value_attr(cfg, "insecure");
	if (ins && ins->state == PROV_KNOWN)
		a->insecure = ins->u.b;
	const prov_value *mr = prov_value_attr(cfg, "max_retries");
	int64_t n;
	if (mr && mr->state == PROV_KNOWN && prov_number_int64(&mr->u.num, &n) == 0 && n >= 0 &&
	    n <= HWIMS_MAX_MAX_RETRIES)
		a->max_retries = (int)n;
}

void prov_provider_configure(const prov_op *op, const prov_value *cfg,
                             const char *terraform_version)
{
	prov_provider *p = op->p;
	/* Unknown settings (possible while planning) count as unset: the environment and the
	   defaults fill in, as they would for an omitted argument. */
	hwims_config_args args;
	config_args_from(cfg, &args);
	hwims_config c;
	hwims_error err;
	if (hwims_config_load(&c, &args, p->envp, &err) != 0) {
		prov_diag_from_error(op->d, "Invalid provider configuration", &err, NULL);
		return;
	}
	hwims_client *client = NULL;
	if (hwims_client_new(&client, &c, &p->copts, &err) != 0) {
		prov_diag_from_error(op->d, "Cannot configure the huaweicloud provider", &err,
		                     NULL);
	} else if (prov_provider_set_client(p, client) != 0) {
		hwims_client_free(client);
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Cannot configure the huaweicloud provider", "out of memory", NULL);
	} else {
		prov_logf(p->log, HWIMS_LOG_INFO, "configured: terraform %s, region %s",
		          terraform_version, c.region ? c.region : "(none)");
	}
	hwims_config_free(&c);
}
