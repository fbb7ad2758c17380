/* Every way a client gets its credentials, against imsd: static keys, temporary keys with their
 * security token, the Huawei Cloud CLI's shared configuration file (static, temporary and
 * agency profiles, and its errors), assume_role, the ECS metadata service, project_name and
 * auth_url; and a copy that outlives the credentials it started with, on several threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>

#include "wf_support.h"

#define TEMP_AK    "HWIMSTEMPACCESSKEY03"
#define TEMP_SK    "hwimsTempSecretKey0123456789abcdefghijklm"
#define TEMP_TOKEN "hwims-demo-security-token-valid-until-2099"
#define OLD_AK     "HWIMSEXPIREDACCESS04"
#define OLD_SK     "hwimsExpiredSecretKey0123456789abcdefghij"
#define OLD_TOKEN  "hwims-demo-security-token-expired-2020"
#define DOMAIN     "hwims-demo"
#define MAX_ENV    24

typedef struct auth_env {
	hwims_test_imsd imsd;
	char *dir; /* scratch directory: shared config files */
} auth_env;

/* A configuration for imsd at base with the endpoints (the IAM one unless no_iam), the region,
   and the settings extra (NULL-terminated "NAME=value"; no key is set otherwise). */
static int load(const char *base, int no_iam, const char *const *extra, hwims_config *cfg,
                hwims_error *err)
{
	static char ims[200], iam[200], eps[200];
	snprintf(ims, sizeof(ims), "HW_IMS_ENDPOINT=%s/{region}/", base);
	snprintf(iam, sizeof(iam), "HW_IAM_ENDPOINT=%s/iam/", base);
	snprintf(eps, sizeof(eps), "HW_EPS_ENDPOINT=%s/eps/", base);
	/* The first of two settings of one name counts: the extras go first. */
	char *envp[MAX_ENV];
	size_t n = 0;
	for (size_t i = 0; extra && extra[i] && n + 6 < MAX_ENV; i++)
		envp[n++] = (char *)extra[i];
	envp[n++] = "HW_REGION_NAME=" WF_REGION;
	envp[n++] = ims;
	envp[n++] = eps;
	if (!no_iam)
		envp[n++] = iam;
	/* Nothing of the machine's own metadata service. */
	envp[n++] = "HWIMS_METADATA_URL=http://127.0.0.1:9/";
	envp[n] = NULL;
	hwims_config_args args;
	hwims_config_args_init(&args);
	return hwims_config_load(cfg, &args, envp, err);
}

/* A client as load configures it, or -1 with err. */
static int client(const char *base, int no_iam, const char *const *extra, hwims_client **c,
                  hwims_error *err)
{
	hwims_config cfg;
	*c = NULL;
	if (load(base, no_iam, extra, &cfg, err) != 0)
		return -1;
	hwims_client_options o;
	memset(&o, 0, sizeof(o));
	o.backoff_base_ms = 5;
	o.backoff_max_ms = 20;
	o.connect_timeout_ms = 2000;
	int rc = hwims_client_new(c, &cfg, &o, err);
	hwims_config_free(&cfg);
	return rc;
}

/* List the private images of WF_REGION through c: a project lookup at IAM and a signed IMS
   call. 0, or -1 with err. */
static int list(hwims_client *c, hwims_error *err)
{
	hwims_image **imgs = NULL;
	size_t n = 0;
	if (hwims_image_list(c, NULL, NULL, NULL, &imgs, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		hwims_image_free(imgs[i]);
	free(imgs);
	return 0;
}

/* A client configured with extra that lists images; fails the test otherwise. */
static hwims_client *works(auth_env *env, const char *const *extra)
{
	hwims_client *c;
	hwims_error err;
	if (client(env->imsd.base_url, 0, extra, &c, &err) != 0)
		fail_msg("client: %s", err.message);
	if (list(c, &err) != 0)
		fail_msg("listing: %s", err.message);
	return c;
}

/* The error of listing with a client configured with extra (creating it may fail already). */
static void fails(auth_env *env, const char *const *extra, hwims_error *err)
{
	hwims_client *c = NULL;
	if (client(env->imsd.base_url, 0, extra, &c, err) == 0) {
		assert_int_not_equal(list(c, err), 0);
		hwims_client_free(c);
	}
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" does not contain \"%s\"", text, part);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("\"%s\" contains \"%s\"", text, part);
}

/* A seed: the default one with the security_tokens settings st (a JSON object text). */
static char *write_seed(const char *dir, const char *st)
{
	char *src = hwims_test_data_path("../../src/imsd/default_seed.json");
	json_t *root = json_load_file(src, 0, NULL);
	free(src);
	assert_non_null(root);
	json_object_set_new(root, "security_tokens", json_loads(st, 0, NULL));
	char path[512];
	snprintf(path, sizeof(path), "%s/seed.json", dir);
	assert_int_equal(json_dump_file(root, path, 0), 0);
	json_decref(root);
	return strdup(path);
}

static int setup(void **state)
{
	static auth_env env;
	memset(&env, 0, sizeof(env));
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0) {
		*state = NULL;
		return 0;
	}
	env.dir = hwims_test_mkdtemp("hwims-auth");
	if (!env.dir)
		return -1;
	/* Credentials of the metadata service and of agencies live 40 emulated seconds (0.4 s at
	   this time scale) when asked for that, so a copy outlives several sets. */
	char *seed = write_seed(env.dir, "{\"min_duration_seconds\": 40, "
	                                 "\"metadata_duration_seconds\": 40}");
	const char *args[] = {"--seed", seed, "--admin", NULL};
	int rc = hwims_test_imsd_start(&env.imsd, NULL, 100, args);
	free(seed);
	if (rc != 0)
		return -1;
	*state = &env;
	return 0;
}

static int teardown(void **state)
{
	auth_env *env = *state;
	if (!env)
		return 0;
	hwims_test_imsd_stop(&env->imsd);
	hwims_test_rmtree(env->dir);
	free(env->dir);
	return 0;
}

static auth_env *env_or_skip(void **state)
{
	if (!*state) {
		print_message("imsd is not built: skipping\n");
		skip();
	}
	return *state;
}

static void test_static_keys(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const keys[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK, NULL};
	hwims_client *c = works(env, keys);
	assert_int_equal(hwims_client_credential_fetches(c), 0);
	hwims_client_free(c);

	hwims_error err;
	const char *const wrong[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=not-the-secret", NULL};
	fails(env, wrong, &err);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, "APIGW.0301");
	assert_lacks(err.message, "not-the-secret");

	const char *const half[] = {"HW_ACCESS_KEY=" WF_AK, NULL};
	fails(env, half, &err);
	assert_string_equal(err.attribute, "secret_key");
}

static void test_temporary_keys_and_token(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const temp[] = {"HW_ACCESS_KEY=" TEMP_AK, "HW_SECRET_KEY=" TEMP_SK,
	                            "HW_SECURITY_TOKEN=" TEMP_TOKEN, NULL};
	hwims_client_free(works(env, temp));

	/* Without its token a temporary key is unknown; with another's token it is refused. */
	hwims_error err;
	const char *const no_token[] = {"HW_ACCESS_KEY=" TEMP_AK, "HW_SECRET_KEY=" TEMP_SK, NULL};
	fails(env, no_token, &err);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, "APIGW.0301");
	const char *const foreign[] = {"HW_ACCESS_KEY=" TEMP_AK, "HW_SECRET_KEY=" TEMP_SK,
	                               "HW_SECURITY_TOKEN=" OLD_TOKEN, NULL};
	fails(env, foreign, &err);
	assert_string_equal(err.code, "APIGW.0301");
	assert_has(err.message, "security token does not belong to the access key");
	/* A permanent key does not take a token either. */
	const char *const perm[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                            "HW_SECURITY_TOKEN=" TEMP_TOKEN, NULL};
	fails(env, perm, &err);
	assert_string_equal(err.code, "APIGW.0301");

	/* Expired temporary credentials get the gateway's answer, and no secret is repeated. */
	const char *const old[] = {"HW_ACCESS_KEY=" OLD_AK, "HW_SECRET_KEY=" OLD_SK,
	                           "HW_SECURITY_TOKEN=" OLD_TOKEN, NULL};
	fails(env, old, &err);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, "APIGW.0307");
	assert_has(err.message, "expired");
	assert_lacks(err.message, OLD_TOKEN);
	assert_lacks(err.message, OLD_SK);
}

/* Write the shared config file name in env's directory; returns its path (caller frees). */
static char *write_file(auth_env *env, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", env->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return strdup(path);
}

static const char shared_config[] =
    "{\"current\": \"static\", \"profiles\": ["
    "{\"name\": \"static\", \"mode\": \"AKSK\", \"accessKeyId\": \"" WF_AK "\", "
    "\"secretAccessKey\": \"" WF_SK "\", \"region\": \"" WF_REGION "\"},"
    "{\"name\": \"temp\", \"mode\": \"AKSK\", \"accessKeyId\": \"" TEMP_AK "\", "
    "\"secretAccessKey\": \"" TEMP_SK "\", \"securityToken\": \"" TEMP_TOKEN "\"},"
    "{\"name\": \"agency\", \"mode\": \"AKSK\", \"accessKeyId\": \"" WF_AK "\", "
    "\"secretAccessKey\": \"" WF_SK "\", \"agencyName\": \"" WF_AGENCY "\", "
    "\"agencyDomainName\": \"" DOMAIN "\"},"
    "{\"name\": \"south\", \"mode\": \"AKSK\", \"accessKeyId\": \"" WF_AK "\", "
    "\"secretAccessKey\": \"" WF_SK "\", \"region\": \"" WF_REGION2 "\"},"
    "{\"name\": \"sso\", \"mode\": \"SSO\"}]}";

static void test_shared_config_profiles(void **state)
{
	auth_env *env = env_or_skip(state);
	char *path = write_file(env, "config.json", shared_config);
	char file[600];
	snprintf(file, sizeof(file), "HW_SHARED_CONFIG_FILE=%s", path);

	/* No profile: the file's current one. */
	const char *const current[] = {file, NULL};
	hwims_client *c = works(env, current);
	assert_int_equal(hwims_client_credential_fetches(c), 0);
	hwims_client_free(c);

	/* A profile with temporary credentials. */
	const char *const temp[] = {file, "HW_PROFILE=temp", NULL};
	hwims_client_free(works(env, temp));

	/* A profile asking for an agency: every call uses the agency's credentials. */
	const char *const agency[] = {file, "HW_PROFILE=agency", NULL};
	c = works(env, agency);
	assert_int_equal(hwims_client_credential_fetches(c), 1);
	hwims_client_free(c);

	/* The profile's region wins, as in the official provider. */
	hwims_config cfg;
	hwims_error err;
	const char *const south[] = {file, "HW_PROFILE=south", NULL};
	assert_int_equal(load(env->imsd.base_url, 0, south, &cfg, &err), 0);
	assert_string_equal(cfg.region, WF_REGION2);
	hwims_config_free(&cfg);

	/* Keys given directly win over the file (it is not even read). */
	const char *const keys[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                            "HW_SHARED_CONFIG_FILE=/nonexistent/config.json", NULL};
	hwims_client_free(works(env, keys));
	free(path);
}

static void test_shared_config_errors(void **state)
{
	auth_env *env = env_or_skip(state);
	char *path = write_file(env, "config.json", shared_config);
	char *bad = write_file(env, "bad.json", "{\"current\": ");
	char file[600], badfile[600];
	snprintf(file, sizeof(file), "HW_SHARED_CONFIG_FILE=%s", path);
	snprintf(badfile, sizeof(badfile), "HW_SHARED_CONFIG_FILE=%s", bad);
	hwims_config cfg;
	hwims_error err;

	const char *const missing[] = {"HW_SHARED_CONFIG_FILE=/nonexistent/config.json", NULL};
	assert_int_not_equal(load(env->imsd.base_url, 0, missing, &cfg, &err), 0);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, "shared_config_file");
	assert_has(err.message, "/nonexistent/config.json");

	const char *const broken[] = {badfile, NULL};
	assert_int_not_equal(load(env->imsd.base_url, 0, broken, &cfg, &err), 0);
	assert_string_equal(err.attribute, "shared_config_file");
	assert_has(err.message, bad);

	const char *const unknown[] = {file, "HW_PROFILE=nobody", NULL};
	assert_int_not_equal(load(env->imsd.base_url, 0, unknown, &cfg, &err), 0);
	assert_string_equal(err.attribute, "profile");
	assert_has(err.message, "nobody");
	assert_has(err.message, path);

	const char *const sso[] = {file, "HW_PROFILE=sso", NULL};
	assert_int_not_equal(load(env->imsd.base_url, 0, sso, &cfg, &err), 0);
	assert_string_equal(err.attribute, "profile");
	assert_has(err.message, "mode \"SSO\"");
	assert_has(err.message, path);
	free(path);
	free(bad);
}

static void test_assume_role(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const role[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                            "HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY,
	                            "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN, NULL};
	hwims_client *c = works(env, role);
	assert_int_equal(hwims_client_credential_fetches(c), 1);
	hwims_client_free(c);

	hwims_error err;
	const char *const unknown[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                               "HW_ASSUME_ROLE_AGENCY_NAME=no_such_agency",
	                               "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN, NULL};
	fails(env, unknown, &err);
	assert_int_equal(err.http_status, 404);
	assert_has(err.message, "assuming agency no_such_agency");

	const char *const too_short[] = {"HW_ACCESS_KEY=" WF_AK,
	                                 "HW_SECRET_KEY=" WF_SK,
	                                 "HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY,
	                                 "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN,
	                                 "HW_ASSUME_ROLE_DURATION=10",
	                                 NULL};
	fails(env, too_short, &err);
	assert_int_equal(err.http_status, 400);
	assert_has(err.message, "duration_seconds");

	const char *const no_domain[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                                 "HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY, NULL};
	fails(env, no_domain, &err);
	assert_string_equal(err.attribute, "assume_role.domain_name");

	const char *const no_keys[] = {"HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY,
	                               "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN, NULL};
	fails(env, no_keys, &err);
	assert_string_equal(err.attribute, "assume_role");
}

/* The log lines a client wrote, kept for the test to read (the client logs from many threads). */
typedef struct log_capture {
	pthread_mutex_t mu;
	int renewals; /* "temporary credentials from IAM" lines */
	int leaks;    /* lines quoting an issued security token */
} log_capture;

static void capture_line(void *userdata, hwims_log_level level, const char *message)
{
	log_capture *lc = userdata;
	(void)level;
	pthread_mutex_lock(&lc->mu);
	if (strstr(message, "temporary credentials from IAM for agency " WF_AGENCY))
		lc->renewals++;
	if (strstr(message, "hwims-sts."))
		lc->leaks++;
	pthread_mutex_unlock(&lc->mu);
}

typedef struct copier {
	hwims_client *client;
	char name[64];
	int rc;
	hwims_error err;
} copier;

static void *copy_main(void *p)
{
	copier *cp = p;
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, cp->name);
	hwims_copy_result r;
	cp->rc = hwims_image_copy_create(cp->client, &s, NULL, &r, &cp->err);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
	return NULL;
}

/* Copies of a 100 GiB image take about 10 s here, while an agency's credentials live 0.4 s:
   the copies complete only when the client renews the credentials, which it does many times,
   for four threads at once. */
static void test_assume_role_outlived_by_copies(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const role[] = {"HW_ACCESS_KEY=" WF_AK,
	                            "HW_SECRET_KEY=" WF_SK,
	                            "HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY,
	                            "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN,
	                            "HW_ASSUME_ROLE_DURATION=40",
	                            NULL};
	log_capture lc = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
	hwims_log log = {capture_line, &lc, HWIMS_LOG_TRACE};
	hwims_config cfg;
	hwims_error err;
	if (load(env->imsd.base_url, 0, role, &cfg, &err) != 0)
		fail_msg("config: %s", err.message);
	hwims_client_options o;
	memset(&o, 0, sizeof(o));
	o.log = &log;
	hwims_client *c = NULL;
	if (hwims_client_new(&c, &cfg, &o, &err) != 0)
		fail_msg("client: %s", err.message);
	hwims_config_free(&cfg);
	copier cps[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		memset(&cps[i], 0, sizeof(cps[i]));
		cps[i].client = c;
		snprintf(cps[i].name, sizeof(cps[i].name), "outlived-%d", i);
		pthread_create(&t[i], NULL, copy_main, &cps[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++)
		if (cps[i].rc != 0)
			fail_msg("copy %s: %s", cps[i].name, cps[i].err.message);
	/* Every set lived 0.4 s: the copies could not have used fewer than their length
	   allows. */
	uint64_t fetches = hwims_client_credential_fetches(c);
	print_message("credential sets fetched during the copies: %llu\n",
	              (unsigned long long)fetches);
	assert_true(fetches >= 3);
	hwims_client_free(c);
	/* Each renewal is logged, and no line (debug ones included) quotes a token. */
	assert_int_equal(lc.renewals, (int)fetches);
	assert_int_equal(lc.leaks, 0);
}

/* Set imsd's faults (a JSON object) through its admin API. */
static void set_faults(auth_env *env, const char *json)
{
	hwims_http_options ho;
	memset(&ho, 0, sizeof(ho));
	ho.access_key = WF_AK;
	ho.secret_key = WF_SK;
	hwims_http *h = NULL;
	hwims_error err;
	assert_int_equal(hwims_http_new(&h, &ho, &err), 0);
	char url[256];
	snprintf(url, sizeof(url), "%s/_admin/faults", env->imsd.base_url);
	hwims_http_request req;
	memset(&req, 0, sizeof(req));
	req.method = "PUT";
	req.url = url;
	req.body = json;
	req.body_len = strlen(json);
	req.idempotent = 1;
	hwims_http_response resp;
	if (hwims_http_do(h, &req, &resp, &err) != 0)
		fail_msg("setting faults %s: %s", json, err.message);
	hwims_http_response_free(&resp);
	hwims_http_free(h);
}

typedef struct lister {
	hwims_client *client;
	hwims_cancel *cancel;
	int rc;
	hwims_error err;
} lister;

static void *list_main(void *p)
{
	lister *l = p;
	hwims_image **imgs = NULL;
	size_t n = 0;
	l->rc = hwims_image_list(l->client, NULL, NULL, l->cancel, &imgs, &n, &l->err);
	for (size_t i = 0; i < n; i++)
		hwims_image_free(imgs[i]);
	free(imgs);
	return NULL;
}

static void *cancel_soon(void *p)
{
	usleep(200 * 1000);
	hwims_cancel_trigger(p);
	return NULL;
}

/* While one thread fetches the agency's credentials (IAM answering slowly), another that needs
   them waits, without any lock held over the fetch, and its cancel ends the wait. */
static void test_waiting_for_credentials_is_cancellable(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const role[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                            "HW_ASSUME_ROLE_AGENCY_NAME=" WF_AGENCY,
	                            "HW_ASSUME_ROLE_DOMAIN_NAME=" DOMAIN, NULL};
	hwims_client *c;
	hwims_error err;
	if (client(env->imsd.base_url, 0, role, &c, &err) != 0)
		fail_msg("client: %s", err.message);
	set_faults(env, "{\"latency_ms\": 2000, \"path_pattern\": \"*securitytokens\"}");
	lister first = {c, NULL, 0, {0}};
	pthread_t t1, t2;
	pthread_create(&t1, NULL, list_main, &first);
	usleep(100 * 1000);
	lister second = {c, NULL, 0, {0}};
	assert_int_equal(hwims_cancel_new(&second.cancel, &err), 0);
	pthread_create(&t2, NULL, cancel_soon, second.cancel);
	list_main(&second);
	pthread_join(t2, NULL);
	assert_int_equal(second.rc, -1);
	assert_int_equal(second.err.kind, HWIMS_ERR_CANCELLED);
	/* The first thread's fetch is still on the wire. */
	assert_int_equal(hwims_client_credential_fetches(c), 0);
	pthread_join(t1, NULL);
	set_faults(env, "{\"latency_ms\": 0, \"path_pattern\": \"\"}");
	if (first.rc != 0)
		fail_msg("the fetching thread: %s", first.err.message);
	assert_int_equal(hwims_client_credential_fetches(c), 1);
	hwims_cancel_free(second.cancel);
	hwims_client_free(c);
}

static void test_metadata_service(void **state)
{
	auth_env *env = env_or_skip(state);
	char url[200];
	snprintf(url, sizeof(url), "HWIMS_METADATA_URL=%s/", env->imsd.base_url);
	const char *const meta[] = {url, NULL};
	hwims_client *c = works(env, meta);
	uint64_t before = hwims_client_credential_fetches(c);
	assert_true(before >= 1);
	/* These live 0.4 s: a call after that is made with renewed ones. */
	usleep(600 * 1000);
	hwims_error err;
	if (list(c, &err) != 0)
		fail_msg("listing after the first credentials expired: %s", err.message);
	assert_true(hwims_client_credential_fetches(c) > before);
	hwims_client_free(c);

	/* Nothing to be had: the error says what could have given credentials. */
	fails(env, NULL, &err);
	assert_has(err.message, "no credentials configured");
	assert_has(err.message, "http://127.0.0.1:9/");
}

static void test_project_name_and_auth_url(void **state)
{
	auth_env *env = env_or_skip(state);
	const char *const named[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                             "HW_PROJECT_NAME=" WF_REGION, NULL};
	hwims_client_free(works(env, named));

	hwims_error err;
	const char *const wrong[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK,
	                             "HW_PROJECT_NAME=cn-north-4_nothing", NULL};
	fails(env, wrong, &err);
	assert_string_equal(err.attribute, "project_name");
	assert_has(err.message, "cn-north-4_nothing");

	/* auth_url in the official form replaces the IAM endpoint. */
	char auth[200];
	snprintf(auth, sizeof(auth), "HW_AUTH_URL=%s/iam/v3", env->imsd.base_url);
	const char *const au[] = {"HW_ACCESS_KEY=" WF_AK, "HW_SECRET_KEY=" WF_SK, auth, NULL};
	hwims_client *c;
	if (client(env->imsd.base_url, 1, au, &c, &err) != 0)
		fail_msg("client: %s", err.message);
	if (list(c, &err) != 0)
		fail_msg("listing with auth_url: %s", err.message);
	hwims_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_static_keys),
	    cmocka_unit_test(test_temporary_keys_and_token),
	    cmocka_unit_test(test_shared_config_profiles),
	    cmocka_unit_test(test_shared_config_errors),
	    cmocka_unit_test(test_assume_role),
	    cmocka_unit_test(test_assume_role_outlived_by_copies),
	    cmocka_unit_test(test_waiting_for_credentials_is_cancellable),
	    cmocka_unit_test(test_metadata_service),
	    cmocka_unit_test(test_project_name_and_auth_url),
	};
	return cmocka_run_group_tests_name("authentication sources", tests, setup, teardown);
}
