/* imsd end to end: SIGTERM shuts down cleanly, and a restart in the middle of a copy job on
 * the same data directory loses nothing. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void test_restart_mid_job(void **state)
{
	itest t;
	char *dir = hwims_test_mkdtemp("imsd-restart");
	char path[256];

	(void)state;
	assert_non_null(dir);
	/* 2 GiB at 100 MiB/s and scale 4: about five seconds of RUNNING. */
	assert_int_equal(itest_start(&t, dir, 4, NULL), 0);
	char *jid = itest_copy(&t, NORTH4, IMG_UBUNTU, "survivor");
	assert_non_null(jid);
	itest_reply r =
	    itest_call(&t, "PATCH", "/cn-north-4/v2/cloudimages/" IMG_DATA,
	               "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]");
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	snprintf(path, sizeof(path), "/cn-north-4/v1/%s/jobs/%s", NORTH4_PID, jid);
	r = itest_call(&t, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	assert_string_not_equal(itest_str(r.json, "status"), "SUCCESS");
	itest_reply_free(&r);

	int status = itest_stop(&t, 1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(itest_start(&t, dir, 4, NULL), 0);
	json_t *job = itest_wait_job(&t, NORTH4, NORTH4_PID, jid);
	assert_non_null(job);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages?id=%s",
	         itest_str(job, "entities.image_id"));
	r = itest_call(&t, "GET", path, NULL);
	json_t *img = json_array_get(json_object_get(r.json, "images"), 0);
	assert_non_null(img);
	assert_string_equal(itest_str(img, "name"), "survivor");
	assert_string_equal(itest_str(img, "status"), "active");
	itest_reply_free(&r);
	json_decref(job);

	/* The seed is not imported again over what clients changed. */
	r = itest_call(&t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_DATA, NULL);
	assert_string_equal(itest_str(json_array_get(json_object_get(r.json, "images"), 0), "name"),
	                    "renamed");
	itest_reply_free(&r);

	status = itest_stop(&t, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(jid);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_restart_mid_job),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
