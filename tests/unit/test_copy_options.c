/* hwims_copy_options: the version field. A caller built against a newer library than the one
 * it runs with is refused before anything is sent; HWIMS_COPY_OPTIONS_INIT is this version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hwims/client.h"
#include "hwims/config.h"
#include "hwims/image_copy.h"

static hwims_client *offline_client(void)
{
	/* an endpoint nothing listens on: the test must not get as far as sending */
	char *const envp[] = {"HW_REGION_NAME=cn-north-4",
	                      "HW_ACCESS_KEY=ak",
	                      "HW_SECRET_KEY=sk",
	                      "HW_PROJECT_ID=0123456789abcdef0123456789abcdef",
	                      "HW_IMS_ENDPOINT=http://127.0.0.1:1/{region}/",
	                      NULL};
	hwims_config cfg;
	hwims_config_args args;
	hwims_error err;
	hwims_config_args_init(&args);
	assert_int_equal(hwims_config_load(&cfg, &args, envp, &err), 0);
	hwims_client *c = NULL;
	assert_int_equal(hwims_client_new(&c, &cfg, NULL, &err), 0);
	hwims_config_free(&cfg);
	return c;
}

static void init_is_the_current_version(void **state)
{
	(void)state;
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	assert_int_equal(o.version, HWIMS_COPY_OPTIONS_VERSION);
	assert_true(o.create_timeout_ns == 0 && o.cancel == NULL && o.no_wait == 0);
}

static void a_newer_version_is_refused_before_sending(void **state)
{
	(void)state;
	hwims_client *c = offline_client();
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	o.version = HWIMS_COPY_OPTIONS_VERSION + 1;
	hwims_image *img = NULL;
	hwims_error err;
	assert_int_equal(hwims_image_copy_read(c, NULL, "some-image", &o, &img, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_non_null(strstr(err.message, "version"));
	assert_null(img);
	assert_int_equal(hwims_image_copy_delete(c, NULL, "some-image", &o, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_int_equal(hwims_client_calls(c), 0);
	hwims_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(init_is_the_current_version),
	    cmocka_unit_test(a_newer_version_is_refused_before_sending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
