/* `hwims list` against imsd: each filter, --all-regions (every region at once, with the region
 * each image lives in), bad filters refused before any request, and show/list printing only
 * the attributes that have a value unless --all-attributes. */
#include "cli_itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Run `hwims list <args> --output json`; the array (caller decrefs). */
static json_t *list_json(cli_env *env, const char *const *args)
{
	const char *argv[32];
	size_t n = 0;
	argv[n++] = "list";
	for (size_t i = 0; args[i] && n < 29; i++)
		argv[n++] = args[i];
	argv[n++] = "--output";
	argv[n++] = "json";
	argv[n] = NULL;
	run_result r = run_cli(env, 0, 0, argv);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	run_free(&r);
	assert_true(json_is_array(j));
	return j;
}

static void expect_listed(cli_env *env, const char *const *args, size_t want)
{
	json_t *j = list_json(env, args);
	if (json_array_size(j) != want)
		fail_msg("list %s ...: %zu images, want %zu", args[0], json_array_size(j), want);
	json_decref(j);
}

static void filters(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *centos[] = {"--visibility", "public", "--os", "CentOS", NULL};
	json_t *j = list_json(env, centos);
	assert_int_equal(json_array_size(j), 3); /* CentOS 7.4, 7.9, 7.9 for BareMetal */
	size_t i;
	json_t *o;
	json_array_foreach(j, i, o)
	{
		assert_string_equal(json_string_value(json_object_get(o, "lives_in")), NORTH4);
		assert_string_equal(json_string_value(json_object_get(o, "__platform")), "CentOS");
	}
	json_decref(j);

	const char *regex[] = {"--visibility", "public", "--name-regex", "^CentOS 7\\.4", NULL};
	expect_listed(env, regex, 1);
	const char *arm[] = {"--visibility", "public", "--architecture", "arm", NULL};
	expect_listed(env, arm, 2);
	const char *ironic[] = {"--visibility", "all", "--image-type", "Ironic", NULL};
	expect_listed(env, ironic, 1);
	const char *iso[] = {"--visibility", "all", "--image-type", "IsoImage", NULL};
	expect_listed(env, iso, 2);
	const char *priv[] = {"--name", "web-full-ecs", NULL};
	expect_listed(env, priv, 1);
	const char *shared[] = {"--visibility", "shared", NULL};
	expect_listed(env, shared, 1);

	itest_reply r = itest_call(&env->t, "POST",
	                           "/cn-north-4/v2/" NORTH4_PID "/images/" IMG_DATA "/tags/action",
	                           "{\"action\":\"create\",\"tags\":[{\"key\":\"fleet\","
	                           "\"value\":\"blue\"}]}");
	assert_int_equal(r.status, 204);
	itest_reply_free(&r);
	const char *tag[] = {"--tag", "fleet=blue", NULL};
	expect_listed(env, tag, 1);
	const char *other[] = {"--tag", "fleet=green", NULL};
	expect_listed(env, other, 0);
}

static void source_image(void **state)
{
	cli_env *env = env_or_skip(state);
	char *jid = itest_copy(&env->t, NORTH4, IMG_ENC, "copy of euler");
	assert_non_null(jid);
	json_t *job = itest_wait_job(&env->t, NORTH4, NORTH4_PID, jid);
	free(jid);
	assert_non_null(job);
	json_decref(job);

	const char *src[] = {"--source-image", IMG_ENC, NULL};
	json_t *j = list_json(env, src);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "name")),
	                    "copy of euler");
	json_decref(j);

	const char *table[] = {"list", "--source-image", IMG_ENC, NULL};
	run_result r = run_cli(env, 0, 0, table);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "REGION"));
	assert_non_null(strstr(r.out, "copy of euler"));
	run_free(&r);
}

static void all_regions(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *ubuntu[] = {
	    "--all-regions", "--visibility", "public", "--name", "Ubuntu 22.04 server 64bit", NULL};
	json_t *j = list_json(env, ubuntu);
	assert_int_equal(json_array_size(j), 2);
	/* in region order */
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "lives_in")),
	                    NORTH4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "lives_in")),
	                    SOUTH1);
	json_decref(j);

	/* 520 private images in ap-southeast-1: more than one page, in one of three threads */
	const char *backups[] = {"--all-regions", "--name-regex", "^nightly-backup-", NULL};
	expect_listed(env, backups, 520);

	const char *table[] = {"list",   "--all-regions", "--visibility",
	                       "public", "--name",        "Ubuntu 22.04 server 64bit",
	                       NULL};
	run_result r = run_cli(env, 0, 0, table);
	expect_status(&r, 0);
	const char *north = strstr(r.out, "\ncn-north-4 "), *south = strstr(r.out, "\ncn-south-1 ");
	assert_non_null(north);
	assert_non_null(south);
	assert_true(north < south);
	run_free(&r);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* With every image query answered a second late, three regions of two pages each (the page
 * and the empty one that ends it) take about two seconds at once, six one after the other. */
static void all_regions_at_once(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *hdrs[] = {"Content-Type: application/json", NULL};
	const char *slow =
	    "{\"latency_ms\":1000,\"budget\":100,\"path_pattern\":\"*/v2/cloudimages\"}";
	itest_reply f = itest_raw(&env->t, "PUT", "/_admin/faults", hdrs, slow, strlen(slow));
	assert_int_equal(f.status, 200);
	itest_reply_free(&f);

	const char *args[] = {"list",     "--all-regions", "--visibility",
	                      "public",   "--name",        "Ubuntu 22.04 server 64bit",
	                      "--output", "json",          NULL};
	double t0 = now_s();
	run_result r = run_cli(env, 0, 0, args);
	double took = now_s() - t0;
	f = itest_raw(&env->t, "DELETE", "/_admin/faults", hdrs, NULL, 0);
	itest_reply_free(&f);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	run_free(&r);
	if (took < 1.9 || took > 4.5)
		fail_msg("--all-regions took %.1f s: not the three regions at once", took);
}

static void bad_filters_send_nothing(void **state)
{
	cli_env *env = env_or_skip(state);
	static const struct {
		const char *args[6];
		const char *says;
	} cases[] = {
	    {{"list", "--visibility", "everyone", NULL}, "--visibility"},
	    {{"list", "--name-regex", "(unclosed", NULL}, "--name-regex"},
	    {{"list", "--name", "a", "--name-regex", "a", NULL}, "--name-regex"},
	    {{"list", "--tag", "novalue", NULL}, "--tag"},
	    {{"list", "--image-type", "Xen", NULL}, "--image-type"},
	    {{"list", "--architecture", "mips", NULL}, "--architecture"},
	    {{"list", "--all-regions", "--region", NORTH4, NULL}, "--all-regions"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cli_requests_begin(env);
		run_result r = run_cli(env, 0, 0, cases[i].args);
		long sent = cli_requests_end(env);
		expect_status(&r, 2);
		if (!strstr(r.err, cases[i].says))
			fail_msg("%s %s: \"%s\" does not name %s", cases[i].args[1],
			         cases[i].args[2], r.err, cases[i].says);
		assert_int_equal(sent, 0);
		run_free(&r);
	}
}

static void only_attributes_with_a_value(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *show[] = {"show", IMG_UBUNTU, "--output", "json", NULL};
	run_result r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	assert_null(json_object_get(j, "kms_key_id")); /* unset: left out */
	assert_string_equal(json_string_value(json_object_get(j, "status")), "active");
	json_decref(j);
	run_free(&r);

	const char *all[] = {"show", IMG_UBUNTU, "--all-attributes", "--output", "json", NULL};
	r = run_cli(env, 0, 0, all);
	expect_status(&r, 0);
	j = parse(&r);
	assert_true(json_is_null(json_object_get(j, "kms_key_id")));
	json_decref(j);
	run_free(&r);

	const char *table[] = {"show", IMG_UBUNTU, NULL};
	r = run_cli(env, 0, 0, table);
	expect_status(&r, 0);
	assert_null(strstr(r.out, "kms_key_id"));
	assert_non_null(strstr(r.out, "os_version"));
	run_free(&r);
	const char *table_all[] = {"show", "--all-attributes", IMG_UBUNTU, NULL};
	r = run_cli(env, 0, 0, table_all);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "kms_key_id"));
	run_free(&r);

	const char *lst[] = {"--name", "ubuntu-2204-golden", NULL};
	j = list_json(env, lst);
	assert_null(json_object_get(json_array_get(j, 0), "kms_key_id"));
	json_decref(j);
	const char *lst_all[] = {"--name", "ubuntu-2204-golden", "--all-attributes", NULL};
	j = list_json(env, lst_all);
	assert_true(json_is_null(json_object_get(json_array_get(j, 0), "kms_key_id")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(filters),
	    cmocka_unit_test(source_image),
	    cmocka_unit_test(all_regions),
	    cmocka_unit_test(all_regions_at_once),
	    cmocka_unit_test(bad_filters_send_nothing),
	    cmocka_unit_test(only_attributes_with_a_value),
	};
	return cmocka_run_group_tests(tests, cli_env_setup_default, cli_env_teardown);
}
