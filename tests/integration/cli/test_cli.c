/* The hwims CLI end to end: build/bin/hwims run as a subprocess against imsd; assertions on exit
 * statuses, JSON output and messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include "cli_itest.h"

static void help_for_every_command(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *cmds[] = {"copy", "show", "list", "update", "delete", "job"};
	for (size_t i = 0; i < 6; i++) {
		const char *a[] = {cmds[i], "--help", NULL};
		run_result r = run_cli(env, 1, 0, a);
		expect_status(&r, 0);
		char want[64];
		snprintf(want, sizeof(want), "Usage: hwims %s", cmds[i]);
		assert_non_null(strstr(r.out, want));
		run_free(&r);
	}
	const char *a[] = {"copy", "--help", NULL};
	run_result r = run_cli(env, 1, 0, a);
	const char *flags[] = {"--source-image-id",
	                       "--name",
	                       "--description",
	                       "--kms-key-id",
	                       "--enterprise-project-id",
	                       "--target-region",
	                       "--agency-name",
	                       "--vault-id",
	                       "--min-ram",
	                       "--max-ram",
	                       "--tag",
	                       "--region",
	                       "--timeout",
	                       "--no-wait",
	                       "--output",
	                       "--endpoint"};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		assert_non_null(strstr(r.out, flags[i]));
	run_free(&r);
	const char *u[] = {"update", "--help", NULL};
	r = run_cli(env, 1, 0, u);
	assert_non_null(strstr(r.out, "--untag"));
	run_free(&r);
}

static void bad_usage_exits_2_without_a_request(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *cases[][8] = {
	    {"frobnicate", NULL},
	    {"copy", "--bogus", NULL},
	    {"copy", "--name", "x", NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", " lead", NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", "x", "--min-ram", "lots", NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", "x", "--tag", "novalue", NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", "x", "--target-region", "cn-south-1",
	     NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", "x", "--output", "yaml", NULL},
	    {"copy", "--source-image-id", UBUNTU, "--name", "x", "--timeout", "soon", NULL},
	    {"show", NULL},
	    {"show", "a/b/c", NULL},
	    {"update", UBUNTU, NULL},
	    {"update", UBUNTU, "--description", "<b>", NULL},
	    {"delete", NULL},
	    {"job", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_result r = run_cli(env, 1, 0, cases[i]);
		if (r.status != 2)
			fail_msg("case %zu (%s %s): exit %d: %s", i, cases[i][0],
			         cases[i][1] ? cases[i][1] : "", r.status, r.err);
		assert_true(strlen(r.err) > 0);
		run_free(&r);
	}
	/* the rule's attribute is named */
	const char *a[] = {"copy", "--source-image-id", UBUNTU,       "--name",
	                   "x",    "--target-region",   "cn-south-1", NULL};
	run_result r = run_cli(env, 1, 0, a);
	assert_non_null(strstr(r.err, "agency_name"));
	run_free(&r);
}

static void copy_show_update_list_delete(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",     "--source-image-id", UBUNTU,  "--name",
	                      "cli copy", "--kms-key-id",      KMS_KEY, "--tag",
	                      "env=test", "--min-ram",         "1024",  "--description",
	                      "from cli", "--output",          "json",  NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	char id[64];
	snprintf(id, sizeof(id), "%s", json_string_value(json_object_get(j, "id")));
	assert_string_equal(json_string_value(json_object_get(j, "name")), "cli copy");
	assert_string_equal(json_string_value(json_object_get(j, "kms_key_id")), KMS_KEY);
	assert_string_equal(json_string_value(json_object_get(j, "description")), "from cli");
	assert_int_equal(json_integer_value(json_object_get(j, "min_ram")), 1024);
	assert_true(json_is_boolean(json_object_get(j, "protected")));
	assert_true(json_is_string(json_object_get(j, "image_size")));
	assert_true(json_is_null(json_object_get(j, "target_region")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "tags"), "env")),
	                    "test");
	json_decref(j);
	/* progress is for terminals only: nothing on stderr in a pipe */
	assert_string_equal(r.err, "");
	run_free(&r);

	const char *show[] = {"show", id, "--output", "json", NULL};
	r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	j = parse(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "active");
	json_decref(j);
	run_free(&r);

	char where[128];
	snprintf(where, sizeof(where), "cn-north-4/%s", id);
	const char *upd[] = {"update", where,      "--name",   "cli copy 2", "--untag", "env",
	                     "--tag",  "owner=me", "--output", "json",       NULL};
	r = run_cli(env, 0, 0, upd);
	expect_status(&r, 0);
	j = parse(&r);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "cli copy 2");
	json_t *tags = json_object_get(j, "tags");
	assert_null(json_object_get(tags, "env"));
	assert_string_equal(json_string_value(json_object_get(tags, "owner")), "me");
	json_decref(j);
	run_free(&r);

	const char *list[] = {"list", "--name", "cli copy 2", "--output", "json", NULL};
	r = run_cli(env, 0, 0, list);
	expect_status(&r, 0);
	j = parse(&r);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	run_free(&r);

	const char *table[] = {"show", id, NULL};
	r = run_cli(env, 0, 0, table);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "os_version"));
	assert_non_null(strstr(r.out, "cli copy 2"));
	run_free(&r);

	const char *del[] = {"delete", where, NULL};
	r = run_cli(env, 0, 0, del);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, id));
	run_free(&r);
	r = run_cli(env, 0, 0, show);
	expect_status(&r, 1);
	assert_non_null(strstr(r.err, "not found"));
	run_free(&r);
	/* already gone: still success */
	r = run_cli(env, 0, 0, del);
	expect_status(&r, 0);
	run_free(&r);
}

static void cross_region_copy_and_no_wait_job(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",       "--source-image-id", UBUNTU,
	                      "--name",     "cli-south",         "--target-region",
	                      "cn-south-1", "--agency-name",     "ims_admin_agency",
	                      "--no-wait",  "--output",          "json",
	                      NULL};
	run_result r = run_cli(env, 0, 0, copy);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	char job[64];
	snprintf(job, sizeof(job), "%s", json_string_value(json_object_get(j, "job_id")));
	json_decref(j);
	run_free(&r);
	const char *wait[] = {"job", job, "--wait", "--output", "json", NULL};
	r = run_cli(env, 0, 0, wait);
	expect_status(&r, 0);
	j = parse(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "SUCCESS");
	char where[128];
	snprintf(where, sizeof(where), "cn-south-1/%s",
	         json_string_value(json_object_get(j, "image_id")));
	json_decref(j);
	run_free(&r);
	const char *show[] = {"show", where, "--output", "json", NULL};
	r = run_cli(env, 0, 0, show);
	expect_status(&r, 0);
	j = parse(&r);
	assert_string_equal(json_string_value(json_object_get(j, "region")), "cn-north-4");
	assert_string_equal(json_string_value(json_object_get(j, "target_region")), "cn-south-1");
	json_decref(j);
	run_free(&r);
}

static void failures_exit_1_3_130_and_name_the_copy(void **state)
{
	cli_env *env = env_or_skip(state);
	/* the job fails */
	const char *fail[] = {"copy", "--source-image-id", UBUNTU, "--name", "cli-fail", NULL};
	run_result r = run_cli(env, 0, 0, fail);
	expect_status(&r, 1);
	assert_non_null(strstr(r.err, "failed"));
	run_free(&r);
	/* the cloud refuses (ISO source) */
	const char *iso[] = {
	    "copy", "--source-image-id", "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c05", "--name", "iso",
	    NULL};
	r = run_cli(env, 0, 0, iso);
	expect_status(&r, 1);
	assert_non_null(strstr(r.err, "IMG.0167"));
	run_free(&r);
	/* timeout: the message names the job and the image, JSON says the same */
	const char *slow[] = {
	    "copy",  "--source-image-id", LARGE,  "--name", "cli-slow", "--timeout",
	    "500ms", "--output",          "json", NULL};
	r = run_cli(env, 0, 0, slow);
	expect_status(&r, 3);
	json_t *j = parse(&r);
	const char *job = json_string_value(json_object_get(j, "job_id"));
	const char *image = json_string_value(json_object_get(j, "image_id"));
	assert_non_null(job);
	assert_non_null(image);
	assert_non_null(strstr(r.err, job));
	assert_non_null(strstr(r.err, image));
	json_decref(j);
	run_free(&r);
	/* interrupted */
	const char *intr[] = {"copy",   "--source-image-id", LARGE,
	                      "--name", "cli-interrupted",   NULL};
	r = run_cli(env, 0, 1500, intr);
	expect_status(&r, 130);
	assert_non_null(strstr(r.err, "copy job"));
	assert_non_null(strstr(r.err, "hwims delete cn-north-4/"));
	run_free(&r);
}

/* --min-ram, --max-ram and tags are applied once the job succeeded, which --no-wait does not
 * wait for: refused before any request, naming the flags and what to do instead. */
static void no_wait_refuses_flags_it_cannot_honour(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *cases[][16] = {
	    {"--tag", "env=x", "--min-ram", "2048", NULL},
	    {"--max-ram", "4096", NULL},
	    {"--target-region", "cn-south-1", "--agency-name", AGENCY, "--tag", "a=b", NULL},
	    {"--target-region", "cn-south-1,ap-southeast-1", "--agency-name", AGENCY, "--min-ram",
	     "1024", NULL},
	};
	const char *named[][3] = {{"--tag", "--min-ram", NULL},
	                          {"--max-ram", NULL},
	                          {"--tag", NULL},
	                          {"--min-ram", NULL}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *prefix[] = {"copy", "--source-image-id", UBUNTU, "--name",
		                        "nw",   "--no-wait",         NULL};
		long sent;
		run_result r = run_cli_counted(env, prefix, cases[i], &sent);
		if (r.status != 2 || sent != 0)
			fail_msg("case %zu: exit %d after %ld requests: %s", i, r.status, sent,
			         r.err);
		for (size_t k = 0; named[i][k]; k++)
			assert_non_null(strstr(r.err, named[i][k]));
		assert_non_null(strstr(r.err, "hwims update"));
		assert_string_equal(r.out, "");
		run_free(&r);
	}
}

static void endpoint_flag_overrides_environment(void **state)
{
	cli_env *env = env_or_skip(state);
	char ep[256];
	snprintf(ep, sizeof(ep), "ims=%s/{region}/", env->t.d.base_url);
	/* the environment points at a closed port; the flag wins */
	const char *list[] = {"list", "--endpoint", ep, "--output", "json", NULL};
	run_result r = run_cli(env, 1, 0, list);
	expect_status(&r, 0);
	json_t *j = parse(&r);
	assert_true(json_array_size(j) > 0);
	json_decref(j);
	run_free(&r);
	const char *bad[] = {"list", "--endpoint", "s3=http://x/", NULL};
	r = run_cli(env, 1, 0, bad);
	expect_status(&r, 2);
	run_free(&r);
}

static void timeout_bounds_a_silent_endpoint(void **state)
{
	cli_env *env = env_or_skip(state);
	/* Each attempt could wait 60 s and there are 5 retries: --timeout must cut the whole
	   command, IAM lookup included, and say it timed out. */
	int fd;
	int port = cli_silent_port(&fd);
	char ims[128], iam[128];
	snprintf(ims, sizeof(ims), "ims=http://127.0.0.1:%d/{region}/", port);
	snprintf(iam, sizeof(iam), "iam=http://127.0.0.1:%d/iam/", port);
	const char *list[] = {"list", "--endpoint", ims,  "--endpoint",
	                      iam,    "--timeout",  "1s", NULL};
	run_result r = run_cli(env, 0, 0, list);
	expect_status(&r, 3);
	assert_non_null(strstr(r.err, "deadline passed"));
	run_free(&r);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(help_for_every_command),
	    cmocka_unit_test(bad_usage_exits_2_without_a_request),
	    cmocka_unit_test(copy_show_update_list_delete),
	    cmocka_unit_test(cross_region_copy_and_no_wait_job),
	    cmocka_unit_test(failures_exit_1_3_130_and_name_the_copy),
	    cmocka_unit_test(endpoint_flag_overrides_environment),
	    cmocka_unit_test(no_wait_refuses_flags_it_cannot_honour),
	    cmocka_unit_test(timeout_bounds_a_silent_endpoint),
	};
	return cmocka_run_group_tests_name("cli", tests, cli_env_setup_default, cli_env_teardown);
}
