/* provider_config.c - the provider block: ValidateProviderConfig and ConfigureProvider. */
#include <limits.h>
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
			/* A block copied from a configuration for the official provider names the
			   endpoints of every service it uses; those are not wrong, only unused. */
			prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING,
			              "Endpoint not used by this provider",
			              "This provider calls only the \"ims\", \"iam\" and \"eps\" "
			              "endpoints; this one is ignored.",
			              path);
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

/* 1 when v is set: known and not null, a non-empty string, a non-empty block list. An empty
   string counts as unset, as it does for the official provider. */
static int arg_is_set(const prov_value *v)
{
	if (!v || v->state != PROV_KNOWN)
		return 0;
	const char *str = prov_value_str(v);
	if (str)
		return str[0] != '\0';
	if (v->type->kind == PROV_T_LIST || v->type->kind == PROV_T_MAP)
		return v->u.coll.n > 0;
	return 1;
}

/* An error for each argument of the official provider that this one does not implement and the
   configuration sets, naming it and what to use instead. */
static void reject_unimplemented(const prov_value *cfg, prov_diags *d)
{
	size_t n;
	const prov_provider_arg *args = prov_provider_args(&n);
	for (size_t i = 0; i < n; i++) {
		if (args[i].support != PROV_ARG_REJECTED ||
		    !arg_is_set(prov_value_attr(cfg, args[i].name)))
			continue;
		char summary[128], detail[600];
		snprintf(summary, sizeof(summary), "Unsupported argument %s", args[i].name);
		snprintf(detail, sizeof(detail),
		         "This provider does not implement \"%s\" of the official huaweicloud "
		         "provider: %s.",
		         args[i].name, args[i].instead);
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, summary, detail,
		              args[i].name);
	}
	const char *alg = cfg_str(cfg, "signing_algorithm");
	if (alg && alg[0] && strcmp(alg, "HmacSHA256") != 0)
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Unsupported signing_algorithm",
		              "This provider signs requests with HmacSHA256 only; remove "
		              "signing_algorithm or set it to \"HmacSHA256\".",
		              "signing_algorithm");
}

/* The official provider's environment variables for arguments this provider does not
   implement. They are not read; one that is set gets a warning, since a user relying on it
   would otherwise see only that credentials are missing. */
static const char *const ignored_env[][2] = {
    {"HW_USER_NAME", "user_name"},
    {"HW_USER_ID", "user_id"},
    {"HW_USER_PASSWORD", "password"},
    {"HW_AUTH_TOKEN", "token"},
    {"HW_SIGNING_ALGORITHM", "signing_algorithm"},
};

static void warn_ignored_env(char *const *envp, prov_diags *d)
{
	for (size_t i = 0; envp && envp[i]; i++) {
		for (size_t k = 0; k < sizeof(ignored_env) / sizeof(ignored_env[0]); k++) {
			size_t len = strlen(ignored_env[k][0]);
			if (strncmp(envp[i], ignored_env[k][0], len) != 0 || envp[i][len] != '=' ||
			    envp[i][len + 1] == '\0')
				continue;
			char detail[600];
			const prov_provider_arg *a = prov_provider_arg_find(ignored_env[k][1]);
			snprintf(detail, sizeof(detail),
			         "%s is set but this provider does not read it: %s.",
			         ignored_env[k][0],
			         a && a->instead ? a->instead
			                         : "only HmacSHA256 signing is implemented");
			prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING,
			              "Environment variable not used", detail, NULL);
		}
	}
}

/* The one assume_role block, or NULL. */
static const prov_value *assume_role_block(const prov_value *cfg)
{
	const prov_value *l = prov_value_attr(cfg, "assume_role");
	if (!l || l->state != PROV_KNOWN || l->u.coll.n == 0)
		return NULL;
	return l->u.coll.items[0];
}

static void config_args_from(const prov_value *cfg, hwims_config_args *a, int endpoints);

/*
 * Check what can be checked in a provider configuration: unknown values are skipped (they are
 * normal at validate time), and libhwims' own loader runs over the known settings without the
 * environment so a problem is reported against the attribute that has it.
 */
void prov_provider_validate_config(const prov_op *op, const prov_value *cfg)
{
	prov_diags *d = op->d;
	reject_unimplemented(cfg, d);
	const prov_value *mr = prov_value_attr(cfg, "max_retries");
	if (mr && mr->state == PROV_KNOWN) {
		int64_t n;
		if (prov_number_int64(&mr->u.num, &n) != 0 || n < 0 || n > HWIMS_MAX_MAX_RETRIES)
			prov_diag_add(
			    d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid max_retries",
			    "max_retries must be a whole number from 0 to 20.", "max_retries");
	}
	validate_endpoints(prov_value_attr(cfg, "endpoints"), d);
	/* The endpoints were checked one by one above, against their keys. */
	hwims_config_args args;
	config_args_from(cfg, &args, 0);
	hwims_config c;
	hwims_error err;
	if (hwims_config_load(&c, &args, NULL, &err) != 0)
		prov_diag_from_error(d, "Invalid provider configuration", &err, NULL);
	else
		hwims_config_free(&c);
}

static void config_args_from(const prov_value *cfg, hwims_config_args *a, int endpoints)
{
	hwims_config_args_init(a);
	a->region = cfg_str(cfg, "region");
	a->access_key = cfg_str(cfg, "access_key");
	a->secret_key = cfg_str(cfg, "secret_key");
	a->security_token = cfg_str(cfg, "security_token");
	a->project_id = cfg_str(cfg, "project_id");
	a->cloud = cfg_str(cfg, "cloud");
	a->enterprise_project_id = cfg_str(cfg, "enterprise_project_id");
	a->project_name = cfg_str(cfg, "project_name");
	a->domain_id = cfg_str(cfg, "domain_id");
	a->domain_name = cfg_str(cfg, "domain_name");
	a->auth_url = cfg_str(cfg, "auth_url");
	a->shared_config_file = cfg_str(cfg, "shared_config_file");
	a->profile = cfg_str(cfg, "profile");
	const prov_value *ar = assume_role_block(cfg);
	if (ar) {
		a->assume_agency_name = cfg_str(ar, "agency_name");
		a->assume_domain_name = cfg_str(ar, "domain_name");
		a->assume_domain_id = cfg_str(ar, "domain_id");
		const prov_value *du = prov_value_attr(ar, "duration");
		int64_t secs;
		if (du && du->state == PROV_KNOWN && prov_number_int64(&du->u.num, &secs) == 0)
			a->assume_duration = secs < 0 ? 0 : secs > INT_MAX ? INT_MAX : (int)secs;
	}
	const prov_value *ep = prov_value_attr(cfg, "endpoints");
	for (size_t i = 0; endpoints && ep && ep->state == PROV_KNOWN && i < ep->u.coll.n; i++) {
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
	/* What was unknown at validate time is known now: refuse what this provider does not
	   implement before it could be silently ignored. */
	reject_unimplemented(cfg, op->d);
	if (op->d->errors)
		return;
	warn_ignored_env(p->envp, op->d);
	hwims_config_args args;
	config_args_from(cfg, &args, 1);
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
