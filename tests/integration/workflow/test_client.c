/* hwims_client against imsd: project IDs come from the configuration or IAM, once per region,
 * also when several threads ask at the same time; an unknown region is a clear error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include "cloud_api.h"
#include "wf_support.h"

#define NORTH_PROJECT "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f"
#define SOUTH_PROJECT "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a"

static void project_ids_are_looked_up_once_per_region(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_client *c = wf_client_for(env->imsd.base_url);
	char *pid = NULL;
	hwims_error err;
	assert_int_equal(api_project_id(c, WF_REGION2, NULL, &pid, &err), 0);
	assert_string_equal(pid, SOUTH_PROJECT);
	free(pid);
	assert_int_equal(hwims_client_calls(c), 1);
	assert_int_equal(api_project_id(c, NULL, NULL, &pid, &err), 0);
	assert_string_equal(pid, NORTH_PROJECT);
	free(pid);
	uint64_t after_first = hwims_client_calls(c);
	assert_int_equal(after_first, 2);
	/* from now on both come from the cache */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(api_project_id(c, NULL, NULL, &pid, &err), 0);
		assert_string_equal(pid, NORTH_PROJECT);
		free(pid);
		assert_int_equal(api_project_id(c, WF_REGION2, NULL, &pid, &err), 0);
		free(pid);
	}
	assert_int_equal(hwims_client_calls(c), after_first);
	assert_int_equal(api_project_id(c, "xx-nowhere-9", NULL, &pid, &err), -1);
	assert_null(pid);
	assert_true(err.kind == HWIMS_ERR_NOT_FOUND || err.kind == HWIMS_ERR_INVALID);
	hwims_client_free(c);
}

static void configured_project_id_needs_no_iam(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	char ims[200], iam[200];
	snprintf(ims, sizeof(ims), "HW_IMS_ENDPOINT=%s/{region}/", env->imsd.base_url);
	/* IAM unreachable: the configured project must be enough for the default region */
	snprintf(iam, sizeof(iam), "HW_IAM_ENDPOINT=http://127.0.0.1:1/iam/");
	char *const envp[] = {"HW_REGION_NAME=" WF_REGION,
	                      "HW_ACCESS_KEY=" WF_AK,
	                      "HW_SECRET_KEY=" WF_SK,
	                      "HW_PROJECT_ID=" NORTH_PROJECT,
	                      ims,
	                      iam,
	                      NULL};
	hwims_config cfg;
	hwims_config_args args;
	hwims_error err;
	hwims_config_args_init(&args);
	assert_int_equal(hwims_config_load(&cfg, &args, envp, &err), 0);
	hwims_client *c = NULL;
	assert_int_equal(hwims_client_new(&c, &cfg, NULL, &err), 0);
	hwims_config_free(&cfg);
	hwims_image **images = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(c, NULL, "ubuntu-2204-golden", NULL, &images, &n, &err),
	                 0);
	assert_int_equal(n, 1);
	hwims_image_free(images[0]);
	free(images);
	hwims_client_free(c);
}

/* With no credentials configured the client asks the ECS metadata service, as the official
   provider does; where there is none, the first call says what to configure. */
static void missing_credentials_are_a_usage_error(void **state)
{
	(void)state;
	char *const envp[] = {"HW_REGION_NAME=" WF_REGION, "HWIMS_METADATA_URL=http://127.0.0.1:9/",
	                      NULL};
	hwims_config cfg;
	hwims_config_args args;
	hwims_error err;
	hwims_config_args_init(&args);
	assert_int_equal(hwims_config_load(&cfg, &args, envp, &err), 0);
	hwims_client *c = NULL;
	assert_int_equal(hwims_client_new(&c, &cfg, NULL, &err), 0);
	hwims_image **images = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(c, NULL, NULL, NULL, &images, &n, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_non_null(strstr(err.message, "HW_ACCESS_KEY"));
	assert_non_null(strstr(err.message, "metadata service at http://127.0.0.1:9/"));
	hwims_client_free(c);
	hwims_config_free(&cfg);
}

typedef struct reader {
	hwims_client *c;
	int ok;
} reader;

static void *read_projects(void *arg)
{
	reader *r = arg;
	for (int i = 0; i < 20; i++) {
		char *pid = NULL;
		const char *region = i % 2 ? WF_REGION : WF_REGION2;
		if (api_project_id(r->c, region, NULL, &pid, NULL) == 0 &&
		    strcmp(pid, i % 2 ? NORTH_PROJECT : SOUTH_PROJECT) == 0)
			r->ok++;
		free(pid);
	}
	return NULL;
}

static void one_client_serves_many_threads(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_client *c = wf_client_for(env->imsd.base_url);
	pthread_t t[4];
	reader r[4];
	for (int i = 0; i < 4; i++) {
		r[i].c = c;
		r[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, read_projects, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].ok, 20);
	}
	/* one IAM lookup per region served all of them */
	assert_int_equal(hwims_client_calls(c), 2);
	hwims_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(project_ids_are_looked_up_once_per_region),
	    cmocka_unit_test(configured_project_id_needs_no_iam),
	    cmocka_unit_test(missing_credentials_are_a_usage_error),
	    cmocka_unit_test(one_client_serves_many_threads),
	};
	return cmocka_run_group_tests_name("workflow client", tests, wf_setup, wf_teardown);
}
