/* The image-copy workflow end to end against imsd: create within a region and across regions,
 * read, update, import, delete. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wf_support.h"

static void progress_count(void *userdata, const hwims_progress *p)
{
	int *n = userdata;
	(*n)++;
	assert_true(p->elapsed_ns >= 0);
}

static void copy_within_region_with_kms_tags_and_ram(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu copy 01");
	hwims_copy_spec_set(&s.description, "encrypted copy", NULL);
	hwims_copy_spec_set(&s.kms_key_id, WF_KMS_KEY, NULL);
	s.has_min_ram = s.has_max_ram = 1;
	s.min_ram = 1024;
	s.max_ram = 8192;
	hwims_tags_set(&s.tags, "env", "test", NULL);
	hwims_tags_set(&s.tags, "team", "imaging", NULL);

	int calls = 0;
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.progress = progress_count;
	o.progress_userdata = &calls;
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, &o, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_non_null(r.job_id);
	assert_non_null(r.image_id);
	assert_string_equal(r.image_region, WF_REGION);
	assert_int_equal(r.job_state, HWIMS_JOB_SUCCESS);
	assert_true(r.configured);
	assert_true(calls > 0);
	hwims_image *img = r.image;
	assert_non_null(img);
	assert_string_equal(hwims_image_id(img), r.image_id);
	assert_string_equal(hwims_image_str(img, "name"), "ubuntu copy 01");
	assert_string_equal(hwims_image_str(img, "description"), "encrypted copy");
	assert_string_equal(hwims_image_str(img, "kms_key_id"), WF_KMS_KEY);
	assert_string_equal(hwims_image_str(img, "status"), "active");
	assert_string_equal(hwims_image_str(img, "source_image_id"), WF_UBUNTU);
	assert_string_equal(hwims_image_str(img, "region"), WF_REGION);
	assert_null(hwims_image_str(img, "target_region"));
	assert_string_equal(hwims_image_str(img, "image_size"), "2147483648");
	assert_string_equal(hwims_image_str(img, "os_version"), "Ubuntu 22.04 server 64bit");
	int64_t v;
	assert_true(hwims_image_int(img, "min_ram", &v));
	assert_int_equal(v, 1024);
	assert_true(hwims_image_int(img, "max_ram", &v));
	assert_int_equal(v, 8192);
	assert_true(hwims_image_int(img, "min_disk", &v));
	assert_int_equal(v, 40);
	int b;
	assert_true(hwims_image_bool(img, "protected", &b));
	assert_false(b);
	const hwims_tags *t = hwims_image_tags(img);
	assert_non_null(t);
	assert_int_equal(t->count, 2);
	assert_string_equal(hwims_tags_get(t, "env"), "test");

	/* read it again, as Terraform's refresh does */
	hwims_image *again = NULL;
	assert_int_equal(hwims_image_copy_read(env->client, &s, r.image_id, NULL, &again, &err), 0);
	assert_string_equal(hwims_image_str(again, "name"), "ubuntu copy 01");
	hwims_image_free(again);

	/* update: name, description, RAM, tags (one changed, one gone, one new), enterprise
	 * project */
	hwims_copy_spec n;
	assert_int_equal(hwims_copy_spec_copy(&n, &s, NULL), 0);
	hwims_copy_spec_set(&n.name, "ubuntu copy 01 renamed", NULL);
	hwims_copy_spec_set(&n.description, "still encrypted", NULL);
	n.min_ram = 2048;
	n.max_ram = 16384;
	hwims_tags_set(&n.tags, "env", "prod", NULL);
	hwims_tags_remove(&n.tags, "team");
	hwims_tags_set(&n.tags, "owner", "ops", NULL);
	hwims_copy_spec_set(&n.enterprise_project_id, WF_EPS_PROD, NULL);
	hwims_image *upd = NULL;
	if (hwims_image_copy_update(env->client, &s, &n, r.image_id, NULL, &upd, &err) != 0)
		fail_msg("update: %s", err.message);
	assert_non_null(upd);
	assert_string_equal(hwims_image_str(upd, "name"), "ubuntu copy 01 renamed");
	assert_string_equal(hwims_image_str(upd, "description"), "still encrypted");
	assert_string_equal(hwims_image_str(upd, "enterprise_project_id"), WF_EPS_PROD);
	assert_true(hwims_image_int(upd, "min_ram", &v));
	assert_int_equal(v, 2048);
	assert_true(hwims_image_int(upd, "max_ram", &v));
	assert_int_equal(v, 16384);
	t = hwims_image_tags(upd);
	assert_int_equal(t->count, 2);
	assert_string_equal(hwims_tags_get(t, "env"), "prod");
	assert_string_equal(hwims_tags_get(t, "owner"), "ops");
	assert_null(hwims_tags_get(t, "team"));
	hwims_image_free(upd);

	/* nothing changed: no request at all */
	uint64_t before = hwims_client_calls(env->client);
	assert_int_equal(hwims_image_copy_update(env->client, &n, &n, r.image_id, NULL, NULL, &err),
	                 0);
	assert_int_equal(hwims_client_calls(env->client), before);

	/* a force-new argument cannot change in place */
	hwims_copy_spec_set(&n.kms_key_id, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02", NULL);
	assert_int_equal(hwims_image_copy_update(env->client, &s, &n, r.image_id, NULL, NULL, &err),
	                 -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, "kms_key_id");

	/* import by "<image_id>" (the configured region) */
	hwims_copy_spec imp;
	hwims_image *iimg = NULL;
	if (hwims_image_copy_import(env->client, r.image_id, NULL, &imp, &iimg, &err) != 0)
		fail_msg("import: %s", err.message);
	assert_string_equal(imp.source_image_id, WF_UBUNTU);
	assert_string_equal(imp.region, WF_REGION);
	assert_null(imp.target_region);
	assert_string_equal(imp.name, "ubuntu copy 01 renamed");
	assert_string_equal(imp.kms_key_id, WF_KMS_KEY);
	assert_true(imp.has_min_ram);
	assert_int_equal(imp.min_ram, 2048);
	assert_string_equal(hwims_tags_get(&imp.tags, "owner"), "ops");
	hwims_copy_spec_free(&imp);
	hwims_image_free(iimg);

	/* delete, then it is gone; deleting again is success */
	if (hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err) != 0)
		fail_msg("delete: %s", err.message);
	hwims_image *gone = NULL;
	assert_int_equal(hwims_image_copy_read(env->client, &s, r.image_id, NULL, &gone, &err),
	                 HWIMS_ENOTFOUND);
	assert_null(gone);
	before = hwims_client_calls(env->client);
	assert_int_equal(hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err), 0);
	/* one query, no DELETE */
	assert_int_equal(hwims_client_calls(env->client), before + 1);

	hwims_copy_spec_free(&n);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void copy_across_regions_lives_in_target(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-south");
	hwims_copy_spec_set(&s.target_region, WF_REGION2, NULL);
	hwims_copy_spec_set(&s.agency_name, WF_AGENCY, NULL);
	hwims_tags_set(&s.tags, "copied", "across", NULL);
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_string_equal(r.image_region, WF_REGION2);
	assert_string_equal(hwims_image_region(r.image), WF_REGION2);
	assert_string_equal(hwims_image_str(r.image, "region"), WF_REGION);
	assert_string_equal(hwims_image_str(r.image, "target_region"), WF_REGION2);
	assert_string_equal(hwims_image_str(r.image, "source_image_id"), WF_UBUNTU);
	assert_string_equal(hwims_tags_get(hwims_image_tags(r.image), "copied"), "across");

	/* not in the source region */
	hwims_copy_spec here;
	wf_spec(&here, WF_UBUNTU, "x");
	hwims_image *img = NULL;
	assert_int_equal(hwims_image_copy_read(env->client, &here, r.image_id, NULL, &img, &err),
	                 HWIMS_ENOTFOUND);
	hwims_copy_spec_free(&here);

	/* import as "<region>/<image_id>" recovers the cross-region arguments */
	char id[200];
	snprintf(id, sizeof(id), "%s/%s", WF_REGION2, r.image_id);
	hwims_copy_spec imp;
	if (hwims_image_copy_import(env->client, id, NULL, &imp, NULL, &err) != 0)
		fail_msg("import: %s", err.message);
	assert_string_equal(imp.region, WF_REGION);
	assert_string_equal(imp.target_region, WF_REGION2);
	assert_string_equal(imp.source_image_id, WF_UBUNTU);
	assert_null(imp.agency_name);
	/* the imported spec reads back the same copy */
	assert_int_equal(hwims_image_copy_read(env->client, &imp, r.image_id, NULL, &img, &err), 0);
	hwims_image_free(img);

	/* update in the target region: tags */
	hwims_copy_spec n;
	hwims_copy_spec_copy(&n, &s, NULL);
	hwims_tags_set(&n.tags, "copied", "again", NULL);
	assert_int_equal(hwims_image_copy_update(env->client, &s, &n, r.image_id, NULL, &img, &err),
	                 0);
	assert_string_equal(hwims_tags_get(hwims_image_tags(img), "copied"), "again");
	hwims_image_free(img);

	assert_int_equal(hwims_image_copy_delete(env->client, &imp, r.image_id, NULL, &err), 0);
	assert_int_equal(hwims_image_copy_read(env->client, &s, r.image_id, NULL, &img, &err),
	                 HWIMS_ENOTFOUND);
	hwims_copy_spec_free(&imp);
	hwims_copy_spec_free(&n);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void full_ecs_image_across_regions_with_vault(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_WHOLE, "web-full-south");
	hwims_copy_spec_set(&s.target_region, WF_REGION2, NULL);
	hwims_copy_spec_set(&s.agency_name, WF_AGENCY, NULL);
	hwims_copy_spec_set(&s.vault_id, WF_VAULT_SOUTH, NULL);
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_string_equal(hwims_image_region(r.image), WF_REGION2);
	assert_int_equal(hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err), 0);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void update_adds_attributes_the_copy_lacks(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	/* data-disk-golden has no max_ram, and a copy made without a description has none:
	 * "replace" of those is refused (IMG.0035) and must be retried as "add" */
	hwims_copy_spec s;
	wf_spec(&s, WF_DATA_DISK, "data-copy-bare");
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_null(hwims_image_str(r.image, "description"));
	hwims_copy_spec n;
	hwims_copy_spec_copy(&n, &s, NULL);
	hwims_copy_spec_set(&n.description, "described later", NULL);
	n.has_max_ram = 1;
	n.max_ram = 4096;
	hwims_image *img = NULL;
	if (hwims_image_copy_update(env->client, &s, &n, r.image_id, NULL, &img, &err) != 0)
		fail_msg("update: %s", err.message);
	assert_string_equal(hwims_image_str(img, "description"), "described later");
	int64_t v;
	assert_true(hwims_image_int(img, "max_ram", &v));
	assert_int_equal(v, 4096);
	hwims_image_free(img);
	assert_int_equal(hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err), 0);
	hwims_copy_spec_free(&n);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

/* The RAM bounds of a copy as read back, asserted. */
static void expect_ram(const hwims_image *img, int64_t min, int64_t max)
{
	int64_t v;
	assert_true(hwims_image_int(img, "min_ram", &v));
	assert_int_equal(v, min);
	assert_true(hwims_image_int(img, "max_ram", &v));
	assert_int_equal(v, max);
}

/* centos-79-large has 2048/65536: configured zeros are sent, not assumed (the copy inherits its
 * source's bounds); then lowering and raising both bounds past the current minimum never
 * passes through min > max (IMG.0055). */
/* The client's enterprise project (the provider's enterprise_project_id, HW_ENTERPRISE_PROJECT_ID)
 * is where a new copy within a region goes when its spec names none; one that names its own
 * keeps it, and a cross-region copy sends none. */
static void client_enterprise_project_is_the_default_of_new_copies(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_client *c =
	    wf_client_opts(env->imsd.base_url, NULL, "HW_ENTERPRISE_PROJECT_ID=" WF_EPS_PROD);
	hwims_copy_spec s;
	hwims_copy_result r;
	hwims_error err;
	wf_spec(&s, WF_UBUNTU, "eps-default");
	if (hwims_image_copy_create(c, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_string_equal(hwims_image_str(r.image, "enterprise_project_id"), WF_EPS_PROD);
	assert_int_equal(hwims_image_copy_delete(c, &s, r.image_id, NULL, &err), 0);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);

	wf_spec(&s, WF_UBUNTU, "eps-own");
	assert_int_equal(hwims_copy_spec_set(&s.enterprise_project_id, "0", NULL), 0);
	if (hwims_image_copy_create(c, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	assert_string_equal(hwims_image_str(r.image, "enterprise_project_id"), "0");
	assert_int_equal(hwims_image_copy_delete(c, &s, r.image_id, NULL, &err), 0);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);

	wf_spec(&s, WF_UBUNTU, "eps-cross");
	assert_int_equal(hwims_copy_spec_set(&s.target_region, WF_REGION2, NULL), 0);
	assert_int_equal(hwims_copy_spec_set(&s.agency_name, WF_AGENCY, NULL), 0);
	if (hwims_image_copy_create(c, &s, NULL, &r, &err) != 0)
		fail_msg("cross-region create with a client enterprise project: %s", err.message);
	assert_int_equal(hwims_image_copy_delete(c, &s, r.image_id, NULL, &err), 0);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
	hwims_client_free(c);
}

static void ram_bounds_zeros_and_order(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "large-zero-ram");
	s.has_min_ram = s.has_max_ram = 1;
	s.min_ram = s.max_ram = 0;
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	expect_ram(r.image, 0, 0);

	static const int64_t steps[][2] = {{4096, 8192}, {512, 1024}, {16384, 32768}, {0, 0}};
	hwims_copy_spec o;
	hwims_copy_spec_copy(&o, &s, NULL);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		hwims_copy_spec n;
		hwims_copy_spec_copy(&n, &o, NULL);
		n.min_ram = steps[i][0];
		n.max_ram = steps[i][1];
		hwims_image *img = NULL;
		if (hwims_image_copy_update(env->client, &o, &n, r.image_id, NULL, &img, &err) != 0)
			fail_msg("update to %lld/%lld: %s", (long long)n.min_ram,
			         (long long)n.max_ram, err.message);
		expect_ram(img, steps[i][0], steps[i][1]);
		hwims_image_free(img);
		hwims_copy_spec_free(&o);
		o = n;
	}
	assert_int_equal(hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err), 0);
	hwims_copy_spec_free(&o);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void import_errors(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec imp;
	hwims_error err;
	const char *bad[] = {"", "/x", "cn-north-4/", "a/b/c", "has space"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    hwims_image_copy_import(env->client, bad[i], NULL, &imp, NULL, &err), -1);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	}
	assert_int_equal(hwims_image_copy_import(env->client,
	                                         "cn-north-4/00000000-0000-0000-0000-"
	                                         "000000000000",
	                                         NULL, &imp, NULL, &err),
	                 HWIMS_ENOTFOUND);
	assert_int_equal(err.kind, HWIMS_ERR_NOT_FOUND);
	assert_null(strstr(err.message, "<region>/<id>")); /* the region was given */
	/* without a prefix only the client's region is searched: the message says how to name
	   another */
	assert_int_equal(hwims_image_copy_import(env->client,
	                                         "00000000-0000-0000-0000-000000000000", NULL, &imp,
	                                         NULL, &err),
	                 HWIMS_ENOTFOUND);
	if (!strstr(err.message, "imported as <region>/<id>, such as "
	                         "cn-south-1/00000000-0000-0000-0000-000000000000"))
		fail_msg("no region-prefix hint in \"%s\"", err.message);
	/* a seeded image that is not a copy */
	assert_int_equal(hwims_image_copy_import(env->client, WF_UBUNTU, NULL, &imp, NULL, &err),
	                 -1);
	assert_int_equal(err.kind, HWIMS_ERR_INVALID);
}

static void list_and_job(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_DATA_DISK, "data-copy");
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.no_wait = 1;
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, &o, &r, &err), 0);
	assert_non_null(r.job_id);
	assert_null(r.image);
	hwims_copy_job job;
	assert_int_equal(hwims_copy_job_get(env->client, NULL, r.job_id, NULL, &job, &err), 0);
	assert_string_equal(job.job_id, r.job_id);
	assert_true(job.state == HWIMS_JOB_INIT || job.state == HWIMS_JOB_RUNNING ||
	            job.state == HWIMS_JOB_SUCCESS);
	hwims_copy_job_free(&job);
	hwims_image **images = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(env->client, NULL, "data-copy", NULL, &images, &n, &err),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(hwims_image_str(images[0], "name"), "data-copy");
	hwims_image_free(images[0]);
	free(images);
	assert_int_equal(hwims_copy_job_get(env->client, NULL, "ff80808100000000000000000000dead",
	                                    NULL, &job, &err),
	                 -1);
	hwims_copy_job_free(&job);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

/* The longest valid name, 128 Chinese characters, escapes to 1,152 bytes in the query that
 * finds a copy by name (the lookup after an unanswered copy request relies on it). */
static void longest_chinese_name_is_found_by_name(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	char name[128 * 3 + 1];
	for (int i = 0; i < 128; i++)
		memcpy(name + 3 * i, "\xe9\x95\x9c", 3); /* U+955C */
	name[128 * 3] = '\0';
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, name);
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create: %s", err.message);
	hwims_image **imgs = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(env->client, NULL, name, NULL, &imgs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(hwims_image_str(imgs[0], "id"), r.image_id);
	assert_string_equal(hwims_image_str(imgs[0], "name"), name);
	hwims_image_free(imgs[0]);
	free(imgs);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(copy_within_region_with_kms_tags_and_ram),
	    cmocka_unit_test(copy_across_regions_lives_in_target),
	    cmocka_unit_test(full_ecs_image_across_regions_with_vault),
	    cmocka_unit_test(ram_bounds_zeros_and_order),
	    cmocka_unit_test(client_enterprise_project_is_the_default_of_new_copies),
	    cmocka_unit_test(update_adds_attributes_the_copy_lacks),
	    cmocka_unit_test(import_errors),
	    cmocka_unit_test(list_and_job),
	    cmocka_unit_test(longest_chinese_name_is_found_by_name),
	};
	return cmocka_run_group_tests_name("workflow lifecycle", tests, wf_setup, wf_teardown);
}
