/* Unit tests of seed.c: the built-in seed keeps the contract identifiers; bad seeds are
 * refused with a message naming the problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "seed.h"

static void test_default_seed_contract(void **state)
{
	imsd_seed *s = NULL;

	(void)state;
	assert_int_equal(imsd_seed_load(&s, NULL, NULL), 0);
	assert_string_equal(s->domain_name, "hwims-demo");
	assert_string_equal(s->domain_id, "d0d0a1b2c3d4e5f60718293a4b5c6d7e");
	assert_string_equal(imsd_seed_secret(s, "HWIMSDEMOACCESSKEY01"),
	                    "hwimsDemoSecretKey0123456789abcdefghijklm");
	assert_string_equal(imsd_seed_secret(s, "HWIMSREADERACCESSKY2"),
	                    "hwimsReaderSecretKey0123456789abcdefghij");
	assert_null(imsd_seed_secret(s, "nope"));
	assert_string_equal(s->regions[0].name, "cn-north-4");
	assert_string_equal(imsd_seed_region(s, "cn-north-4")->project_id,
	                    "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f");
	assert_string_equal(imsd_seed_region(s, "cn-south-1")->project_id,
	                    "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a");
	assert_string_equal(imsd_seed_region(s, "ap-southeast-1")->project_id,
	                    "2c6e9a4b1d3f4a8b0c5e7a9b1d3f5a7b");
	assert_string_equal(
	    imsd_seed_region_by_project(s, "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a")->name, "cn-south-1");
	assert_true(imsd_seed_kms_key(s, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01")->enabled);
	assert_false(imsd_seed_kms_key(s, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d03")->enabled);
	assert_string_equal(imsd_seed_kms_key(s, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d11")->region,
	                    "cn-south-1");
	assert_true(imsd_seed_has_agency(s, "ims_admin_agency"));
	assert_string_equal(imsd_seed_vault(s, "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e21")->region,
	                    "ap-southeast-1");
	assert_string_equal(imsd_seed_eps(s, "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f02")->name,
	                    "staging");
	assert_non_null(imsd_seed_eps(s, "0"));
	assert_string_equal(s->fail_name_pattern, "*-fail");
	assert_true(s->throughput_mib_s == 100);
	assert_int_equal(s->tag_max, 10);
	assert_int_equal(s->tag_key_max, 36);
	assert_int_equal(s->tag_value_max, 43);
	assert_int_equal(s->missing_image_status, 400);
	assert_string_equal(s->missing_image_code, "IMG.0027");
	/* 8 images of the first seed, 10 public ones and a shared one for the data-source queries,
	 * and the 520 nightly backups of image_series (more than one page of 500). */
	assert_int_equal(json_array_size(s->images), 8 + 11 + 520);
	assert_int_equal(s->quota_private_images, 1000);
	assert_int_equal(imsd_seed_flavor(s, "s6.large.2")->ram_mb, 4096);
	assert_true(imsd_seed_flavor(s, "kc1.large.2")->arm);
	assert_null(imsd_seed_flavor(s, "nope"));
	json_t *last = json_array_get(s->images, json_array_size(s->images) - 1);
	assert_string_equal(json_string_value(json_object_get(last, "id")),
	                    "6a1e0b2c-3d4f-4a5b-8c6d-000000000207");
	assert_string_equal(json_string_value(json_object_get(last, "name")),
	                    "nightly-backup-0519");
	assert_string_equal(json_string_value(json_object_get(last, "created_at")),
	                    "2026-02-01T08:39:00Z");
	assert_string_equal(json_string_value(json_object_get(last, "region")), "ap-southeast-1");
	imsd_seed_free(s);
}

static void expect_refused(const char *json, const char *fragment)
{
	imsd_seed *s = NULL;
	hwims_error err;

	assert_int_equal(imsd_seed_parse(&s, json, strlen(json), &err), -1);
	assert_null(s);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	if (!strstr(err.message, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
}

#define MIN_OK                                                                                     \
	"\"domain\":{\"name\":\"d\",\"id\":\"1\"},\"credentials\":[{\"access_key\":\"a\","         \
	"\"secret_key\":\"s\"}],\"regions\":[{\"name\":\"r-a-1\",\"project_id\":\"p\"}]"

static void test_bad_seeds(void **state)
{
	imsd_seed *s = NULL;

	(void)state;
	assert_int_equal(imsd_seed_parse(&s, "{" MIN_OK "}", strlen("{" MIN_OK "}"), NULL), 0);
	assert_int_equal(s->n_eps, 1); /* "0" is always there */
	assert_int_equal(s->quota_private_images, 100);
	imsd_seed_free(s);

	expect_refused("not json", "invalid JSON");
	expect_refused("{" MIN_OK ",\"flavors\":[{\"ram\":1}]}", "flavor needs a \"id\"");
	expect_refused("{" MIN_OK ",\"flavors\":[{\"id\":\"f\",\"architecture\":\"mips\"}]}",
	               "x86 or arm");
	expect_refused("{" MIN_OK ",\"image_series\":[{\"region\":\"r-a-1\",\"count\":2,"
	               "\"id_prefix\":\"short\",\"name_prefix\":\"n\",\"template\":{}}]}",
	               "24-character");
	expect_refused("{" MIN_OK ",\"image_series\":[{\"region\":\"r-a-1\",\"count\":1,"
	               "\"id_prefix\":\"6a1e0b2c-3d4f-4a5b-8c6d-\",\"name_prefix\":\"n\","
	               "\"created_at\":\"yesterday\",\"template\":{}}]}",
	               "created_at");
	expect_refused("[]", "top level");
	expect_refused("{\"domain\":{}}", "domain needs");
	expect_refused("{\"domain\":{\"name\":\"d\",\"id\":\"1\"},\"credentials\":[]}",
	               "credential");
	expect_refused("{\"domain\":{\"name\":\"d\",\"id\":\"1\"},\"credentials\":[{\"access_key\":"
	               "\"a\"}]}",
	               "secret_key");
	expect_refused("{" MIN_OK ",\"images\":[{\"id\":\"i\",\"name\":\"n\",\"region\":\"zz\"}]}",
	               "image 0");
	expect_refused("{" MIN_OK ",\"kms_keys\":{}}", "kms_keys");
	expect_refused("{" MIN_OK ",\"throughput_mib_s\":0}", "throughput");
	expect_refused("{" MIN_OK ",\"quotas\":{\"private_images_per_region\":-1}}",
	               "private_images_per_region");
	expect_refused("{" MIN_OK ",\"missing_image\":{\"status\":410}}", "400 or 404");
	expect_refused("{" MIN_OK ",\"missing_image\":{\"code\":\"IMG.0001\"}}", "IMG.0144");
	const char *kind = "{" MIN_OK ",\"missing_image\":{\"status\":404,\"code\":\"IMG.0144\"}}";
	assert_int_equal(imsd_seed_parse(&s, kind, strlen(kind), NULL), 0);
	assert_int_equal(s->missing_image_status, 404);
	assert_string_equal(s->missing_image_code, "IMG.0144");
	imsd_seed_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_seed_contract),
	    cmocka_unit_test(test_bad_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
