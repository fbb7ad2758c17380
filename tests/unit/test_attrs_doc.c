/*
 * The checked-in docs/resources/images_image_copy.md and docs/data-sources/images_image.md,
 * images_images.md must equal what the attribute tables generate. Run scripts/gen-docs to
 * rewrite them after changing a table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "hwims/image_query.h"
#include "hwims_test.h"

static void doc_lists_every_attribute(void **state)
{
	size_t n;
	const hwims_attr *t = hwims_attrs(&n);
	char *doc = hwims_attrs_resource_doc();
	char needle[256];

	(void)state;
	assert_non_null(doc);
	for (size_t i = 0; i < n; i++) {
		if (t[i].flags & HWIMS_ATTR_DEPRECATED)
			continue;
		snprintf(needle, sizeof(needle), "* `%s` - ", t[i].name);
		if (!strstr(doc, needle))
			fail_msg("docs do not list %s", t[i].name);
	}
	assert_non_null(strstr(doc, "* `name` - (Required, String) "));
	assert_non_null(strstr(doc, "* `kms_key_id` - (Optional, String, ForceNew) "));
	assert_non_null(strstr(doc, "* `tags` - (Optional, Map) "));
	assert_non_null(strstr(doc, "* `create` - Default is 60 minutes."));
	assert_non_null(strstr(doc, " `agency_name`, `vault_id`."));
	free(doc);
}

/* The page at path (under docs/) must be doc; HWIMS_UPDATE_DOCS=1 rewrites it first. */
static void page_is_current(const char *path, char *doc)
{
	assert_non_null(doc);
	int rc = hwims_test_doc_current(path, doc);
	free(doc);
	if (rc < 0)
		fail_msg("cannot read docs/%s (run scripts/gen-docs)", path);
	if (rc > 0)
		fail_msg("docs/%s is stale: run scripts/gen-docs", path);
}

static void checked_in_doc_matches_the_table(void **state)
{
	(void)state;
	page_is_current("resources/images_image_copy.md", hwims_attrs_resource_doc());
}

static void data_source_pages_match_the_tables(void **state)
{
	(void)state;
	page_is_current("data-sources/images_image.md",
	                hwims_query_data_source_doc(HWIMS_QUERY_IN_ONE));
	page_is_current("data-sources/images_images.md",
	                hwims_query_data_source_doc(HWIMS_QUERY_IN_MANY));
}

/* Every argument and attribute of the official pages, with its type; name_regex says which
   regular expressions it takes. */
static void data_source_pages_list_every_argument(void **state)
{
	(void)state;
	char *one = hwims_query_data_source_doc(HWIMS_QUERY_IN_ONE);
	char *many = hwims_query_data_source_doc(HWIMS_QUERY_IN_MANY);
	assert_non_null(one);
	assert_non_null(many);
	static const char *const both[] = {"* `region` - (Optional, String) ",
	                                   "* `image_id` - (Optional, String) ",
	                                   "* `name` - (Optional, String) ",
	                                   "* `name_regex` - (Optional, String) ",
	                                   "* `image_type` - (Optional, String) ",
	                                   "* `is_whole_image` - (Optional, Bool) ",
	                                   "* `visibility` - (Optional, String) ",
	                                   "* `owner` - (Optional, String) ",
	                                   "* `flavor_id` - (Optional, String) ",
	                                   "* `sort_key` - (Optional, String) ",
	                                   "* `sort_direction` - (Optional, String) ",
	                                   "* `os` - (Optional, String) ",
	                                   "* `architecture` - (Optional, String) ",
	                                   "* `tag` - (Optional, String) ",
	                                   "* `enterprise_project_id` - (Optional, String) ",
	                                   "POSIX extended regular expression",
	                                   "* `id` - ",
	                                   "* `os_version` - ",
	                                   "* `size_bytes` - ",
	                                   "* `updated_at` - ",
	                                   "* `min_ram_mb` - ",
	                                   "* `data_origin` - "};
	for (size_t i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		if (!strstr(one, both[i]) || !strstr(many, both[i]))
			fail_msg("a data source page lacks \"%s\"", both[i]);
	}
	assert_non_null(strstr(one, "* `most_recent` - (Optional, Bool) "));
	assert_null(strstr(many, "`most_recent` - "));
	assert_non_null(strstr(many, "* `__support_agent_list` - (Optional, String) "));
	assert_non_null(strstr(many, "* `images` - "));
	assert_null(strstr(one, "`__support_agent_list` - "));
	free(one);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(doc_lists_every_attribute),
	    cmocka_unit_test(checked_in_doc_matches_the_table),
	    cmocka_unit_test(data_source_pages_list_every_argument),
	    cmocka_unit_test(data_source_pages_match_the_tables),
	};
	return cmocka_run_group_tests_name("attrs_doc", tests, NULL, NULL);
}
