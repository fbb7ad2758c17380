/* Unit tests for src/lib/validate.c: each rule of the resource is enforced with the attribute's
 * name and the broken rule in the error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hwims/image_copy.h"

static void base(hwims_copy_spec *s)
{
	memset(s, 0, sizeof(*s));
	hwims_copy_spec_set(&s->source_image_id, "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01", NULL);
	hwims_copy_spec_set(&s->name, "copy-01", NULL);
}

/* Validate s in default region cn-north-4 and expect a USAGE error on attr mentioning what. */
static void expect_bad(hwims_copy_spec *s, const char *attr, const char *what)
{
	hwims_error err;
	assert_int_equal(hwims_copy_spec_validate(s, "cn-north-4", &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, attr);
	if (!strstr(err.message, what))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, what);
	hwims_copy_spec_free(s);
}

static void expect_ok(hwims_copy_spec *s)
{
	hwims_error err;
	if (hwims_copy_spec_validate(s, "cn-north-4", &err) != 0)
		fail_msg("unexpected error on %s: %s", err.attribute, err.message);
	hwims_copy_spec_free(s);
}

static void minimal_specs_pass(void **state)
{
	(void)state;
	hwims_copy_spec s;
	base(&s);
	expect_ok(&s);
	base(&s);
	hwims_copy_spec_set(&s.target_region, "cn-south-1", NULL);
	hwims_copy_spec_set(&s.agency_name, "ims_admin_agency", NULL);
	hwims_copy_spec_set(&s.vault_id, "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11", NULL);
	expect_ok(&s);
	/* target_region equal to region is a copy within the region: KMS allowed */
	base(&s);
	hwims_copy_spec_set(&s.region, "cn-north-4", NULL);
	hwims_copy_spec_set(&s.target_region, "cn-north-4", NULL);
	hwims_copy_spec_set(&s.kms_key_id, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01", NULL);
	hwims_copy_spec_set(&s.enterprise_project_id, "0", NULL);
	expect_ok(&s);
}

static void required_arguments(void **state)
{
	(void)state;
	hwims_copy_spec s;
	base(&s);
	hwims_copy_spec_set(&s.source_image_id, NULL, NULL);
	expect_bad(&s, "source_image_id", "required");
	base(&s);
	hwims_copy_spec_set(&s.name, "", NULL);
	expect_bad(&s, "name", "required");
}

static void name_rules(void **state)
{
	(void)state;
	hwims_copy_spec s;
	char long_name[200];
	memset(long_name, 'a', 129);
	long_name[129] = '\0';
	base(&s);
	hwims_copy_spec_set(&s.name, long_name, NULL);
	expect_bad(&s, "name", "at most 128");
	long_name[128] = '\0';
	base(&s);
	hwims_copy_spec_set(&s.name, long_name, NULL);
	expect_ok(&s);
	base(&s);
	hwims_copy_spec_set(&s.name, " leading", NULL);
	expect_bad(&s, "name", "start or end with a space");
	base(&s);
	hwims_copy_spec_set(&s.name, "trailing ", NULL);
	expect_bad(&s, "name", "start or end with a space");
	base(&s);
	hwims_copy_spec_set(&s.name, "bad/name", NULL);
	expect_bad(&s, "name", "'/'");
	base(&s);
	hwims_copy_spec_set(&s.name, "bad\xff", NULL);
	expect_bad(&s, "name", "UTF-8");
	/* Chinese letters count as one character each: 128 of them are fine */
	char cjk[128 * 3 + 1] = "";
	for (int i = 0; i < 128; i++)
		strcat(cjk, "\xe9\x95\x9c"); /* U+955C */
	base(&s);
	hwims_copy_spec_set(&s.name, cjk, NULL);
	expect_ok(&s);
	base(&s);
	hwims_copy_spec_set(&s.name, "Ubuntu 22.04_copy-\xe9\x95\x9c\xe5\x83\x8f", NULL);
	expect_ok(&s);
}

static void description_rules(void **state)
{
	(void)state;
	hwims_copy_spec s;
	char d[1100];
	memset(d, 'x', 1025);
	d[1025] = '\0';
	base(&s);
	hwims_copy_spec_set(&s.description, d, NULL);
	expect_bad(&s, "description", "at most 1024");
	base(&s);
	hwims_copy_spec_set(&s.description, "a <b>", NULL);
	expect_bad(&s, "description", "'<' or '>'");
	base(&s);
	hwims_copy_spec_set(&s.description, "two\r\nlines", NULL);
	expect_bad(&s, "description", "line breaks");
	base(&s);
	hwims_copy_spec_set(&s.description, "Golden copy, v2 (spaces & punctuation ok)", NULL);
	expect_ok(&s);
}

/* A control character would reach the terminal of whoever shows the image: ESC sequences clear
 * the screen or set the window title. Refused with the character and the rule named. */
static void description_refuses_control_characters(void **state)
{
	(void)state;
	static const struct {
		const char *text, *cp;
	} bad[] = {
	    {"title \033]0;pwned\007", "U+001B"},
	    {"clear\033[2J", "U+001B"},
	    {"tab\there", "U+0009"},
	    {"bell\007", "U+0007"},
	    {"del\x7f", "U+007F"},
	    {"csi \xc2\x9b"
	     "2J",
	     "U+009B"},
	    {"nel \xc2\x85", "U+0085"},
	};
	hwims_copy_spec s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		base(&s);
		hwims_copy_spec_set(&s.description, bad[i].text, NULL);
		hwims_error err;
		assert_int_equal(hwims_copy_spec_validate(&s, "cn-north-4", &err), -1);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
		assert_string_equal(err.attribute, "description");
		if (!strstr(err.message, bad[i].cp) ||
		    !strstr(err.message, "control characters (U+0000-U+001F, U+007F-U+009F) are "
		                         "not allowed"))
			fail_msg("description %zu: message \"%s\" lacks %s and the rule", i,
			         err.message, bad[i].cp);
		hwims_copy_spec_free(&s);
	}
	/* the first printable characters past the controls stay allowed: U+00A0, U+00E9, CJK */
	base(&s);
	hwims_copy_spec_set(&s.description, "nbsp\xc2\xa0 caf\xc3\xa9 \xe9\x95\x9c\xe5\x83\x8f",
	                    NULL);
	expect_ok(&s);
}

static void region_rules(void **state)
{
	(void)state;
	hwims_copy_spec s;
	base(&s);
	hwims_copy_spec_set(&s.region, "x@127.0.0.1:47447/#", NULL);
	expect_bad(&s, "region", "lower-case letters, digits and '-'");
	base(&s);
	hwims_copy_spec_set(&s.target_region, "evil.example.com/#", NULL);
	hwims_copy_spec_set(&s.agency_name, "ims_admin_agency", NULL);
	expect_bad(&s, "target_region", "lower-case letters, digits and '-'");
	base(&s);
	hwims_copy_spec_set(&s.target_region, "cn-south-1", NULL);
	hwims_copy_spec_set(&s.agency_name, "ims_admin_agency", NULL);
	hwims_copy_spec_set(&s.kms_key_id, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01", NULL);
	expect_bad(&s, "kms_key_id", "within a region");
	base(&s);
	hwims_copy_spec_set(&s.target_region, "cn-south-1", NULL);
	hwims_copy_spec_set(&s.agency_name, "ims_admin_agency", NULL);
	hwims_copy_spec_set(&s.enterprise_project_id, "0", NULL);
	expect_bad(&s, "enterprise_project_id", "within a region");
	base(&s);
	hwims_copy_spec_set(&s.target_region, "cn-south-1", NULL);
	hwims_error aerr;
	/* an existing copy's arguments need no agency (an imported one has none known) */
	assert_int_equal(hwims_copy_spec_validate_arguments(&s, "cn-north-4", &aerr), 0);
	expect_bad(&s, "agency_name", "required");
	base(&s);
	hwims_copy_spec_set(&s.vault_id, "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11", NULL);
	expect_bad(&s, "vault_id", "set target_region to the region to copy to");
	/* target_region set, but to the source's region: the message must not ask to set it */
	base(&s);
	hwims_copy_spec_set(&s.vault_id, "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11", NULL);
	hwims_copy_spec_set(&s.target_region, "cn-north-4", NULL);
	expect_bad(&s, "vault_id", "target_region \"cn-north-4\" is the source image's region");
}

static void ram_rules(void **state)
{
	(void)state;
	hwims_copy_spec s;
	base(&s);
	s.has_min_ram = 1;
	s.min_ram = -1;
	expect_bad(&s, "min_ram", "between 0 and");
	base(&s);
	s.has_max_ram = 1;
	s.max_ram = 2000000;
	expect_bad(&s, "max_ram", "between 0 and");
	base(&s);
	s.has_min_ram = s.has_max_ram = 1;
	s.min_ram = 4096;
	s.max_ram = 2048;
	expect_bad(&s, "min_ram", "greater than max_ram");
	base(&s);
	s.has_min_ram = s.has_max_ram = 1;
	s.min_ram = 4096;
	s.max_ram = 0; /* 0: no upper bound */
	expect_ok(&s);
	base(&s);
	s.has_min_ram = s.has_max_ram = 1;
	s.min_ram = 1024;
	s.max_ram = 8192;
	expect_ok(&s);
}

static void tag_rules(void **state)
{
	(void)state;
	hwims_copy_spec s;
	char key[40];
	base(&s);
	for (int i = 0; i < 21; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		hwims_tags_set(&s.tags, key, "v", NULL);
	}
	expect_bad(&s, "tags", "at most 20");
	base(&s);
	hwims_tags_set(&s.tags, "", "v", NULL);
	expect_bad(&s, "tags", "must not be empty");
	base(&s);
	hwims_tags_set(&s.tags, "bad=key", "v", NULL);
	expect_bad(&s, "tags", "'='");
	base(&s);
	hwims_tags_set(&s.tags, "key", " padded", NULL);
	expect_bad(&s, "tags", "start or end with a space");
	char big[300];
	memset(big, 'v', 256);
	big[256] = '\0';
	base(&s);
	hwims_tags_set(&s.tags, "key", big, NULL);
	expect_bad(&s, "tags", "at most 255");
	memset(big, 'k', 129);
	big[129] = '\0';
	base(&s);
	hwims_tags_set(&s.tags, big, "v", NULL);
	expect_bad(&s, "tags", "at most 128");
	base(&s);
	hwims_tags_set(&s.tags, "owner", "team-a/ops@hq", NULL);
	hwims_tags_set(&s.tags, "empty", "", NULL);
	hwims_tags_set(&s.tags, "\xe7\x8e\xaf\xe5\xa2\x83", "prod:1.2+x", NULL);
	expect_ok(&s);
}

/* Valid tags beyond the IMS API pages' limits (10, 36, 43) are a warning, not an error. */
static void tag_caution(void **state)
{
	(void)state;
	hwims_copy_spec s;
	hwims_error w;
	char key[64], big[64];
	base(&s);
	for (int i = 0; i < 10; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		hwims_tags_set(&s.tags, key, "v", NULL);
	}
	memset(key, 'k', 36);
	key[36] = '\0';
	memset(big, 'v', 43);
	big[43] = '\0';
	hwims_tags_set(&s.tags, "k0", big, NULL);
	hwims_tags_set(&s.tags, "k1", "v", NULL);
	assert_int_equal(hwims_copy_spec_caution(&s, &w), 0); /* 10 tags, a 43-character value */
	assert_int_equal(w.kind, HWIMS_ERR_NONE);
	hwims_tags_set(&s.tags, "k10", "v", NULL);
	assert_int_equal(hwims_copy_spec_caution(&s, &w), 1);
	assert_string_equal(w.attribute, "tags");
	assert_non_null(strstr(w.message, "11 tags given: the IMS API documents at most 10"));
	assert_non_null(strstr(w.message, "tainted"));
	expect_ok(&s); /* and frees s */

	base(&s);
	big[44 - 1] = 'v';
	big[44] = '\0';
	hwims_tags_set(&s.tags, "team", big, NULL);
	assert_int_equal(hwims_copy_spec_caution(&s, &w), 1);
	assert_string_equal(w.attribute, "tags[\"team\"]");
	assert_non_null(
	    strstr(w.message, "is 44 characters long: the IMS API documents at most 43"));
	hwims_copy_spec_free(&s);

	base(&s);
	memset(key, '\0', sizeof(key));
	for (int i = 0; i < 37; i++)
		strcat(key, i % 2 ? "k" : "K");
	hwims_tags_set(&s.tags, key, "v", NULL);
	assert_int_equal(hwims_copy_spec_caution(&s, &w), 1);
	assert_non_null(strstr(w.message, "tag key"));
	assert_non_null(strstr(w.message, "at most 36"));
	hwims_copy_spec_free(&s);
}

static void tags_list_semantics(void **state)
{
	(void)state;
	hwims_tags a = HWIMS_TAGS_INIT, b = HWIMS_TAGS_INIT;
	assert_int_equal(hwims_tags_set(&a, "x", "1", NULL), 0);
	assert_int_equal(hwims_tags_set(&a, "y", "2", NULL), 0);
	assert_int_equal(hwims_tags_set(&a, "x", "3", NULL), 0);
	assert_int_equal(a.count, 2);
	assert_string_equal(hwims_tags_get(&a, "x"), "3");
	assert_int_equal(hwims_tags_copy(&b, &a, NULL), 0);
	assert_true(hwims_tags_equal(&a, &b));
	hwims_tags_remove(&b, "x");
	assert_false(hwims_tags_equal(&a, &b));
	assert_null(hwims_tags_get(&b, "x"));
	hwims_tags_remove(&b, "y");
	assert_int_equal(b.count, 0);
	assert_true(hwims_tags_equal(&b, NULL));
	hwims_tags_free(&a);
	hwims_tags_free(&b);
}

static void cross_region_detection(void **state)
{
	(void)state;
	hwims_copy_spec s;
	base(&s);
	assert_false(hwims_copy_spec_is_cross_region(&s, "cn-north-4"));
	hwims_copy_spec_set(&s.target_region, "cn-north-4", NULL);
	assert_false(hwims_copy_spec_is_cross_region(&s, "cn-north-4"));
	hwims_copy_spec_set(&s.target_region, "cn-south-1", NULL);
	assert_true(hwims_copy_spec_is_cross_region(&s, "cn-north-4"));
	hwims_copy_spec_set(&s.region, "cn-south-1", NULL);
	assert_false(hwims_copy_spec_is_cross_region(&s, "cn-north-4"));
	hwims_copy_spec c;
	assert_int_equal(hwims_copy_spec_copy(&c, &s, NULL), 0);
	assert_string_equal(c.region, "cn-south-1");
	assert_string_equal(c.name, "copy-01");
	hwims_copy_spec_free(&c);
	hwims_copy_spec_free(&s);
}

/* A message quotes whole characters only (a cut Chinese character would make the message
 * invalid UTF-8), and never the control character that made the input invalid. */
static void messages_quote_whole_characters(void **state)
{
	(void)state;
	hwims_copy_spec s;
	hwims_error err;
	char key[700] = "";
	for (int i = 0; i < 200; i++)
		strcat(key, "\xe6\xa0\x87"); /* U+6807, 3 bytes */
	base(&s);
	hwims_tags_set(&s.tags, key, "v", NULL);
	assert_int_equal(hwims_copy_spec_validate(&s, "cn-north-4", &err), -1);
	assert_string_equal(err.attribute, "tags");
	assert_non_null(strstr(err.message, "is 200 characters long: at most 128"));
	/* 32 whole characters quoted: 96 bytes, then the ellipsis */
	const char *q = strchr(err.message, '"');
	assert_non_null(q);
	assert_memory_equal(q + 1, key, 96);
	assert_memory_equal(q + 97, "...\"", 4);
	hwims_copy_spec_free(&s);
	base(&s);
	hwims_tags_set(&s.tags, "env\033[2J", "v", NULL);
	assert_int_equal(hwims_copy_spec_validate(&s, "cn-north-4", &err), -1);
	assert_non_null(strstr(err.message, "tag key \"env\" contains character U+001B"));
	assert_null(strchr(err.message, '\033'));
	hwims_copy_spec_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(minimal_specs_pass),
	    cmocka_unit_test(required_arguments),
	    cmocka_unit_test(name_rules),
	    cmocka_unit_test(description_rules),
	    cmocka_unit_test(description_refuses_control_characters),
	    cmocka_unit_test(messages_quote_whole_characters),
	    cmocka_unit_test(region_rules),
	    cmocka_unit_test(ram_rules),
	    cmocka_unit_test(tag_rules),
	    cmocka_unit_test(tag_caution),
	    cmocka_unit_test(tags_list_semantics),
	    cmocka_unit_test(cross_region_detection),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
