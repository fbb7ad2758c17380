/* Invalid input is refused before any request: the client points at a closed port, so a
 * request would surface as a network error; every case must be a usage error naming the
 * attribute, with no call made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wf_support.h"

typedef void (*mutate_fn)(hwims_copy_spec *s);

static void m_no_source(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->source_image_id, NULL, NULL);
}
static void m_long_name(hwims_copy_spec *s)
{
	char n[140];
	memset(n, 'n', 129);
	n[129] = '\0';
	hwims_copy_spec_set(&s->name, n, NULL);
}
static void m_bad_name(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->name, "name*with*stars", NULL);
}
static void m_spaced_name(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->name, " spaced", NULL);
}
static void m_bad_description(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->description, "<script>", NULL);
}
static void m_long_description(hwims_copy_spec *s)
{
	char d[1100];
	memset(d, 'd', 1025);
	d[1025] = '\0';
	hwims_copy_spec_set(&s->description, d, NULL);
}
static void m_kms_across(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->target_region, WF_REGION2, NULL);
	hwims_copy_spec_set(&s->agency_name, WF_AGENCY, NULL);
	hwims_copy_spec_set(&s->kms_key_id, WF_KMS_KEY, NULL);
}
static void m_eps_across(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->target_region, WF_REGION2, NULL);
	hwims_copy_spec_set(&s->agency_name, WF_AGENCY, NULL);
	hwims_copy_spec_set(&s->enterprise_project_id, WF_EPS_PROD, NULL);
}
static void m_no_agency(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->target_region, WF_REGION2, NULL);
}
static void m_vault_within(hwims_copy_spec *s)
{
	hwims_copy_spec_set(&s->vault_id, WF_VAULT_SOUTH, NULL);
}
static void m_negative_ram(hwims_copy_spec *s)
{
	s->has_min_ram = 1;
	s->min_ram = -512;
}
static void m_huge_ram(hwims_copy_spec *s)
{
	s->has_max_ram = 1;
	s->max_ram = 4000000;
}
static void m_ram_order(hwims_copy_spec *s)
{
	s->has_min_ram = s->has_max_ram = 1;
	s->min_ram = 8192;
	s->max_ram = 1024;
}
static void m_tag_key(hwims_copy_spec *s)
{
	hwims_tags_set(&s->tags, "bad*key", "v", NULL);
}
static void m_tag_value(hwims_copy_spec *s)
{
	hwims_tags_set(&s->tags, "k", "bad<value>", NULL);
}
static void m_tag_count(hwims_copy_spec *s)
{
	for (int i = 0; i < 21; i++) {
		char k[16];
		snprintf(k, sizeof(k), "k%02d", i);
		hwims_tags_set(&s->tags, k, "v", NULL);
	}
}

static const struct {
	mutate_fn fn;
	const char *attr;
} cases[] = {
    {m_no_source, "source_image_id"},
    {m_long_name, "name"},
    {m_bad_name, "name"},
    {m_spaced_name, "name"},
    {m_bad_description, "description"},
    {m_long_description, "description"},
    {m_kms_across, "kms_key_id"},
    {m_eps_across, "enterprise_project_id"},
    {m_no_agency, "agency_name"},
    {m_vault_within, "vault_id"},
    {m_negative_ram, "min_ram"},
    {m_huge_ram, "max_ram"},
    {m_ram_order, "min_ram"},
    {m_tag_key, "tags"},
    {m_tag_value, "tags"},
    {m_tag_count, "tags"},
};

static void every_rule_is_caught_before_a_request(void **state)
{
	(void)state;
	hwims_client *c = wf_client_for("http://127.0.0.1:1");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwims_copy_spec s, good;
		wf_spec(&s, WF_UBUNTU, "valid-name");
		wf_spec(&good, WF_UBUNTU, "valid-name");
		cases[i].fn(&s);
		hwims_copy_result r;
		hwims_error err;
		assert_int_equal(hwims_image_copy_create(c, &s, NULL, &r, &err), -1);
		if (err.kind != HWIMS_ERR_USAGE || strcmp(err.attribute, cases[i].attr) != 0)
			fail_msg("case %zu: %s error on \"%s\": %s", i,
			         hwims_error_kind_name(err.kind), err.attribute, err.message);
		assert_null(r.job_id);
		hwims_copy_result_free(&r);
		/* update validates the new spec the same way */
		assert_int_equal(
		    hwims_image_copy_update(c, &good, &s, "some-image-id", NULL, NULL, &err), -1);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
		hwims_copy_spec_free(&s);
		hwims_copy_spec_free(&good);
	}
	assert_int_equal(hwims_client_calls(c), 0);

	/* the same client does reach the network for a valid spec: the port really is closed */
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "valid-name");
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(c, &s, NULL, &r, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_NETWORK);
	assert_true(hwims_client_calls(c) > 0);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
	hwims_client_free(c);
}

static void malformed_import_ids_send_nothing(void **state)
{
	(void)state;
	hwims_client *c = wf_client_for("http://127.0.0.1:1");
	const char *bad[] = {"", "/id", "region/", "a/b/c", "with space"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hwims_copy_spec s;
		hwims_error err;
		assert_int_equal(hwims_image_copy_import(c, bad[i], NULL, &s, NULL, &err), -1);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	}
	assert_int_equal(hwims_client_calls(c), 0);
	hwims_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_rule_is_caught_before_a_request),
	    cmocka_unit_test(malformed_import_ids_send_nothing),
	};
	return cmocka_run_group_tests_name("workflow validation", tests, NULL, NULL);
}
