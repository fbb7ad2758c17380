/* Unit tests for src/lib/image.c: every attribute gets the type of its table row, whatever JSON
 * type the API used (reference section 8.1), and derived attributes come from __data_origin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/image.h"
#include "hwims_test.h"

static hwims_image *load(const char *fixture, const char *region, const hwims_tags *tags)
{
	char *path = hwims_test_data_path(fixture);
	size_t len = 0;
	char *json = hwims_test_slurp(path, &len);
	assert_non_null(json);
	hwims_image *img = NULL;
	hwims_error err;
	assert_int_equal(hwims_image_from_json(json, len, region, tags, &img, &err), 0);
	free(json);
	free(path);
	return img;
}

static void documented_object_maps_every_type(void **state)
{
	(void)state;
	hwims_tags tags = HWIMS_TAGS_INIT;
	assert_int_equal(hwims_tags_set(&tags, "env", "test", NULL), 0);
	hwims_image *img = load("image_copy_documented.json", "cn-north-4", &tags);
	hwims_tags_free(&tags);

	assert_string_equal(hwims_image_id(img), "6f3d2c1e-0a4b-4c5d-8e9f-0123456789ab");
	assert_string_equal(hwims_image_region(img), "cn-north-4");
	assert_string_equal(hwims_image_str(img, "description"), "copied by test");
	assert_string_equal(hwims_image_str(img, "os_version"), "Ubuntu 18.04 server 64bit");
	assert_string_equal(hwims_image_str(img, "image_size"), "449261568");
	assert_string_equal(hwims_image_str(img, "__os_bit"), "64");
	assert_string_equal(hwims_image_str(img, "__support_kvm"), "true");
	assert_string_equal(hwims_image_str(img, "enterprise_project_id"), "0");
	int b = -1;
	assert_int_equal(hwims_image_bool(img, "protected", &b), 1);
	assert_int_equal(b, 0);
	assert_int_equal(hwims_image_bool(img, "__system_support_market", &b), 1);
	assert_int_equal(b, 1);
	int64_t i = -1;
	assert_int_equal(hwims_image_int(img, "min_ram", &i), 1);
	assert_int_equal(i, 0);
	assert_int_equal(hwims_image_int(img, "max_ram", &i), 1);
	assert_int_equal(i, 0);
	assert_int_equal(hwims_image_int(img, "min_disk", &i), 1);
	assert_int_equal(i, 40);
	const hwims_tags *t = hwims_image_tags(img);
	assert_non_null(t);
	assert_string_equal(hwims_tags_get(t, "env"), "test");

	/* derived: a copy within cn-north-4 */
	assert_string_equal(hwims_image_str(img, "region"), "cn-north-4");
	assert_string_equal(hwims_image_str(img, "source_image_id"),
	                    "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba90");
	assert_null(hwims_image_str(img, "target_region"));
	assert_string_equal(hwims_image_str(img, "instance_id"), "");
	/* the API cannot return these, and checksum is deprecated and never set */
	assert_null(hwims_image_str(img, "agency_name"));
	assert_null(hwims_image_str(img, "vault_id"));
	assert_null(hwims_image_str(img, "checksum"));
	assert_null(hwims_image_str(img, "kms_key_id"));
	hwims_image_free(img);
}

static void quirky_types_are_converted_not_fatal(void **state)
{
	(void)state;
	/* Lives in cn-south-1 although its origin is cn-north-4: a cross-region copy. */
	hwims_image *img = load("image_copy_quirks.json", "cn-south-1", NULL);
	int b = -1;
	int64_t i = -1;
	assert_int_equal(hwims_image_bool(img, "protected", &b), 1); /* "True" */
	assert_int_equal(b, 1);
	assert_int_equal(hwims_image_bool(img, "__system_support_market", &b), 1); /* "false" */
	assert_int_equal(b, 0);
	assert_int_equal(hwims_image_int(img, "min_ram", &i), 1); /* "1024" */
	assert_int_equal(i, 1024);
	assert_int_equal(hwims_image_int(img, "max_ram", &i), 1); /* 8192 */
	assert_int_equal(i, 8192);
	assert_int_equal(hwims_image_int(img, "min_disk", &i), 1); /* 40.0 */
	assert_int_equal(i, 40);
	assert_string_equal(hwims_image_str(img, "image_size"), "449261568"); /* a number */
	assert_string_equal(hwims_image_str(img, "__os_bit"), "64");
	assert_string_equal(hwims_image_str(img, "__isregistered"), "true"); /* a boolean */
	assert_string_equal(hwims_image_str(img, "__support_kvm"), "true");
	assert_string_equal(hwims_image_str(img, "os_shutdown_timeout"), "60");
	assert_string_equal(hwims_image_str(img, "__lazyloading"), "True");
	assert_string_equal(hwims_image_str(img, "__os_feature_list"),
	                    "{\"nic_hotplug\":\"true\"}");
	assert_string_equal(hwims_image_str(img, "kms_key_id"),
	                    "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01");
	assert_null(hwims_image_str(img, "description")); /* JSON null */
	assert_null(hwims_image_str(img, "active_at"));   /* absent */
	assert_null(hwims_image_tags(img));               /* not read */

	hwims_value v;
	hwims_error err;
	assert_int_equal(hwims_image_get(img, "tags", &v, &err), 0);
	assert_int_equal(v.type, HWIMS_ATTR_STRING_MAP);
	assert_true(v.is_null);
	assert_int_equal(hwims_image_get(img, "description", &v, &err), 0);
	assert_true(v.is_null);
	assert_int_equal(hwims_image_get(img, "no_such_attribute", &v, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);

	assert_string_equal(hwims_image_str(img, "region"), "cn-north-4");
	assert_string_equal(hwims_image_str(img, "target_region"), "cn-south-1");
	hwims_image_free(img);
}

static void every_table_attribute_is_answerable(void **state)
{
	(void)state;
	hwims_image *img = load("image_copy_documented.json", "cn-north-4", NULL);
	size_t n = 0;
	const hwims_attr *attrs = hwims_attrs(&n);
	for (size_t k = 0; k < n; k++) {
		hwims_value v;
		assert_int_equal(hwims_image_get(img, attrs[k].name, &v, NULL), 0);
		assert_int_equal(v.type, attrs[k].type);
	}
	hwims_image_free(img);
}

static void bad_objects_are_errors(void **state)
{
	(void)state;
	hwims_image *img = NULL;
	hwims_error err;
	assert_int_equal(hwims_image_from_json("[1]", 3, "r", NULL, &img, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_INVALID);
	assert_int_equal(hwims_image_from_json("{\"name\":\"x\"}", 12, "r", NULL, &img, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_INVALID);
	assert_int_equal(hwims_image_from_json("{", 1, "r", NULL, &img, &err), -1);
	assert_null(img);
}

static void data_origin_parsing(void **state)
{
	(void)state;
	char *r, *s;
	assert_int_equal(hwims_data_origin_parse("image,cn-north-4,abc", &r, &s), 0);
	assert_string_equal(r, "cn-north-4");
	assert_string_equal(s, "abc");
	free(r);
	free(s);
	assert_int_equal(hwims_data_origin_parse("instance,abc", &r, &s), HWIMS_ENOMATCH);
	assert_null(r);
	assert_int_equal(hwims_data_origin_parse("image,,abc", &r, &s), HWIMS_ENOMATCH);
	assert_int_equal(hwims_data_origin_parse("image,r", &r, &s), HWIMS_ENOMATCH);
	assert_int_equal(hwims_data_origin_parse(NULL, &r, &s), HWIMS_ENOMATCH);
}

static void instance_origin_gives_instance_id(void **state)
{
	(void)state;
	const char *json = "{\"id\":\"i1\",\"__data_origin\":\"instance,srv-1\"}";
	hwims_image *img = NULL;
	assert_int_equal(hwims_image_from_json(json, strlen(json), "cn-north-4", NULL, &img, NULL),
	                 0);
	assert_string_equal(hwims_image_str(img, "instance_id"), "srv-1");
	assert_null(hwims_image_str(img, "source_image_id"));
	assert_string_equal(hwims_image_str(img, "region"), "cn-north-4");
	hwims_image_free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(documented_object_maps_every_type),
	    cmocka_unit_test(quirky_types_are_converted_not_fatal),
	    cmocka_unit_test(every_table_attribute_is_answerable),
	    cmocka_unit_test(bad_objects_are_errors),
	    cmocka_unit_test(data_origin_parsing),
	    cmocka_unit_test(instance_origin_gives_instance_id),
	};
	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
