/*
 * The workflow against each answer IMS documents for an image that does not exist: 404, and 400
 * with IMG.0027, IMG.0144 or IMG.0086 (reference sections 5.2 and 5.3). imsd answers the one its
 * seed's missing_image names. Whatever the answer, a copy that is gone is gone: deleting it again
 * succeeds, and an update of it says "not found" (HWIMS_ERR_NOT_FOUND), not that the request was
 * invalid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wf_support.h"

typedef struct gone_answer {
	int status;
	const char *code;
} gone_answer;

static const gone_answer ANSWERS[] = {
    {404, "IMG.0027"},
    {400, "IMG.0027"},
    {400, "IMG.0144"},
    {400, "IMG.0086"},
};

/* A finished copy of the ubuntu image named name on c. Caller frees *spec and the ID. */
static char *make_copy(hwims_client *c, hwims_copy_spec *spec, const char *name)
{
	wf_spec(spec, WF_UBUNTU, name);
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(c, spec, NULL, &r, &err) != 0)
		fail_msg("copy %s: %s", name, err.message);
	char *id = strdup(r.image_id);
	hwims_copy_result_free(&r);
	return id;
}

static void each_gone_answer_means_gone(void **state)
{
	(void)state;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0) {
		print_message("imsd is not built: skipping\n");
		skip();
	}
	for (size_t i = 0; i < sizeof(ANSWERS) / sizeof(ANSWERS[0]); i++) {
		const gone_answer *a = &ANSWERS[i];
		print_message("missing image answered %d %s\n", a->status, a->code);
		char *dir = hwims_test_mkdtemp("hwims-gone");
		assert_non_null(dir);
		char changes[128];
		snprintf(changes, sizeof(changes),
		         "{\"missing_image\": {\"status\": %d, \"code\": \"%s\"}}", a->status,
		         a->code);
		char *seed = wf_seed_with(dir, changes);
		/* so fast a clock that a deleted image is gone before any second request */
		const char *args[] = {"--seed", seed, "--admin", NULL};
		wf_env env;
		memset(&env, 0, sizeof(env));
		assert_int_equal(hwims_test_imsd_start(&env.imsd, NULL, 100000, args), 0);
		hwims_client *c = wf_client_for(env.imsd.base_url);
		hwims_error err;

		/* DELETE: the first one takes effect but its answer is lost; the retry meets the
		   missing image, and the delete still succeeds. */
		hwims_copy_spec s;
		char *id = make_copy(c, &s, "gone-deleted");
		wf_faults(&env, "{\"lost_answer_rate\": 1, \"budget\": 1, "
		                "\"path_pattern\": \"*/v2/images/*\"}");
		if (hwims_image_copy_delete(c, &s, id, NULL, &err) != 0)
			fail_msg("delete with the answer lost (%d %s): %s", a->status, a->code,
			         err.message);
		assert_int_equal(wf_admin_faults(&env, "GET", NULL), 0); /* the fault did fire */
		wf_faults(&env,
		          "{\"lost_answer_rate\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
		hwims_image *img = NULL;
		assert_int_equal(hwims_image_copy_read(c, &s, id, NULL, &img, &err),
		                 HWIMS_ENOTFOUND);
		assert_null(img);
		assert_int_equal(hwims_image_copy_delete(c, &s, id, NULL, &err), 0);

		/* PATCH and tags of a copy deleted behind the workflow's back: not found. */
		hwims_copy_spec changed;
		wf_spec(&changed, WF_UBUNTU, "gone-deleted");
		changed.has_min_ram = 1;
		changed.min_ram = 1024;
		assert_int_not_equal(hwims_image_copy_update(c, &s, &changed, id, NULL, NULL, &err),
		                     0);
		if (err.kind != HWIMS_ERR_NOT_FOUND)
			fail_msg("PATCH of a gone copy (%d %s): kind %d, %s", a->status, a->code,
			         err.kind, err.message);
		hwims_copy_spec_free(&changed);
		wf_spec(&changed, WF_UBUNTU, "gone-deleted");
		assert_int_equal(hwims_tags_set(&changed.tags, "team", "blue", NULL), 0);
		assert_int_not_equal(hwims_image_copy_update(c, &s, &changed, id, NULL, NULL, &err),
		                     0);
		if (err.kind != HWIMS_ERR_NOT_FOUND)
			fail_msg("tags of a gone copy (%d %s): kind %d, %s", a->status, a->code,
			         err.kind, err.message);
		hwims_copy_spec_free(&changed);

		hwims_copy_spec_free(&s);
		free(id);
		hwims_client_free(c);
		hwims_test_imsd_stop(&env.imsd);
		hwims_test_rmtree(dir);
		free(dir);
		free(seed);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_gone_answer_means_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
