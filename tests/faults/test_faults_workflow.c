/*
 * Allocation failures in the image-copy workflow against a real imsd: create, read, update and
 * delete, each run once per allocation it makes with that allocation refused (sweep.h).
 *
 * Every run builds its own client (from a configuration loaded once), so its project-ID cache
 * starts empty and each run makes the same calls as the clean one; the client's own set-up is
 * part of what is swept. imsd runs a million times faster than real time, so copy jobs and
 * deletions are done by the first poll, and the create polls every millisecond.
 *
 * Besides the sweep's own verdict, every create run must leave no image that nothing reports:
 * each copy imsd holds afterwards is the result's image, or is named in the error, or is the
 * image of the job the result names (the provider keeps such a job in private state and
 * resolves it on refresh). Those copies are then deleted, so the next run starts clean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../integration/workflow/wf_support.h"
#include "failalloc.h"
#include "sweep.h"

#define COPY_NAME "faults-copy"

typedef struct fx {
	hwims_test_imsd imsd;
	int running;
	hwims_config cfg;           /* what every run's client is built from */
	hwims_client_options copts; /* small backoffs */
	hwims_client *admin;        /* for checks and set-up, never counted */
	hwims_copy_options opts;    /* fast polling */
	hwims_copy_spec spec;       /* the copy every scenario works on */
	hwims_copy_spec renamed;    /* what update moves it to */
	char image_id[128];         /* read, update, delete: the copy they work on */
	hwims_copy_result res;      /* create's result */
	hwims_image *img;           /* read's and update's result */
	char *state_dir;            /* the records of copies in flight */
} fx;

static void spec_init(hwims_copy_spec *s, const char *name, const char *desc, int64_t min_ram,
                      const char *env)
{
	wf_spec(s, WF_UBUNTU, name);
	assert_int_equal(hwims_copy_spec_set(&s->description, desc, NULL), 0);
	s->has_min_ram = s->has_max_ram = 1;
	s->min_ram = min_ram;
	s->max_ram = 8192;
	assert_int_equal(hwims_tags_set(&s->tags, "env", env, NULL), 0);
	assert_int_equal(hwims_tags_set(&s->tags, "team", "reliability", NULL), 0);
}

static int group_setup(void **state)
{
	failalloc_init();
	fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	const char *args[] = {"--quiet", NULL};
	if (hwims_test_imsd_start(&f->imsd, NULL, 1e6, args) != 0)
		return -1;
	f->running = 1;
	/* Creates keep their records of copies in flight (src/lib/journal.h), so the sweep
	   covers writing, claiming and resuming them too. */
	f->state_dir = hwims_test_mkdtemp("faults-state");
	if (!f->state_dir)
		return -1;
	char setting[600];
	snprintf(setting, sizeof(setting), "HWIMS_STATE_DIR=%s", f->state_dir);
	wf_config(&f->cfg, f->imsd.base_url, setting);
	f->copts.backoff_base_ms = 1;
	f->copts.backoff_max_ms = 5;
	f->copts.request_timeout_ms = 20000;
	hwims_error err;
	if (hwims_client_new(&f->admin, &f->cfg, &f->copts, &err) != 0)
		return -1;
	f->opts.fixed_poll_interval_ns = 1000000;
	spec_init(&f->spec, COPY_NAME, "made by the allocation-failure sweep", 1024, "faults");
	spec_init(&f->renamed, COPY_NAME "-renamed", "renamed by the sweep", 2048, "renamed");
	assert_int_equal(hwims_tags_set(&f->renamed.tags, "new", "tag", NULL), 0);
	return 0;
}

static int group_teardown(void **state)
{
	fx *f = *state;
	hwims_client_free(f->admin);
	hwims_config_free(&f->cfg);
	hwims_copy_spec_free(&f->spec);
	hwims_copy_spec_free(&f->renamed);
	if (f->running)
		hwims_test_imsd_stop(&f->imsd);
	if (f->state_dir) {
		hwims_test_rmtree(f->state_dir);
		free(f->state_dir);
	}
	free(f);
	return 0;
}

/* ---- helpers, never counted ----------------------------------------------------------------- */

/* A fresh client for one run (counted: its set-up is part of the sweep). */
static int run_client(fx *f, hwims_client **c, hwims_error *err)
{
	return hwims_client_new(c, &f->cfg, &f->copts, err);
}

/* Delete image id with the admin client, failing the test when that fails. */
static void remove_image(fx *f, const char *id)
{
	hwims_error err;
	if (hwims_image_copy_delete(f->admin, NULL, id, &f->opts, &err) != 0)
		fail_msg("cleaning up image %s: %s", id, err.message);
}

/* The copies imsd holds under either of the sweep's names. Caller frees with free_list. */
static void list_copies(fx *f, hwims_image ***out, size_t *n)
{
	hwims_error err;
	hwims_image **all = NULL;
	size_t count = 0;
	if (hwims_image_list(f->admin, NULL, NULL, NULL, &all, &count, &err) != 0)
		fail_msg("listing images: %s", err.message);
	size_t kept = 0;
	for (size_t i = 0; i < count; i++) {
		const char *name = hwims_image_str(all[i], "name");
		if (name && strncmp(name, COPY_NAME, strlen(COPY_NAME)) == 0)
			all[kept++] = all[i];
		else
			hwims_image_free(all[i]);
	}
	*out = all;
	*n = kept;
}

static void free_list(hwims_image **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hwims_image_free(list[i]);
	free(list);
}

/* The image of job_id, or "" (owned by buf). */
static const char *job_image(fx *f, const char *job_id, char *buf, size_t len)
{
	buf[0] = '\0';
	hwims_copy_job job;
	memset(&job, 0, sizeof(job));
	if (job_id && hwims_copy_job_get(f->admin, NULL, job_id, NULL, &job, NULL) == 0 &&
	    job.image_id)
		snprintf(buf, len, "%s", job.image_id);
	hwims_copy_job_free(&job);
	return buf;
}

/* Make the copy the read, update and delete scenarios work on. */
static void make_copy(fx *f)
{
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(f->admin, &f->spec, &f->opts, &r, &err) != 0)
		fail_msg("making the copy: %s", err.message);
	snprintf(f->image_id, sizeof(f->image_id), "%s", r.image_id);
	hwims_copy_result_free(&r);
}

/* 1 if img has the RAM bounds and tags spec asks for. */
static int configured_as(const hwims_image *img, const hwims_copy_spec *spec)
{
	int64_t min_ram = -1, max_ram = -1;
	hwims_image_int(img, "min_ram", &min_ram);
	hwims_image_int(img, "max_ram", &max_ram);
	return min_ram == spec->min_ram && max_ram == spec->max_ram && hwims_image_tags(img) &&
	       hwims_tags_equal(hwims_image_tags(img), &spec->tags);
}

/* ---- create --------------------------------------------------------------------------------- */

static int create_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	hwims_client *c = NULL;
	memset(&f->res, 0, sizeof(f->res));
	if (run_client(f, &c, err) != 0)
		return -1;
	int rc = hwims_image_copy_create(c, &f->spec, &f->opts, &f->res, err);
	hwims_client_free(c);
	return rc;
}

static int create_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	hwims_copy_result *r = &f->res;
	int bad = 0;
	if (rc == 0 && (!r->image || !r->image_id || !r->configured)) {
		snprintf(why, len, "succeeded without a configured image read back");
		bad = 1;
	} else if (rc == 0 && !configured_as(r->image, &f->spec)) {
		snprintf(why, len, "succeeded, but the copy's RAM bounds or tags are not as asked");
		bad = 1;
	}
	hwims_image **list;
	size_t n;
	list_copies(f, &list, &n);
	char of_job[128];
	job_image(f, r->job_id, of_job, sizeof(of_job));
	for (size_t i = 0; i < n; i++) {
		const char *id = hwims_image_id(list[i]);
		int reported = (r->image_id && strcmp(id, r->image_id) == 0) ||
		               strcmp(id, of_job) == 0 || strstr(err->message, id);
		if (!reported && !bad) {
			snprintf(why, len,
			         "image %s was made but nothing reports it (rc %d, job %s, "
			         "image %s, error: %s)",
			         id, rc, r->job_id ? r->job_id : "none",
			         r->image_id ? r->image_id : "none", err->message);
			bad = 1;
		}
		remove_image(f, id);
	}
	if (rc == 0 && n != 1 && !bad) {
		snprintf(why, len, "succeeded, and imsd holds %zu copies", n);
		bad = 1;
	}
	free_list(list, n);
	hwims_copy_result_free(r);
	return bad ? -1 : 0;
}

static void create_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	sweep_run(&(sweep_case){.name = "workflow create",
	                        .ctx = f,
	                        .run = create_run,
	                        .check = create_check,
	                        .from_stride = 7});
}

/* ---- read ----------------------------------------------------------------------------------- */

static int read_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	hwims_client *c = NULL;
	f->img = NULL;
	if (run_client(f, &c, err) != 0)
		return -1;
	int rc = hwims_image_copy_read(c, NULL, f->image_id, &f->opts, &f->img, err);
	hwims_client_free(c);
	return rc;
}

static int read_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	if (rc == HWIMS_ENOTFOUND) {
		/* Terraform would drop the copy from state: an orphan */
		snprintf(why, len, "reported image %s gone while it exists", f->image_id);
		bad = 1;
	} else if (rc == 0 && (!f->img || strcmp(hwims_image_id(f->img), f->image_id) != 0 ||
	                       !hwims_image_str(f->img, "name") || !hwims_image_tags(f->img) ||
	                       !hwims_tags_equal(hwims_image_tags(f->img), &f->spec.tags))) {
		snprintf(why, len, "succeeded without the image read back");
		bad = 1;
	}
	hwims_image_free(f->img);
	f->img = NULL;
	return bad ? -1 : 0;
}

static void read_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	make_copy(f);
	sweep_run(&(sweep_case){.name = "workflow read",
	                        .ctx = f,
	                        .run = read_run,
	                        .check = read_check,
	                        .from_stride = 1});
	remove_image(f, f->image_id);
}

/* ---- update --------------------------------------------------------------------------------- */

/* Bring the copy back to f->spec, whatever a failed update left. */
static int update_prepare(void *ctx)
{
	fx *f = ctx;
	hwims_copy_spec now = HWIMS_COPY_SPEC_INIT;
	hwims_error err;
	int rc = hwims_image_copy_import(f->admin, f->image_id, &f->opts, &now, NULL, &err);
	if (rc == 0)
		rc = hwims_image_copy_update(f->admin, &now, &f->spec, f->image_id, &f->opts, NULL,
		                             &err);
	if (rc != 0)
		print_message("resetting image %s: %s\n", f->image_id, err.message);
	hwims_copy_spec_free(&now);
	return rc;
}

static int update_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	hwims_client *c = NULL;
	f->img = NULL;
	if (run_client(f, &c, err) != 0)
		return -1;
	int rc =
	    hwims_image_copy_update(c, &f->spec, &f->renamed, f->image_id, &f->opts, &f->img, err);
	hwims_client_free(c);
	return rc;
}

static int update_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	const char *name = f->img ? hwims_image_str(f->img, "name") : NULL;
	if (rc == 0 &&
	    (!name || strcmp(name, f->renamed.name) != 0 || !configured_as(f->img, &f->renamed))) {
		snprintf(why, len, "succeeded without the updated image read back");
		bad = 1;
	}
	hwims_image_free(f->img);
	f->img = NULL;
	return bad ? -1 : 0;
}

static void update_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	make_copy(f);
	sweep_run(&(sweep_case){.name = "workflow update",
	                        .ctx = f,
	                        .prepare = update_prepare,
	                        .run = update_run,
	                        .check = update_check,
	                        .from_stride = 3});
	remove_image(f, f->image_id);
}

/* ---- delete --------------------------------------------------------------------------------- */

static int delete_prepare(void *ctx)
{
	make_copy(ctx);
	return 0;
}

static int delete_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	hwims_client *c = NULL;
	if (run_client(f, &c, err) != 0)
		return -1;
	int rc = hwims_image_copy_delete(c, NULL, f->image_id, &f->opts, err);
	hwims_client_free(c);
	return rc;
}

static int delete_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	hwims_image *img = NULL;
	hwims_error rerr;
	int got = hwims_image_copy_read(f->admin, NULL, f->image_id, &f->opts, &img, &rerr);
	hwims_image_free(img);
	if (got < 0 && got != HWIMS_ENOTFOUND)
		fail_msg("reading image %s after the delete: %s", f->image_id, rerr.message);
	if (rc == 0 && got != HWIMS_ENOTFOUND) {
		snprintf(why, len, "succeeded, and image %s is still there", f->image_id);
		remove_image(f, f->image_id);
		return -1;
	}
	if (got != HWIMS_ENOTFOUND)
		remove_image(f, f->image_id);
	return 0;
}

static void delete_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	sweep_run(&(sweep_case){.name = "workflow delete",
	                        .ctx = f,
	                        .prepare = delete_prepare,
	                        .run = delete_run,
	                        .check = delete_check,
	                        .from_stride = 1});
}

/* argv[1], when given, runs only the scenario of that name (create, read, update, delete). */
int main(int argc, char **argv)
{
	sweep_select(argc, argv);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(create_survives_every_failed_allocation),
	    cmocka_unit_test(read_survives_every_failed_allocation),
	    cmocka_unit_test(update_survives_every_failed_allocation),
	    cmocka_unit_test(delete_survives_every_failed_allocation),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
