/* `hwims copy` to several target regions at once, end to end against imsd: the JSON array and
 * table blocks, each copy in its region, per-region failures and exit statuses, duplicate and
 * invalid regions refused before any request, SIGINT, and more targets than IMS lets run at
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_itest.h"

#define DATA IMG_DATA /* 10 GiB: a cross-region copy takes ~2 s at time scale 100 */

/* hwims show REGION/ID succeeds: the copy lives where the array says. */
static void expect_image_in(cli_env *env, const char *region, const char *id)
{
	char where[160];
	snprintf(where, sizeof(where), "%s/%s", region, id);
	const char *show[] = {"show", where, "--output", "json", NULL};
	run_result r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "active");
	json_decref(j);
	run_free(&r);
}

static const char *member(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void copies_to_every_region_in_order(void **state)
{
	cli_env *env = env_or_skip(state);
	/* a comma list and a repeated flag mixed; the source region itself is a copy within it */
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      UBUNTU,
	                      "--name",
	                      "fan-out",
	                      "--target-region",
	                      "ap-southeast-1,cn-south-1",
	                      "--target-region",
	                      "cn-north-4",
	                      "--agency-name",
	                      AGENCY,
	                      "--tag",
	                      "fleet=web",
	                      "--output",
	                      "json",
	                      NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 0);
	assert_string_equal(r.err, ""); /* no progress in a pipe, nothing failed */
	json_t *a = parse(&r);
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), 3);
	const char *want[] = {"ap-southeast-1", "cn-south-1", NULL};
	const char *where[] = {"ap-southeast-1", "cn-south-1", "cn-north-4"};
	for (size_t i = 0; i < 3; i++) {
		json_t *o = json_array_get(a, i);
		assert_non_null(member(o, "id"));
		assert_null(json_object_get(o, "error"));
		assert_string_equal(member(o, "name"), "fan-out");
		assert_string_equal(member(o, "region"), "cn-north-4");
		if (want[i])
			assert_string_equal(member(o, "target_region"), want[i]);
		else
			assert_true(json_is_null(json_object_get(o, "target_region")));
		assert_string_equal(member(json_object_get(o, "tags"), "fleet"), "web");
		expect_image_in(env, where[i], member(o, "id"));
	}
	json_decref(a);
	run_free(&r);
}

static void no_wait_submits_every_region(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      UBUNTU,
	                      "--name",
	                      "fan-no-wait",
	                      "--target-region",
	                      "cn-south-1,ap-southeast-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--no-wait",
	                      NULL};
	/* table: one block per region, in order */
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 0);
	const char *south = strstr(r.out, "== cn-south-1 ==");
	const char *ap = strstr(r.out, "== ap-southeast-1 ==");
	assert_non_null(south);
	assert_non_null(ap);
	assert_true(south < ap);
	assert_non_null(strstr(r.out, "SUBMITTED"));
	run_free(&r);
	const char *json[] = {"copy",
	                      "--source-image-id",
	                      UBUNTU,
	                      "--name",
	                      "fan-no-wait-json",
	                      "--target-region",
	                      "cn-south-1,ap-southeast-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--no-wait",
	                      "--output",
	                      "json",
	                      NULL};
	r = run_cli(env, 0, 0, json);
	expect_status(&r, 0);
	json_t *a = parse(&r);
	assert_int_equal(json_array_size(a), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *o = json_array_get(a, i);
		assert_string_equal(member(o, "target_region"),
		                    i ? "ap-southeast-1" : "cn-south-1");
		assert_string_equal(member(o, "region"), "cn-north-4");
		const char *wait[] = {"job", member(o, "job_id"), "--wait", "--output", "json",
		                      NULL};
		run_result w = run_cli(env, 0, 0, wait);
		expect_status(&w, 0);
		json_t *j = parse(&w);
		assert_string_equal(member(j, "status"), "SUCCESS");
		expect_image_in(env, member(o, "target_region"), member(j, "image_id"));
		json_decref(j);
		run_free(&w);
	}
	json_decref(a);
	run_free(&r);
}

static void duplicates_and_bad_regions_send_nothing(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *cases[][12] = {
	    {"--target-region", "cn-south-1,cn-south-1", NULL},
	    {"--target-region", "cn-south-1", "--target-region", "cn-south-1", NULL},
	    {"--target-region", "cn-south-1,ap-southeast-1", "--target-region", "ap-southeast-1",
	     NULL},
	    {"--target-region", "cn-south-1,,ap-southeast-1", NULL},
	    /* valid for cn-south-1, not for cn-north-4 (a copy within the region takes no vault):
	       neither is sent */
	    {"--target-region", "cn-south-1,cn-north-4", "--vault-id",
	     "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11", NULL},
	};
	const char *why[] = {"given twice", "given twice", "given twice", "empty region",
	                     "target region cn-north-4: vault_id"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *prefix[] = {
		    "copy", "--source-image-id", UBUNTU, "--name", "fan-no", "--agency-name",
		    AGENCY, "--output",          "json", NULL};
		long sent;
		run_result r = run_cli_counted(env, prefix, cases[i], &sent);
		if (r.status != 2 || !strstr(r.err, why[i]) || sent != 0)
			fail_msg("case %zu: exit %d, %ld requests: %s", i, r.status, sent, r.err);
		/* --output json was given: the refusal is the one JSON document on stdout */
		json_t *j = parse(&r);
		json_t *e = json_object_get(j, "error");
		assert_string_equal(json_string_value(json_object_get(e, "kind")), "usage");
		assert_non_null(strstr(json_string_value(json_object_get(e, "message")), why[i]));
		json_decref(j);
		run_free(&r);
	}
}

static void one_region_failing_reports_every_region(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      UBUNTU,
	                      "--name",
	                      "fan-partial",
	                      "--target-region",
	                      "cn-south-1,xx-nowhere-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--output",
	                      "json",
	                      NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 1);
	json_t *a = parse(&r);
	assert_int_equal(json_array_size(a), 2);
	json_t *ok = json_array_get(a, 0), *bad = json_array_get(a, 1);
	const char *id = member(ok, "id");
	assert_non_null(id);
	assert_string_equal(member(ok, "target_region"), "cn-south-1");
	expect_image_in(env, "cn-south-1", id);
	assert_string_equal(member(bad, "target_region"), "xx-nowhere-1");
	assert_string_equal(member(bad, "region"), "cn-north-4");
	assert_true(json_is_null(json_object_get(bad, "job_id")));
	assert_true(json_is_null(json_object_get(bad, "image_id")));
	json_t *e = json_object_get(bad, "error");
	assert_string_equal(member(e, "kind"), "invalid");
	assert_string_equal(member(e, "code"), "IMG.0145");
	assert_true(strlen(member(e, "message")) > 0);
	assert_true(strlen(member(e, "request_id")) > 0);
	/* the summary names the failed region and the image that was made */
	assert_non_null(strstr(r.err, "1 of 2 target regions failed"));
	assert_non_null(strstr(r.err, "xx-nowhere-1"));
	assert_non_null(strstr(r.err, "IMG.0145"));
	assert_non_null(strstr(r.err, id));
	json_decref(a);
	run_free(&r);

	/* table: a block for each, the failed one says so */
	const char *table[] = {"copy",
	                       "--source-image-id",
	                       UBUNTU,
	                       "--name",
	                       "fan-partial-table",
	                       "--target-region",
	                       "cn-south-1,xx-nowhere-1",
	                       "--agency-name",
	                       AGENCY,
	                       NULL};
	r = run_cli(env, 0, 0, table);
	expect_status(&r, 1);
	assert_non_null(strstr(r.out, "== cn-south-1 =="));
	assert_non_null(strstr(r.out, "== xx-nowhere-1: failed =="));
	assert_non_null(strstr(r.out, "IMG.0145"));
	run_free(&r);
}

/* A timeout outweighs a refusal, and the timed-out copy's image is named with the commands to
 * carry on. Leaves one slow cross-region job running for a while: keep it near the end. */
static void timeout_is_the_worst_and_names_the_image(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      LARGE,
	                      "--name",
	                      "fan-slow",
	                      "--target-region",
	                      "xx-nowhere-1,cn-south-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--timeout",
	                      "1s",
	                      "--output",
	                      "json",
	                      NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 3);
	json_t *a = parse(&r);
	json_t *slow = json_array_get(a, 1);
	assert_string_equal(member(json_object_get(slow, "error"), "kind"), "timeout");
	const char *job = member(slow, "job_id"), *image = member(slow, "image_id");
	assert_non_null(job);
	assert_non_null(image);
	assert_non_null(strstr(r.err, "2 of 2 target regions failed"));
	char del[160];
	snprintf(del, sizeof(del), "hwims delete cn-south-1/%s", image);
	assert_non_null(strstr(r.err, del));
	assert_non_null(strstr(r.err, job));
	json_decref(a);
	run_free(&r);
}

/* SIGINT stops every region's wait; each says what it left. Leaves two slow jobs running. */
static void interrupt_cancels_every_region(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      LARGE,
	                      "--name",
	                      "fan-interrupted",
	                      "--target-region",
	                      "cn-south-1,ap-southeast-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--output",
	                      "json",
	                      NULL};
	run_result r = run_cli(env, 0, 1500, copy);
	expect_status(&r, 130);
	json_t *a = parse(&r);
	assert_int_equal(json_array_size(a), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *o = json_array_get(a, i);
		assert_string_equal(member(json_object_get(o, "error"), "kind"), "cancelled");
		assert_non_null(member(o, "job_id"));
		assert_non_null(strstr(r.err, member(o, "job_id")));
		if (member(o, "image_id"))
			assert_non_null(strstr(r.err, member(o, "image_id")));
	}
	assert_non_null(strstr(r.err, "hwims delete cn-south-1/"));
	assert_non_null(strstr(r.err, "hwims delete ap-southeast-1/"));
	json_decref(a);
	run_free(&r);
}

/* ---- more targets than IMS runs at once ----------------------------------------------------- */

#define EXTRA_REGIONS 4 /* with cn-south-1 and ap-southeast-1: 6 targets, quota 5 */

static char *seed_dir;

/* The built-in seed with EXTRA_REGIONS more regions, so one source can fan out past the quota of
 * 5 concurrent cross-region copies. */
static int quota_setup(void **state)
{
	*state = NULL;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0)
		return 0;
	FILE *p = popen(HWIMS_BIN_DIR "/imsd --print-seed", "r");
	json_error_t e;
	json_t *seed = p ? json_loadf(p, 0, &e) : NULL;
	if (p)
		pclose(p);
	if (!seed)
		return -1;
	json_t *regions = json_object_get(seed, "regions");
	for (int i = 0; i < EXTRA_REGIONS; i++) {
		char name[32], pid[40];
		snprintf(name, sizeof(name), "eu-fanout-%d", i + 1);
		snprintf(pid, sizeof(pid), "%08d9e8d7c6b5a4f3e2d1c0b9a8f7e", i + 1);
		json_array_append_new(regions,
		                      json_pack("{s:s, s:s}", "name", name, "project_id", pid));
	}
	json_object_set_new(json_object_get(seed, "quotas"), "concurrent_cross_region_copies",
	                    json_integer(5));
	seed_dir = hwims_test_mkdtemp("hwims-cli-seed");
	char path[512];
	snprintf(path, sizeof(path), "%s/seed.json", seed_dir ? seed_dir : "/nonexistent");
	int rc = seed_dir ? json_dump_file(seed, path, 0) : -1;
	json_decref(seed);
	if (rc != 0)
		return -1;
	const char *extra[] = {"--seed", path, NULL};
	return cli_env_setup(state, extra);
}

static int quota_teardown(void **state)
{
	cli_env_teardown(state);
	hwims_test_rmtree(seed_dir);
	free(seed_dir);
	return 0;
}

/* Needs the library to wait out IMG.0060 (HWIMS_PHASE_WAIT_SLOT): until then the sixth region is
 * refused and this fails. */
static void more_targets_than_the_quota_all_succeed(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      DATA,
	                      "--name",
	                      "fan-quota",
	                      "--target-region",
	                      "cn-south-1,ap-southeast-1,eu-fanout-1,eu-fanout-2,eu-fanout-3,"
	                      "eu-fanout-4",
	                      "--agency-name",
	                      AGENCY,
	                      "--output",
	                      "json",
	                      NULL};
	/* on a terminal, so the wait for a slot shows */
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.pty_cols = 120;
	o.pty_rows = 40;
	run_result r = cli_run(env, &o, copy);
	expect_status(&r, 0);
	json_t *a = parse(&r);
	assert_int_equal(json_array_size(a), 6);
	for (size_t i = 0; i < 6; i++) {
		json_t *img = json_array_get(a, i);
		if (!member(img, "id"))
			fail_msg("target %zu failed: %s", i, json_dumps(img, 0));
		expect_image_in(env, member(img, "target_region"), member(img, "id"));
	}
	assert_non_null(strstr(r.err, "waiting for a cross-region slot"));
	json_decref(a);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(copies_to_every_region_in_order),
	    cmocka_unit_test(no_wait_submits_every_region),
	    cmocka_unit_test(duplicates_and_bad_regions_send_nothing),
	    cmocka_unit_test(one_region_failing_reports_every_region),
	    /* these two leave slow jobs running */
	    cmocka_unit_test(timeout_is_the_worst_and_names_the_image),
	    cmocka_unit_test(interrupt_cancels_every_region),
	};
	const struct CMUnitTest quota[] = {
	    cmocka_unit_test(more_targets_than_the_quota_all_succeed),
	};
	int failed = cmocka_run_group_tests_name("cli_fanout", tests, cli_env_setup_default,
	                                         cli_env_teardown);
	failed +=
	    cmocka_run_group_tests_name("cli_fanout_quota", quota, quota_setup, quota_teardown);
	return failed;
}
