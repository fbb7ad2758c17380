/*
 * The checked-in docs/resources/images_image_copy.md must equal what the
 * attribute table generates. Run scripts/gen-docs to rewrite it after
 * changing the table.
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
#include "hwims_test.h"

#define DOC_PATH HWIMS_TEST_DATA_DIR "/../../docs/resources/images_image_copy.md"

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

static void checked_in_doc_matches_the_table(void **state)
{
	char *doc = hwims_attrs_resource_doc();
	char *file;

	(void)state;
	assert_non_null(doc);
	if (getenv("HWIMS_UPDATE_DOCS")) {
		FILE *f = fopen(DOC_PATH, "w");
		assert_non_null(f);
		fputs(doc, f);
		fclose(f);
	}
	file = hwims_test_slurp(DOC_PATH, NULL);
	if (!file)
		fail_msg("cannot read %s (run scripts/gen-docs)", DOC_PATH);
	if (strcmp(file, doc) != 0)
		fail_msg("docs/resources/images_image_copy.md is stale: run scripts/gen-docs");
	free(file);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(doc_lists_every_attribute),
	    cmocka_unit_test(checked_in_doc_matches_the_table),
	};
	return cmocka_run_group_tests_name("attrs_doc", tests, NULL, NULL);
}
