/* The image query workflow (hwims/image_query.h) against imsd's default seed: what the data
 * sources huaweicloud_images_image(s) ask, every page read, the client-side filters, the
 * attribute mapping, and bad options refused before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hwims/image_query.h"
#include "wf_support.h"

#define SE1 "ap-southeast-1"

/* Run o; fail the test on an error. Caller frees. */
static hwims_image_results *run(wf_env *env, const hwims_image_query_options *o)
{
	hwims_image_results *r = NULL;
	hwims_error err;
	if (hwims_image_query(env->client, o, NULL, &r, &err) != 0)
		fail_msg("query: %s", err.message);
	return r;
}

static const char *name_at(const hwims_image_results *r, size_t i)
{
	return hwims_image_results_member(r, i, "name");
}

static void test_data_source_examples(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;

	o.name = "Ubuntu 22.04 server 64bit";
	o.visibility = "public";
	hwims_image_results *r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 1);
	assert_string_equal(hwims_image_results_region(r), WF_REGION);
	assert_string_equal(hwims_image_id(hwims_image_results_image(r, 0)),
	                    "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06");
	hwims_image_results_free(r);

	/* The same name in another region is another image. */
	o.region = WF_REGION2;
	r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 1);
	assert_string_equal(hwims_image_id(hwims_image_results_image(r, 0)),
	                    "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c30");
	hwims_image_results_free(r);

	hwims_image_query_options re = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	re.name_regex = "^CentOS 7\\.[0-9]";
	re.visibility = "public";
	re.architecture = "x86";
	r = run(env, &re);
	assert_int_equal(hwims_image_results_count(r), 3);
	assert_string_equal(name_at(r, 0), "CentOS 7.4 64bit");
	assert_string_equal(name_at(r, 1), "CentOS 7.9 64bit");
	assert_string_equal(name_at(r, 2), "CentOS 7.9 64bit for BareMetal");
	hwims_image_results_free(r);

	re.sort_direction = "desc";
	re.image_type = "FusionCompute";
	r = run(env, &re);
	assert_int_equal(hwims_image_results_count(r), 2);
	assert_string_equal(name_at(r, 0), "CentOS 7.9 64bit");
	hwims_image_results_free(r);
}

static void test_each_argument(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	static const struct {
		const char *what;
		size_t want;
	} cases[] = {
	    {"architecture=arm", 2},
	    {"image_type=Ironic", 1},
	    {"image_type=IsoImage", 2},
	    {"os=Windows", 1},
	    {"flavor_id=kc1.large.2", 2},
	    {"flavor_id=s6.large.2", 6},
	    {"is_whole_image", 1},
	    {"visibility=shared", 1},
	    {"visibility=market", 0},
	    {"owner", 6},
	    {"eps=0", 17},
	    {"eps=production", 0},
	    {"agents=hss", 1},
	    {"os_version=CentOS 7.9", 4},
	    {"image_id", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
		const char *w = cases[i].what;
		if (strncmp(w, "architecture=", 13) == 0)
			o.architecture = w + 13;
		else if (strncmp(w, "image_type=", 11) == 0)
			o.image_type = w + 11;
		else if (strncmp(w, "os=", 3) == 0)
			o.os = w + 3;
		else if (strncmp(w, "flavor_id=", 10) == 0)
			o.flavor_id = w + 10;
		else if (strcmp(w, "is_whole_image") == 0)
			o.is_whole_image = 1;
		else if (strncmp(w, "visibility=", 11) == 0)
			o.visibility = w + 11;
		else if (strcmp(w, "owner") == 0)
			o.owner = "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f";
		else if (strcmp(w, "eps=0") == 0)
			o.enterprise_project_id = "0";
		else if (strcmp(w, "eps=production") == 0)
			o.enterprise_project_id = WF_EPS_PROD;
		else if (strcmp(w, "agents=hss") == 0)
			o.support_agent_list = "hss";
		else if (strcmp(w, "os_version=CentOS 7.9") == 0)
			o.os_version = "CentOS 7.9 64bit";
		else
			o.image_id = WF_UBUNTU;
		hwims_image_results *r = run(env, &o);
		if (hwims_image_results_count(r) != cases[i].want)
			fail_msg("%s: %zu images, want %zu", w, hwims_image_results_count(r),
			         cases[i].want);
		hwims_image_results_free(r);
	}
}

static void test_every_page(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;

	/* 520 private images: more than the service's default page of 500. */
	o.region = SE1;
	o.visibility = "private";
	uint64_t before = hwims_client_calls(env->client);
	hwims_image_results *r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 520);
	assert_true(hwims_client_calls(env->client) - before >= 3); /* 500, 20, the empty page */
	assert_string_equal(name_at(r, 0), "nightly-backup-0000");
	assert_string_equal(name_at(r, 519), "nightly-backup-0519");
	hwims_image_results_free(r);

	o.page_size = 64;
	o.sort_key = "created_at";
	o.sort_direction = "desc";
	o.name_regex = "-0(1|5)[0-9][0-9]$";
	r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 120); /* 0100-0199, 0500-0519 */
	assert_string_equal(name_at(r, 0), "nightly-backup-0519");
	hwims_image_results_free(r);

	o.name_regex = NULL;
	o.most_recent = 1;
	r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 1);
	assert_string_equal(name_at(r, 0), "nightly-backup-0519");
	hwims_image_results_free(r);
}

static void test_most_recent_and_pick_one(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	hwims_error err;
	size_t i = 99;

	o.visibility = "public";
	o.os = "Ubuntu";
	hwims_image_results *r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 4);
	assert_int_equal(hwims_image_results_pick_one(r, &i, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, "most_recent");
	assert_non_null(strstr(err.message, "most_recent = true"));
	hwims_image_results_free(r);

	/* Newest updated_at: the Arm image, updated a day after the x86 one. */
	o.most_recent = 1;
	r = run(env, &o);
	assert_int_equal(hwims_image_results_pick_one(r, &i, &err), 0);
	assert_int_equal(i, 0);
	assert_string_equal(name_at(r, 0), "Ubuntu 22.04 server 64bit for Arm");
	hwims_image_results_free(r);

	o.os = "Fedora";
	r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 0);
	assert_int_equal(hwims_image_results_pick_one(r, &i, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_NOT_FOUND);
	hwims_image_results_free(r);
}

static void test_attributes(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	hwims_value v;
	hwims_error err;

	o.image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c22";
	hwims_image_results *r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 1);
	assert_int_equal(hwims_image_results_attr(r, 0, "visibility", &v, &err), 0);
	assert_string_equal(v.s, "public");
	assert_int_equal(hwims_image_results_attr(r, 0, "architecture", &v, &err), 0);
	assert_string_equal(v.s, "arm");
	assert_int_equal(hwims_image_results_attr(r, 0, "protected", &v, &err), 0);
	assert_false(v.is_null);
	assert_true(v.b);
	assert_int_equal(hwims_image_results_attr(r, 0, "size_bytes", &v, &err), 0);
	assert_int_equal(v.i, 1572864000);
	assert_int_equal(hwims_image_results_attr(r, 0, "max_ram_mb", &v, &err), 0);
	assert_int_equal(v.i, 0);
	assert_int_equal(hwims_image_results_attr(r, 0, "min_ram_mb", &v, &err), 0);
	assert_int_equal(v.i, 1024);
	assert_int_equal(hwims_image_results_attr(r, 0, "description", &v, &err), 0);
	assert_true(v.is_null);
	assert_int_equal(hwims_image_results_attr(r, 0, "no_such", &v, &err), -1);
	assert_string_equal(hwims_image_results_member(r, 0, "min_ram"), "1024");
	assert_string_equal(hwims_image_results_member(r, 0, "protected"), "true");
	assert_null(hwims_image_results_member(r, 0, "__data_origin"));
	size_t n;
	const hwims_query_attr *attrs = hwims_query_attrs(&n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(hwims_image_results_attr(r, 0, attrs[i].name, &v, &err), 0);
	hwims_image_results_free(r);
}

static void test_tags_and_source(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	hwims_copy_options co;
	hwims_copy_result res;
	hwims_error err;

	wf_spec(&s, WF_UBUNTU, "query tagged copy");
	assert_int_equal(hwims_tags_set(&s.tags, "team", "web", NULL), 0);
	assert_int_equal(hwims_tags_set(&s.tags, "build.id", "42", NULL), 0);
	memset(&co, 0, sizeof(co));
	if (hwims_image_copy_create(env->client, &s, &co, &res, &err) != 0)
		fail_msg("copy: %s", err.message);
	hwims_copy_spec_free(&s);

	static const struct {
		const char *tag;
		size_t want;
	} cases[] = {{"team=web", 1}, {"team=db", 0}, {"build.id=42", 1}, {"build.id=4", 0}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
		o.tag = cases[i].tag;
		hwims_image_results *r = run(env, &o);
		if (hwims_image_results_count(r) != cases[i].want)
			fail_msg("tag %s: %zu images", cases[i].tag, hwims_image_results_count(r));
		hwims_image_results_free(r);
	}
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.source_image_id = WF_UBUNTU;
	hwims_image_results *r = run(env, &o);
	assert_int_equal(hwims_image_results_count(r), 1);
	assert_string_equal(hwims_image_id(hwims_image_results_image(r, 0)), res.image_id);
	hwims_image_results_free(r);
	hwims_copy_result_free(&res);
}

static void test_bad_options_send_nothing(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	static const struct {
		const char *attribute;
		hwims_image_query_options o;
	} cases[] = {
	    {"visibility", {.version = HWIMS_IMAGE_QUERY_VERSION, .visibility = "everyone"}},
	    {"image_type", {.version = HWIMS_IMAGE_QUERY_VERSION, .image_type = "Xen"}},
	    {"architecture", {.version = HWIMS_IMAGE_QUERY_VERSION, .architecture = "mips"}},
	    {"sort_key", {.version = HWIMS_IMAGE_QUERY_VERSION, .sort_key = "owner"}},
	    {"sort_direction", {.version = HWIMS_IMAGE_QUERY_VERSION, .sort_direction = "up"}},
	    {"name_regex", {.version = HWIMS_IMAGE_QUERY_VERSION, .name_regex = "(unclosed"}},
	    {"name_regex", {.version = HWIMS_IMAGE_QUERY_VERSION, .name = "a", .name_regex = "a"}},
	    {"tag", {.version = HWIMS_IMAGE_QUERY_VERSION, .tag = "novalue"}},
	    {"tag", {.version = HWIMS_IMAGE_QUERY_VERSION, .tag = "=v"}},
	    {"page_size", {.version = HWIMS_IMAGE_QUERY_VERSION, .page_size = 1001}},
	    {"", {0}},
	};
	uint64_t before = hwims_client_calls(env->client);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwims_image_results *r = (hwims_image_results *)1;
		hwims_error err;
		assert_int_equal(hwims_image_query(env->client, &cases[i].o, NULL, &r, &err), -1);
		assert_null(r);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
		assert_string_equal(err.attribute, cases[i].attribute);
	}
	assert_int_equal(hwims_client_calls(env->client), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_data_source_examples),
	    cmocka_unit_test(test_each_argument),
	    cmocka_unit_test(test_every_page),
	    cmocka_unit_test(test_most_recent_and_pick_one),
	    cmocka_unit_test(test_attributes),
	    cmocka_unit_test(test_bad_options_send_nothing),
	    cmocka_unit_test(test_tags_and_source),
	};
	return cmocka_run_group_tests(tests, wf_setup, wf_teardown);
}
