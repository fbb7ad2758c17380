/* test_config.c - configuration precedence, defaults, endpoint templates, validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "hwims/config.h"

static void test_defaults(void **state)
{
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;
	char *const envp[] = {NULL};

	hwims_config_args_init(&a);
	assert_int_equal(hwims_config_load(&cfg, &a, envp, &err), 0);
	assert_null(cfg.region);
	assert_null(cfg.access_key);
	assert_null(cfg.secret_key);
	assert_null(cfg.security_token);
	assert_null(cfg.project_id);
	assert_null(cfg.enterprise_project_id);
	assert_string_equal(cfg.cloud, "myhuaweicloud.com");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IMS], "https://ims.{region}.{cloud}/");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM], "https://iam.{region}.{cloud}/");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_EPS], "https://eps.{cloud}/");
	assert_int_equal(cfg.insecure, 0);
	assert_int_equal(cfg.max_retries, 5);
	hwims_config_free(&cfg);

	/* NULL args and NULL envp mean the same. */
	assert_int_equal(hwims_config_load(&cfg, NULL, NULL, &err), 0);
	assert_int_equal(cfg.max_retries, 5);
	hwims_config_free(&cfg);
	hwims_config_free(&cfg); /* freeing twice is safe: members were zeroed */
}

static char *const full_env[] = {
    "PATH=/usr/bin",
    "HW_REGION_NAME=env-region",
    "HW_ACCESS_KEY=ENVAK",
    "HW_SECRET_KEY=envsk",
    "HW_SECURITY_TOKEN=envtoken",
    "HW_PROJECT_ID=envproject",
    "HW_CLOUD=env.example.com",
    "HW_ENTERPRISE_PROJECT_ID=envep",
    "HW_IMS_ENDPOINT=http://127.0.0.1:9/{region}",
    "HW_IAM_ENDPOINT=http://127.0.0.1:9/iam/",
    "HW_EPS_ENDPOINT=http://127.0.0.1:9/eps",
    "HW_INSECURE=true",
    "HW_MAX_RETRIES=7",
    "HW_REGION_NAME_EXTRA=not-this-one",
    NULL,
};

static void test_environment_over_default(void **state)
{
	hwims_config cfg;
	hwims_error err;

	assert_int_equal(hwims_config_load(&cfg, NULL, full_env, &err), 0);
	assert_string_equal(cfg.region, "env-region");
	assert_string_equal(cfg.access_key, "ENVAK");
	assert_string_equal(cfg.secret_key, "envsk");
	assert_string_equal(cfg.security_token, "envtoken");
	assert_string_equal(cfg.project_id, "envproject");
	assert_string_equal(cfg.cloud, "env.example.com");
	assert_string_equal(cfg.enterprise_project_id, "envep");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IMS], "http://127.0.0.1:9/{region}/");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM], "http://127.0.0.1:9/iam/");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_EPS], "http://127.0.0.1:9/eps/");
	assert_int_equal(cfg.insecure, 1);
	assert_int_equal(cfg.max_retries, 7);
	hwims_config_free(&cfg);
}

/* Where creates keep their records: HWIMS_STATE_DIR, else the XDG state home, else HOME's;
   a relative path counts as unset (it would depend on the directory terraform runs in). */
static void expect_state_dir(char *const *envp, const char *want)
{
	hwims_config cfg;
	hwims_error err;
	assert_int_equal(hwims_config_load(&cfg, NULL, envp, &err), 0);
	if (want)
		assert_string_equal(cfg.state_dir, want);
	else
		assert_null(cfg.state_dir);
	hwims_config_free(&cfg);
}

static void test_state_dir(void **state)
{
	(void)state;
	char *const all[] = {"HWIMS_STATE_DIR=/srv/tf/state", "XDG_STATE_HOME=/x/state",
	                     "HOME=/home/u", NULL};
	expect_state_dir(all, "/srv/tf/state");
	char *const xdg[] = {"HWIMS_STATE_DIR=rel", "XDG_STATE_HOME=/x/state", "HOME=/home/u",
	                     NULL};
	expect_state_dir(xdg, "/x/state/hwims");
	char *const home[] = {"XDG_STATE_HOME=", "HOME=/home/u", NULL};
	expect_state_dir(home, "/home/u/.local/state/hwims");
	char *const none[] = {"HOME=relative", NULL};
	expect_state_dir(none, NULL);
}

static void test_argument_over_environment(void **state)
{
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;

	hwims_config_args_init(&a);
	a.region = "arg-region";
	a.access_key = "ARGAK";
	a.secret_key = "argsk";
	a.security_token = "argtoken";
	a.project_id = "argproject";
	a.cloud = "arg.example.com";
	a.enterprise_project_id = "argep";
	a.endpoints[HWIMS_SVC_IMS] = "https://ims.{region}.{cloud}";
	a.insecure = 0;
	a.max_retries = 0;
	assert_int_equal(hwims_config_load(&cfg, &a, full_env, &err), 0);
	assert_string_equal(cfg.region, "arg-region");
	assert_string_equal(cfg.access_key, "ARGAK");
	assert_string_equal(cfg.secret_key, "argsk");
	assert_string_equal(cfg.security_token, "argtoken");
	assert_string_equal(cfg.project_id, "argproject");
	assert_string_equal(cfg.cloud, "arg.example.com");
	assert_string_equal(cfg.enterprise_project_id, "argep");
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IMS], "https://ims.{region}.{cloud}/");
	/* Unset arguments still fall back to the environment. */
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM], "http://127.0.0.1:9/iam/");
	assert_int_equal(cfg.insecure, 0);
	assert_int_equal(cfg.max_retries, 0);
	hwims_config_free(&cfg);

	/* An empty argument counts as unset; an empty environment value too. */
	char *const env2[] = {"HW_REGION_NAME=", "HW_CLOUD=", NULL};
	hwims_config_args_init(&a);
	a.access_key = "";
	assert_int_equal(hwims_config_load(&cfg, &a, env2, &err), 0);
	assert_null(cfg.access_key);
	assert_null(cfg.region);
	assert_string_equal(cfg.cloud, "myhuaweicloud.com");
	hwims_config_free(&cfg);
}

static void test_endpoint_expansion(void **state)
{
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;
	char *url;

	hwims_config_args_init(&a);
	a.region = "cn-north-4";
	assert_int_equal(hwims_config_load(&cfg, &a, NULL, &err), 0);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, NULL, &url, &err), 0);
	assert_string_equal(url, "https://ims.cn-north-4.myhuaweicloud.com/");
	free(url);
	/* An explicit region (e.g. the copy's target region) wins over the configured one. */
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IAM, "ap-southeast-1", &url, &err),
	                 0);
	assert_string_equal(url, "https://iam.ap-southeast-1.myhuaweicloud.com/");
	free(url);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_EPS, NULL, &url, &err), 0);
	assert_string_equal(url, "https://eps.myhuaweicloud.com/");
	free(url);
	hwims_config_free(&cfg);

	/* imsd-style templates: one port, the region in the path; missing '/' added. */
	char *const env[] = {"HW_IMS_ENDPOINT=http://127.0.0.1:8443/{region}",
	                     "HW_IAM_ENDPOINT=http://127.0.0.1:8443/iam/",
	                     "HW_EPS_ENDPOINT=http://127.0.0.1:8443/eps", NULL};
	assert_int_equal(hwims_config_load(&cfg, NULL, env, &err), 0);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, "cn-south-1", &url, &err), 0);
	assert_string_equal(url, "http://127.0.0.1:8443/cn-south-1/");
	free(url);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_EPS, NULL, &url, &err), 0);
	assert_string_equal(url, "http://127.0.0.1:8443/eps/");
	free(url);
	/* The template needs a region and none is known. */
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, NULL, &url, &err), -1);
	assert_null(url);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_non_null(strstr(err.message, "region"));
	hwims_config_free(&cfg);

	/* A cloud other than the default. */
	char *const env3[] = {"HW_CLOUD=myhuaweicloud.eu", "HW_REGION_NAME=eu-west-101", NULL};
	assert_int_equal(hwims_config_load(&cfg, NULL, env3, &err), 0);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, NULL, &url, &err), 0);
	assert_string_equal(url, "https://ims.eu-west-101.myhuaweicloud.eu/");
	free(url);
	hwims_config_free(&cfg);
}

static void assert_load_fails(char *const *envp, const hwims_config_args *a, const char *needle)
{
	hwims_config cfg;
	hwims_error err;

	assert_int_equal(hwims_config_load(&cfg, a, envp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	if (!strstr(err.message, needle))
		fail_msg("message \"%s\" does not mention \"%s\"", err.message, needle);
	/* Nothing is left allocated. */
	assert_null(cfg.cloud);
	assert_null(cfg.endpoints[0]);
}

static void test_validation(void **state)
{
	hwims_config_args a;

	char *const e1[] = {"HW_MAX_RETRIES=21", NULL};
	assert_load_fails(e1, NULL, "HW_MAX_RETRIES");
	char *const e2[] = {"HW_MAX_RETRIES=five", NULL};
	assert_load_fails(e2, NULL, "HW_MAX_RETRIES");
	char *const e3[] = {"HW_MAX_RETRIES=-1", NULL};
	assert_load_fails(e3, NULL, "HW_MAX_RETRIES");
	char *const e4[] = {"HW_INSECURE=maybe", NULL};
	assert_load_fails(e4, NULL, "HW_INSECURE");
	char *const e5[] = {"HW_IMS_ENDPOINT=ftp://ims.example.com/", NULL};
	assert_load_fails(e5, NULL, "ims endpoint");
	char *const e6[] = {"HW_IAM_ENDPOINT=iam.example.com", NULL};
	assert_load_fails(e6, NULL, "HW_IAM_ENDPOINT");
	char *const e7[] = {"HW_EPS_ENDPOINT=https://", NULL};
	assert_load_fails(e7, NULL, "eps endpoint");

	hwims_config_args_init(&a);
	a.max_retries = 50;
	assert_load_fails(NULL, &a, "max_retries");
	hwims_config_args_init(&a);
	a.endpoints[HWIMS_SVC_IMS] = "https://ims example.com/";
	assert_load_fails(NULL, &a, "argument");
	hwims_config_args_init(&a);
	a.cloud = "bad/cloud";
	assert_load_fails(NULL, &a, "cloud");
	hwims_config_args_init(&a);
	a.cloud = "evil.example.com:8080#";
	assert_load_fails(NULL, &a, "cloud");

	/* A region is pasted into a host name: only the documented form gets through. */
	const char *bad_regions[] = {"x@127.0.0.1:47447/#", "cn-north-4.evil.example",
	                             "CN-NORTH-4",          "cn north",
	                             "cn-north-4/",         "cn-north-4\x1b[2J"};
	for (size_t i = 0; i < sizeof(bad_regions) / sizeof(bad_regions[0]); i++) {
		hwims_config_args_init(&a);
		a.region = bad_regions[i];
		assert_load_fails(NULL, &a, "lower-case letters, digits and '-'");
	}
	char *const e8[] = {"HW_REGION_NAME=x@127.0.0.1:1/#", NULL};
	assert_load_fails(e8, NULL, "HW_REGION_NAME");
}

static void test_endpoint_refuses_a_bad_region(void **state)
{
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;
	char *url = NULL;

	hwims_config_args_init(&a);
	a.region = "cn-north-4";
	assert_int_equal(hwims_config_load(&cfg, &a, NULL, &err), 0);
	/* Whatever the caller passes (a target region, an import ID's region part), the host is
	   never built from anything but a region name. */
	assert_int_equal(
	    hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, "x@127.0.0.1:47447/#", &url, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, "region");
	assert_null(url);
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IMS, "ap-southeast-1", &url, &err),
	                 0);
	assert_string_equal(url, "https://ims.ap-southeast-1.myhuaweicloud.com/");
	free(url);
	assert_int_equal(hwims_region_name_valid("cn-north-4"), 1);
	assert_int_equal(hwims_region_name_valid(""), 0);
	assert_int_equal(hwims_region_name_valid(NULL), 0);
	hwims_config_free(&cfg);
}

static void test_service_names(void **state)
{
	assert_string_equal(hwims_service_name(HWIMS_SVC_IMS), "ims");
	assert_string_equal(hwims_service_name(HWIMS_SVC_IAM), "iam");
	assert_string_equal(hwims_service_name(HWIMS_SVC_EPS), "eps");
}

/* auth_url (the official form, with its "/v3") is the IAM endpoint unless one is given. */
static void test_auth_url(void **state)
{
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;
	(void)state;
	hwims_config_args_init(&a);
	char *const official[] = {"HW_AUTH_URL=https://iam.{region}.myhuaweicloud.com:443/v3",
	                          NULL};
	assert_int_equal(hwims_config_load(&cfg, &a, official, &err), 0);
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM],
	                    "https://iam.{region}.myhuaweicloud.com:443/");
	char *url = NULL;
	assert_int_equal(hwims_config_endpoint(&cfg, HWIMS_SVC_IAM, "cn-north-4", &url, &err), 0);
	assert_string_equal(url, "https://iam.cn-north-4.myhuaweicloud.com:443/");
	free(url);
	hwims_config_free(&cfg);

	a.auth_url = "http://127.0.0.1:8080/iam/v3/";
	assert_int_equal(hwims_config_load(&cfg, &a, NULL, &err), 0);
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM], "http://127.0.0.1:8080/iam/");
	hwims_config_free(&cfg);

	/* An IAM endpoint given as such wins. */
	char *const both[] = {"HW_IAM_ENDPOINT=http://10.0.0.1/iam/", NULL};
	assert_int_equal(hwims_config_load(&cfg, &a, both, &err), 0);
	assert_string_equal(cfg.endpoints[HWIMS_SVC_IAM], "http://10.0.0.1/iam/");
	hwims_config_free(&cfg);

	a.auth_url = "iam.example.com/v3";
	assert_int_equal(hwims_config_load(&cfg, &a, NULL, &err), -1);
	assert_string_equal(err.attribute, "auth_url");
}

static void test_metadata_url(void **state)
{
	hwims_config cfg;
	hwims_error err;
	(void)state;
	assert_int_equal(hwims_config_load(&cfg, NULL, NULL, &err), 0);
	assert_string_equal(cfg.metadata_url, "http://169.254.169.254/");
	hwims_config_free(&cfg);
	char *const env[] = {"HWIMS_METADATA_URL=http://127.0.0.1:1234", NULL};
	assert_int_equal(hwims_config_load(&cfg, NULL, env, &err), 0);
	assert_string_equal(cfg.metadata_url, "http://127.0.0.1:1234/");
	hwims_config_free(&cfg);
	char *const bad[] = {"HWIMS_METADATA_URL=169.254.169.254", NULL};
	assert_int_equal(hwims_config_load(&cfg, NULL, bad, &err), -1);
	assert_non_null(strstr(err.message, "HWIMS_METADATA_URL"));
}

/* The shared file: "~/" is HOME, the profile setting beats "current", the profile's keys and
   settings are taken, and keys given directly keep the file unread. */
static void test_shared_config_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/hwims-config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], home[160];
	snprintf(path, sizeof(path), "%s/config.json", dir);
	snprintf(home, sizeof(home), "HOME=%s", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"current\": \"a\", \"profiles\": ["
	      "{\"name\": \"a\", \"accessKeyId\": \"AKA\", \"secretAccessKey\": \"ska\"},"
	      "{\"name\": \"b\", \"mode\": \"AKSK\", \"accessKeyId\": \"AKB\", "
	      "\"secretAccessKey\": \"skb\", \"securityToken\": \"tokb\", \"region\": "
	      "\"cn-south-1\", \"projectId\": \"pb\", \"domainId\": \"db\", \"agencyName\": "
	      "\"ag\", \"agencyDomainName\": \"dom\"},"
	      "{\"name\": \"c\", \"mode\": \"ecsAgency\"}]}",
	      f);
	fclose(f);
	hwims_config cfg;
	hwims_config_args a;
	hwims_error err;
	hwims_config_args_init(&a);
	char *const env[] = {home, "HW_SHARED_CONFIG_FILE=~/config.json",
	                     "HW_REGION_NAME=cn-north-4", NULL};
	assert_int_equal(hwims_config_load(&cfg, &a, env, &err), 0);
	assert_string_equal(cfg.access_key, "AKA");
	assert_string_equal(cfg.secret_key, "ska");
	assert_string_equal(cfg.region, "cn-north-4");
	hwims_config_free(&cfg);

	a.profile = "b";
	assert_int_equal(hwims_config_load(&cfg, &a, env, &err), 0);
	assert_string_equal(cfg.access_key, "AKB");
	assert_string_equal(cfg.security_token, "tokb");
	assert_string_equal(cfg.region, "cn-south-1");
	assert_string_equal(cfg.project_id, "pb");
	assert_string_equal(cfg.domain_id, "db");
	assert_string_equal(cfg.assume_agency_name, "ag");
	assert_string_equal(cfg.assume_domain_name, "dom");
	hwims_config_free(&cfg);

	/* ecsAgency: no keys, so the client asks the metadata service. */
	a.profile = "c";
	assert_int_equal(hwims_config_load(&cfg, &a, env, &err), 0);
	assert_null(cfg.access_key);
	hwims_config_free(&cfg);

	a.profile = "b";
	a.access_key = "AKX";
	a.secret_key = "skx";
	assert_int_equal(hwims_config_load(&cfg, &a, env, &err), 0);
	assert_string_equal(cfg.access_key, "AKX");
	assert_null(cfg.security_token);
	assert_null(cfg.assume_agency_name);
	hwims_config_free(&cfg);
	remove(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_environment_over_default),
	    cmocka_unit_test(test_state_dir),
	    cmocka_unit_test(test_argument_over_environment),
	    cmocka_unit_test(test_endpoint_expansion),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_endpoint_refuses_a_bad_region),
	    cmocka_unit_test(test_service_names),
	    cmocka_unit_test(test_auth_url),
	    cmocka_unit_test(test_metadata_url),
	    cmocka_unit_test(test_shared_config_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
