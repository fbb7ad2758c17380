/*
 * A create killed mid-way (kill -9 of terraform, of the provider or of the CLI) is resumed by
 * the next create of the same copy, through the record it kept in the state directory
 * (src/lib/journal.h): one copy is made, and the next create returns it. A copy that no killed
 * create of this machine requested (a user's image of the same name, a create still running)
 * is never taken over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "wf_support.h"

typedef struct resume_env {
	wf_env *wf;
	char dir[64];       /* the state directory */
	char setting[128];  /* HWIMS_STATE_DIR=dir */
	hwims_client *with; /* a client that keeps records there */
} resume_env;

static void resume_begin(resume_env *r, void **state)
{
	r->wf = wf_env_or_skip(state);
	snprintf(r->dir, sizeof(r->dir), "/tmp/hwims-resume.XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->setting, sizeof(r->setting), "HWIMS_STATE_DIR=%s", r->dir);
	r->with = wf_client_env(r->wf->imsd.base_url, 20000, r->setting);
}

/* The records in the state directory; with job set, only those that name a job. */
static int records(const resume_env *r, int job)
{
	DIR *d = opendir(r->dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 4, ".rec") != 0)
			continue;
		char path[512], text[4096] = "";
		snprintf(path, sizeof(path), "%s/%s", r->dir, de->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t got = fread(text, 1, sizeof(text) - 1, f);
		text[got] = '\0';
		fclose(f);
		if (!job || strstr(text, "\"job_id\""))
			n++;
	}
	closedir(d);
	return n;
}

static void resume_end(resume_env *r)
{
	hwims_client_free(r->with);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", r->dir);
	assert_int_equal(system(cmd), 0);
}

/* The images named name; their count, and the first one's ID in *id (caller frees). */
static size_t images_named(wf_env *env, const char *name, char **id)
{
	hwims_image **images = NULL;
	size_t n = 0;
	hwims_error err;
	assert_int_equal(hwims_image_list(env->client, NULL, name, NULL, &images, &n, &err), 0);
	if (id)
		*id = n ? strdup(hwims_image_id(images[0])) : NULL;
	for (size_t i = 0; i < n; i++)
		hwims_image_free(images[i]);
	free(images);
	return n;
}

/* Run a create of s in a child process keeping records in r's directory, and kill -9 it once
 * ready() says so (polled every 50 ms, for at most 20 s). */
static void create_and_kill(resume_env *r, const hwims_copy_spec *s,
                            int (*ready)(resume_env *r, const char *name))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		hwims_client *c = wf_client_env(r->wf->imsd.base_url, 20000, r->setting);
		hwims_copy_result res;
		hwims_error err;
		hwims_image_copy_create(c, s, NULL, &res, &err);
		_exit(3); /* the create was to be killed before it ended */
	}
	int i;
	for (i = 0; i < 400 && !ready(r, s->name); i++)
		usleep(50 * 1000);
	kill(pid, SIGKILL);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(i < 400);
	assert_true(WIFSIGNALED(st));
}

static int job_noted(resume_env *r, const char *name)
{
	(void)name;
	return records(r, 1) == 1;
}

static int image_listed(resume_env *r, const char *name)
{
	return records(r, 0) == 1 && images_named(r->wf, name, NULL) == 1;
}

/* The next create of s returns the one copy the killed one made, and removes its record. */
static void next_create_resumes(resume_env *r, const hwims_copy_spec *s, int expect_job)
{
	char *made = NULL;
	assert_int_equal(images_named(r->wf, s->name, &made), 1);
	hwims_copy_result res;
	hwims_error err;
	if (hwims_image_copy_create(r->with, s, NULL, &res, &err) != 0)
		fail_msg("resumed create: %s", err.message);
	assert_string_equal(res.image_id, made);
	assert_int_equal(expect_job, res.job_id != NULL);
	assert_non_null(res.image);
	assert_string_equal(hwims_image_str(res.image, "status"), "active");
	assert_int_equal(images_named(r->wf, s->name, NULL), 1);
	assert_int_equal(records(r, 0), 0);
	free(made);
	hwims_copy_result_free(&res);
}

static void killed_while_the_job_runs(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "large-killed-mid-job"); /* 100 GiB: the job runs a while */
	create_and_kill(&r, &s, job_noted);
	assert_int_equal(records(&r, 1), 1); /* the record outlives its writer */
	next_create_resumes(&r, &s, 1);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

static void killed_before_the_copy_request_was_answered(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	/* imsd makes the copy at once but answers 5 s later: the create dies first */
	wf_faults(r.wf, "{\"latency_ms\": 5000, \"budget\": 1, \"path_pattern\": \"*/copy\"}");
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-killed-unanswered");
	create_and_kill(&r, &s, image_listed);
	wf_faults(r.wf, "{\"latency_ms\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	assert_int_equal(records(&r, 1), 0); /* no job was ever known */
	next_create_resumes(&r, &s, 0);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

static void a_request_that_made_nothing_is_copied_again(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	/* the connection drops before imsd handles the request: nothing is made */
	wf_faults(r.wf, "{\"drop_rate\": 1, \"budget\": 1, \"path_pattern\": \"*/copy\"}");
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-dropped-request");
	hwims_copy_result res;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(r.with, &s, NULL, &res, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_NETWORK);
	assert_null(res.job_id);
	assert_null(res.image_id);
	hwims_copy_result_free(&res);
	wf_faults(r.wf, "{\"drop_rate\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	/* what became of the request is not known: its record stays for the next create */
	assert_int_equal(records(&r, 0), 1);
	assert_int_equal(images_named(r.wf, s.name, NULL), 0);
	if (hwims_image_copy_create(r.with, &s, NULL, &res, &err) != 0)
		fail_msg("second create: %s", err.message);
	assert_non_null(res.job_id);
	assert_int_equal(images_named(r.wf, s.name, NULL), 1);
	assert_int_equal(records(&r, 0), 0);
	hwims_copy_result_free(&res);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

static void a_users_image_of_the_same_name_is_not_taken(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-same-name");
	hwims_copy_result mine, theirs;
	hwims_error err;
	/* made without a record (another machine, a console user) */
	assert_int_equal(hwims_image_copy_create(r.wf->client, &s, NULL, &theirs, &err), 0);
	assert_int_equal(hwims_image_copy_create(r.with, &s, NULL, &mine, &err), 0);
	assert_string_not_equal(mine.image_id, theirs.image_id);
	assert_int_equal(images_named(r.wf, s.name, NULL), 2);
	hwims_copy_result_free(&mine);
	hwims_copy_result_free(&theirs);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

/* Move the (one) record's request time back by secs: as if that create was killed long ago. */
static void age_record(resume_env *r, long secs)
{
	char cmd[512];
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %s && for f in *.rec; do python3 -c 'import json,sys; p=sys.argv[1]; "
	    "ls=[json.loads(l) for l in open(p)]; "
	    "[d.__setitem__(\"sent_at\", d[\"sent_at\"]-%ld) for d in ls if \"sent_at\" in d]; "
	    "open(p,\"w\").write(\"\".join(json.dumps(d)+\"\\n\" for d in ls))' \"$f\"; done",
	    r->dir, secs);
	assert_int_equal(system(cmd), 0);
}

static void a_users_image_made_since_is_not_taken(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	/* a create whose request was lost before imsd acted, an hour ago: its record stays */
	wf_faults(r.wf, "{\"drop_rate\": 1, \"budget\": 1, \"path_pattern\": \"*/copy\"}");
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-made-since");
	hwims_copy_result res, theirs;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(r.with, &s, NULL, &res, &err), -1);
	hwims_copy_result_free(&res);
	wf_faults(r.wf, "{\"drop_rate\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	assert_int_equal(records(&r, 0), 1);
	age_record(&r, 3600);
	/* since then a user made a copy of that name, without a record */
	assert_int_equal(hwims_image_copy_create(r.wf->client, &s, NULL, &theirs, &err), 0);
	/* it was made long after that request could have reached IMS: not the lost copy */
	assert_int_equal(hwims_image_copy_create(r.with, &s, NULL, &res, &err), 0);
	assert_string_not_equal(res.image_id, theirs.image_id);
	assert_int_equal(images_named(r.wf, s.name, NULL), 2);
	assert_int_equal(records(&r, 0), 0);
	hwims_copy_result_free(&res);
	hwims_copy_result_free(&theirs);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

typedef struct create_call {
	hwims_client *c;
	const hwims_copy_spec *s;
	hwims_copy_result res;
	int rc;
} create_call;

static void *create_main(void *arg)
{
	create_call *k = arg;
	hwims_error err;
	k->rc = hwims_image_copy_create(k->c, k->s, NULL, &k->res, &err);
	return NULL;
}

static void a_create_still_running_is_not_taken(void **state)
{
	resume_env r;
	resume_begin(&r, state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "large-twice-at-once"); /* two resources alike: two copies */
	create_call first = {.c = r.with, .s = &s}, second = {.c = r.with, .s = &s};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, create_main, &first), 0);
	for (int i = 0; i < 400 && records(&r, 1) < 1; i++)
		usleep(50 * 1000);
	assert_int_equal(records(&r, 1), 1);
	create_main(&second);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(first.rc, 0);
	assert_int_equal(second.rc, 0);
	assert_string_not_equal(first.res.job_id, second.res.job_id);
	assert_string_not_equal(first.res.image_id, second.res.image_id);
	assert_int_equal(images_named(r.wf, s.name, NULL), 2);
	assert_int_equal(records(&r, 0), 0);
	hwims_copy_result_free(&first.res);
	hwims_copy_result_free(&second.res);
	hwims_copy_spec_free(&s);
	resume_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(killed_while_the_job_runs, wf_setup, wf_teardown),
	    cmocka_unit_test_setup_teardown(killed_before_the_copy_request_was_answered, wf_setup,
	                                    wf_teardown),
	    cmocka_unit_test_setup_teardown(a_request_that_made_nothing_is_copied_again, wf_setup,
	                                    wf_teardown),
	    cmocka_unit_test_setup_teardown(a_users_image_of_the_same_name_is_not_taken, wf_setup,
	                                    wf_teardown),
	    cmocka_unit_test_setup_teardown(a_users_image_made_since_is_not_taken, wf_setup,
	                                    wf_teardown),
	    cmocka_unit_test_setup_teardown(a_create_still_running_is_not_taken, wf_setup,
	                                    wf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
