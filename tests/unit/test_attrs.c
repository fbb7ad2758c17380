/* Unit tests for src/lib/attrs.c: the table must be a valid Terraform schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hwims/attrs.h"

/* Every attribute the spec's Argument and Attribute Reference lists, plus the
 * deprecated checksum kept for state compatibility. */
static const char *const spec_names[] = {
    "region",
    "source_image_id",
    "name",
    "target_region",
    "kms_key_id",
    "enterprise_project_id",
    "agency_name",
    "vault_id",
    "min_ram",
    "max_ram",
    "description",
    "tags",
    "instance_id",
    "file",
    "self",
    "schema",
    "status",
    "visibility",
    "protected",
    "container_format",
    "updated_at",
    "__os_bit",
    "os_version",
    "disk_format",
    "__isregistered",
    "__platform",
    "__os_type",
    "min_disk",
    "virtual_env_type",
    "__image_source_type",
    "__imagetype",
    "created_at",
    "__originalimagename",
    "__backup_id",
    "__productcode",
    "image_size",
    "data_origin",
    "__lazyloading",
    "active_at",
    "__image_displayname",
    "__os_feature_list",
    "__support_kvm",
    "__support_xen",
    "__support_largememory",
    "__support_diskintensive",
    "__support_highperformance",
    "__support_xen_gpu_type",
    "__support_kvm_gpu_type",
    "__support_xen_hana",
    "__support_kvm_infiniband",
    "__system_support_market",
    "__is_offshelved",
    "__root_origin",
    "__sequence_num",
    "__support_fc_inject",
    "hw_firmware_type",
    "hw_vif_multiqueue_enabled",
    "__support_arm",
    "__support_agent_list",
    "__account_code",
    "__support_amd",
    "__support_kvm_hi1822_hisriov",
    "__support_kvm_hi1822_hivirtionet",
    "os_shutdown_timeout",
    "checksum",
};

static void every_spec_attribute_is_in_the_table(void **state)
{
	size_t n;

	(void)state;
	hwims_attrs(&n);
	assert_int_equal(n, sizeof(spec_names) / sizeof(spec_names[0]));
	for (size_t i = 0; i < n; i++) {
		const hwims_attr *a = hwims_attr_find(spec_names[i]);
		if (!a)
			fail_msg("attribute %s missing from the table", spec_names[i]);
	}
}

static void rows_are_valid_schema(void **state)
{
	size_t n;
	const hwims_attr *t = hwims_attrs(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		unsigned f = t[i].flags;
		int req = !!(f & HWIMS_ATTR_REQUIRED), opt = !!(f & HWIMS_ATTR_OPTIONAL),
		    comp = !!(f & HWIMS_ATTR_COMPUTED);
		if (!(req || opt || comp))
			fail_msg("%s: neither required, optional nor computed", t[i].name);
		if (req && (opt || comp))
			fail_msg("%s: required cannot combine with optional/computed", t[i].name);
		for (const char *c = t[i].name; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				fail_msg("%s: name not ^[a-z0-9_]+$", t[i].name);
		if ((t[i].source == HWIMS_SRC_IMAGE) != (t[i].api_field != NULL))
			fail_msg("%s: api_field must be set exactly for image fields", t[i].name);
		if (!t[i].description || !*t[i].description)
			fail_msg("%s: no description", t[i].name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(t[i].name, t[j].name) == 0)
				fail_msg("%s: duplicate row", t[i].name);
	}
}

static void types_match_the_go_provider(void **state)
{
	(void)state;
	assert_int_equal(hwims_attr_find("protected")->type, HWIMS_ATTR_BOOL);
	assert_int_equal(hwims_attr_find("__system_support_market")->type, HWIMS_ATTR_BOOL);
	assert_int_equal(hwims_attr_find("min_ram")->type, HWIMS_ATTR_INT);
	assert_int_equal(hwims_attr_find("max_ram")->type, HWIMS_ATTR_INT);
	assert_int_equal(hwims_attr_find("min_disk")->type, HWIMS_ATTR_INT);
	assert_int_equal(hwims_attr_find("tags")->type, HWIMS_ATTR_STRING_MAP);
	assert_int_equal(hwims_attr_find("image_size")->type, HWIMS_ATTR_STRING);
	assert_int_equal(hwims_attr_find("__os_bit")->type, HWIMS_ATTR_STRING);
	assert_int_equal(hwims_attr_find("__support_kvm")->type, HWIMS_ATTR_STRING);
	assert_string_equal(hwims_attr_find("os_version")->api_field, "__os_version");
	assert_string_equal(hwims_attr_find("image_size")->api_field, "__image_size");
	assert_string_equal(hwims_attr_find("description")->api_field, "__description");
	assert_string_equal(hwims_attr_find("kms_key_id")->api_field, "__system__cmkid");
	assert_string_equal(hwims_attr_find("data_origin")->api_field, "__data_origin");
	assert_null(hwims_attr_find("no_such_attribute"));
}

static void force_new_and_updatable_follow_the_spec(void **state)
{
	static const char *const force_new[] = {"region",     "source_image_id", "target_region",
	                                        "kms_key_id", "agency_name",     "vault_id"};
	static const char *const updatable[] = {"name",    "description", "min_ram",
	                                        "max_ram", "tags",        "enterprise_project_id"};

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		assert_true(hwims_attr_find(force_new[i])->flags & HWIMS_ATTR_FORCE_NEW);
		assert_false(hwims_attr_find(force_new[i])->flags & HWIMS_ATTR_UPDATABLE);
		assert_true(hwims_attr_find(updatable[i])->flags & HWIMS_ATTR_UPDATABLE);
		assert_false(hwims_attr_find(updatable[i])->flags & HWIMS_ATTR_FORCE_NEW);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_spec_attribute_is_in_the_table),
	    cmocka_unit_test(rows_are_valid_schema),
	    cmocka_unit_test(types_match_the_go_provider),
	    cmocka_unit_test(force_new_and_updatable_follow_the_spec),
	};
	return cmocka_run_group_tests_name("attrs", tests, NULL, NULL);
}
