/* provider_config.c - the provider block: ValidateProviderConfig and ConfigureProvider. */
#include <limits.h>
#include <stddef.h>
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

/* The string arguments of the block and the hwims_config_args fields they fill. */
static const struct {
	const char *name;
	size_t offset;
} string_args[] = {
    {"region", offsetof(hwims_config_args, region)},
    {"access_key", offsetof(hwims_config_args, access_key)},
    {"secret_key", offsetof(hwims_config_args, secret_key)},
    {"security_token", offsetof(hwims_config_args, security_token)},
    {"project_id", offsetof(hwims_config_args, project_id)},
    {"cloud", offsetof(hwims_config_args, cloud)},
    {"enterprise_project_id", offsetof(hwims_config_args, enterprise_project_id)},
    {"project_name", offsetof(hwims_config_args, project_name)},
    {"domain_id", offsetof(hwims_config_args, domain_id)},
    {"domain_name", offsetof(hwims_config_args, domain_name)},
    {"auth_url", offsetof(hwims_config_args, auth_url)},
    {"shared_config_file", offsetof(hwims_config_args, shared_config_file)},
    {"profile", offsetof(hwims_config_args, profile)},
};

#define N_STRING_ARGS (sizeof(string_args) / sizeof(string_args[0]))

static const char **string_field(hwims_config_args *a, size_t i)
{
	return (const char **)((char *)a + string_args[i].offset);
}

static void assume_role_from(const prov_value *cfg, hwims_config_args *a)
{
	const prov_value *ar = assume_role_block(cfg);
	if (!ar)
		return;
	a->assume_agency_name = cfg_str(ar, "agency_name");
	a->assume_domain_name = cfg_str(ar, "domain_name");
	a->assume_domain_id = cfg_str(ar, "domain_id");
	const prov_value *du = prov_value_attr(ar, "duration");
	int64_t secs;
	if (du && du->state == PROV_KNOWN && prov_number_int64(&du->u.num, &secs) == 0)
		a->assume_duration = secs < 0 ? 0 : secs > INT_MAX ? INT_MAX : (int)secs;
}

/* libhwims' loader over a with the environment env (only what expands a path, see
   validate_settings): on error, a diagnostic on path. */
static int load_checks(const hwims_config_args *a, char *const *env, const char *path,
                       prov_diags *d)
{
	hwims_config c;
	hwims_error err;
	if (hwims_config_load(&c, a, env, &err) != 0) {
		prov_diag_from_error(d, "Invalid provider configuration", &err, path);
		return -1;
	}
	hwims_config_free(&c);
	return 0;
}

/* Each setting on its own, so that a problem is reported against the argument that has it,
   then all of them together for what only a combination can get wrong. */
static void validate_settings(const prov_value *cfg, char *const *envp, prov_diags *d)
{
	/* HW_* variables stay out, so that a problem is the configuration's; HOME goes in, so that
	   the official "~/.hcloud/config.json" is the file the provider will read. */
	char *home[2] = {NULL, NULL};
	for (size_t i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], "HOME=", 5) == 0)
			home[0] = envp[i];
	hwims_config_args one;
	int bad = 0;
	for (size_t i = 0; i < N_STRING_ARGS; i++) {
		hwims_config_args_init(&one);
		*string_field(&one, i) = cfg_str(cfg, string_args[i].name);
		const char *path = string_args[i].name;
		/* The file is read with the profile it is configured with, not its current one; a
		   problem of that profile is reported on "profile" (the loader's own attribute). */
		if (strcmp(path, "shared_config_file") == 0 &&
		    (one.profile = cfg_str(cfg, "profile")) != NULL)
			path = NULL;
		if (*string_field(&one, i))
			bad |= load_checks(&one, home, path, d);
	}
	hwims_config_args_init(&one);
	assume_role_from(cfg, &one);
	bad |= load_checks(&one, home, "assume_role", d);
	if (bad)
		return;
	/* The endpoints were checked one by one, against their keys. */
	hwims_config_args all;
	config_args_from(cfg, &all, 0);
	load_checks(&all, home, NULL, d);
}

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
	validate_settings(cfg, op->p->envp, d);
}

static void config_args_from(const prov_value *cfg, hwims_config_args *a, int endpoints)
{
	hwims_config_args_init(a);
	for (size_t i = 0; i < N_STRING_ARGS; i++)
		*string_field(a, i) = cfg_str(cfg, string_args[i].name);
	assume_role_from(cfg, a);
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
	} else if (prov_provider_set_tag_rules(p, cfg, &err) != 0) {
		hwims_client_free(client);
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
