/*
 * wf_support.h - what the workflow integration tests share: an imsd with the
 * default seed, a client pointed at it, and its fault-injection switch.
 * Header-only (static functions) because every test_*.c is its own program.
 */
#ifndef WF_SUPPORT_H
#define WF_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "hwims/client.h"
#include "hwims/config.h"
#include "hwims/http.h"
#include "hwims/image_copy.h"
#include "hwims_test.h"

#define WF_REGION      "cn-north-4"
#define WF_REGION2     "cn-south-1"
#define WF_UBUNTU      "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
#define WF_DATA_DISK   "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02"
#define WF_WHOLE       "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c03"
#define WF_ISO         "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c05"
#define WF_LARGE       "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07"
#define WF_KMS_KEY     "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
#define WF_AGENCY      "ims_admin_agency"
#define WF_VAULT_SOUTH "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11"
#define WF_EPS_PROD    "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
#define WF_AK          "HWIMSDEMOACCESSKEY01"
#define WF_SK          "hwimsDemoSecretKey0123456789abcdefghijklm"

typedef struct wf_env {
	hwims_test_imsd imsd;
	hwims_client *client;
	int running;
} wf_env;

/* The configuration of a client for base_url ("http://127.0.0.1:PORT") with one more HW_*
 * setting (extra_env "NAME=value", or NULL). Caller frees with hwims_config_free. */
static __attribute__((unused)) void wf_config(hwims_config *cfg, const char *base_url,
                                              const char *extra_env)
{
	char ims[200], iam[200], eps[200];
	snprintf(ims, sizeof(ims), "HW_IMS_ENDPOINT=%s/{region}/", base_url);
	snprintf(iam, sizeof(iam), "HW_IAM_ENDPOINT=%s/iam/", base_url);
	snprintf(eps, sizeof(eps), "HW_EPS_ENDPOINT=%s/eps/", base_url);
	char *const envp[] = {"HW_REGION_NAME=" WF_REGION,
	                      "HW_ACCESS_KEY=" WF_AK,
	                      "HW_SECRET_KEY=" WF_SK,
	                      ims,
	                      iam,
	                      eps,
	                      (char *)extra_env,
	                      NULL};
	hwims_config_args args;
	hwims_error err;
	hwims_config_args_init(&args);
	if (hwims_config_load(cfg, &args, envp, &err) != 0)
		fail_msg("config: %s", err.message);
}

/* A client for base_url with transport options o, and one more setting (extra_env, or NULL). */
static __attribute__((unused)) hwims_client *
wf_client_opts(const char *base_url, const hwims_client_options *o, const char *extra_env)
{
	hwims_config cfg;
	wf_config(&cfg, base_url, extra_env);
	hwims_error err;
	hwims_client *c = NULL;
	if (hwims_client_new(&c, &cfg, o, &err) != 0)
		fail_msg("client: %s", err.message);
	hwims_config_free(&cfg);
	return c;
}

/* A client for base_url whose attempts give up after request_timeout_ms, with one more HW_*
 * setting (extra_env, or NULL); small backoffs keep retries quick. */
static __attribute__((unused)) hwims_client *
wf_client_env(const char *base_url, int64_t request_timeout_ms, const char *extra_env)
{
	hwims_client_options o;
	memset(&o, 0, sizeof(o));
	o.backoff_base_ms = 5;
	o.backoff_max_ms = 50;
	o.request_timeout_ms = request_timeout_ms;
	return wf_client_opts(base_url, &o, extra_env);
}

static __attribute__((unused)) hwims_client *wf_client_with(const char *base_url,
                                                            int64_t request_timeout_ms)
{
	return wf_client_env(base_url, request_timeout_ms, NULL);
}

static __attribute__((unused)) hwims_client *wf_client_for(const char *base_url)
{
	return wf_client_with(base_url, 20000);
}

/* Start imsd (time scale 100 unless asked otherwise, admin API on). Skips when imsd is not
 * built. */
static __attribute__((unused)) int wf_setup_scaled(void **state, double scale)
{
	static wf_env env;
	memset(&env, 0, sizeof(env));
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0) {
		*state = NULL;
		return 0;
	}
	const char *args[] = {"--admin", NULL};
	if (hwims_test_imsd_start(&env.imsd, NULL, scale, args) != 0)
		return -1;
	env.running = 1;
	env.client = wf_client_for(env.imsd.base_url);
	*state = &env;
	return 0;
}

static __attribute__((unused)) int wf_setup(void **state)
{
	return wf_setup_scaled(state, 100);
}

static __attribute__((unused)) int wf_teardown(void **state)
{
	wf_env *env = *state;
	if (!env)
		return 0;
	hwims_client_free(env->client);
	if (env->running)
		hwims_test_imsd_stop(&env->imsd);
	return 0;
}

/* The env, or skip the test when imsd is not built. */
static __attribute__((unused)) wf_env *wf_env_or_skip(void **state)
{
	if (!*state) {
		print_message("imsd is not built: skipping\n");
		skip();
	}
	return *state;
}

/* One call of imsd's /_admin/faults: method with body (NULL: none); the answer's budget member
 * (how many more requests may be faulted) is returned. */
static __attribute__((unused)) long long wf_admin_faults(wf_env *env, const char *method,
                                                         const char *body)
{
	hwims_http_options ho;
	memset(&ho, 0, sizeof(ho));
	ho.access_key = WF_AK;
	ho.secret_key = WF_SK;
	ho.max_retries = 0;
	hwims_http *h = NULL;
	hwims_error err;
	assert_int_equal(hwims_http_new(&h, &ho, &err), 0);
	char url[256];
	snprintf(url, sizeof(url), "%s/_admin/faults", env->imsd.base_url);
	hwims_http_request req;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.idempotent = 1;
	hwims_http_response resp;
	if (hwims_http_do(h, &req, &resp, &err) != 0)
		fail_msg("%s faults %s: %s", method, body ? body : "", err.message);
	long long budget = -2;
	const char *at = resp.body ? strstr(resp.body, "\"budget\":") : NULL;
	if (at)
		budget = strtoll(at + strlen("\"budget\":"), NULL, 10);
	hwims_http_response_free(&resp);
	hwims_http_free(h);
	return budget;
}

/* Set imsd's faults (a JSON object of imsd_fault_settings members) through /_admin/faults. */
static __attribute__((unused)) void wf_faults(wf_env *env, const char *json)
{
	wf_admin_faults(env, "PUT", json);
}

/* imsd's built-in seed with the top-level members of changes (a JSON object) put in place of
 * its own, written to dir/seed.json. Caller frees the path. */
static __attribute__((unused)) char *wf_seed_with(const char *dir, const char *changes)
{
	FILE *p = popen(HWIMS_BIN_DIR "/imsd --print-seed", "r");
	assert_non_null(p);
	json_error_t jerr;
	json_t *seed = json_loadf(p, 0, &jerr);
	assert_int_equal(pclose(p), 0);
	if (!seed)
		fail_msg("imsd --print-seed: %s", jerr.text);
	json_t *ch = json_loads(changes, 0, &jerr);
	if (!ch)
		fail_msg("seed changes %s: %s", changes, jerr.text);
	assert_int_equal(json_object_update(seed, ch), 0);
	json_decref(ch);
	size_t n = strlen(dir) + 16;
	char *path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/seed.json", dir);
	assert_int_equal(json_dump_file(seed, path, 0), 0);
	json_decref(seed);
	return path;
}

/* A spec for a copy of source named name within WF_REGION. Caller frees. */
static __attribute__((unused)) void wf_spec(hwims_copy_spec *s, const char *source,
                                            const char *name)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(hwims_copy_spec_set(&s->source_image_id, source, NULL), 0);
	assert_int_equal(hwims_copy_spec_set(&s->name, name, NULL), 0);
}

/* Submit the copy s on env's client without waiting for its job; fails the test when the copy
 * is refused. */
static __attribute__((unused)) void wf_submit(wf_env *env, const hwims_copy_spec *s)
{
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.no_wait = 1;
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, s, &o, &r, &err) != 0)
		fail_msg("copying %s: %s", s->name, err.message);
	hwims_copy_result_free(&r);
}

#endif
