/*
 * The fault matrix of docs/reliability.md, for the library's four operations: each fault
 * (lost answer, stalled answer, 429 storm, 5xx, dropped connection, failed job, imsd restart)
 * hits the request each operation cannot do without (create: the copy request; update: the
 * PATCH; delete: the DELETE; refresh: the image query), against a real imsd. Every cell must
 * end with no orphan: every image of the cell's name is the one the operation reported (or,
 * after a delete, none is left). Operations whose fault is transient must succeed; a create
 * whose request made nothing fails and says so, and its next create copies. The outcome of
 * each cell is printed as a table row (the rows docs/reliability.md quotes).
 *
 * kill -9 of terraform and of the provider are in tests/e2e/interrupted.sh and
 * test_copy_resume.c (they need a process to kill).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <semaphore.h>

#include "wf_support.h"

typedef enum op { OP_CREATE, OP_UPDATE, OP_DELETE, OP_REFRESH, OP_COUNT } op;
static const char *const op_names[OP_COUNT] = {"create", "update", "delete", "refresh"};
/* The request each operation cannot do without (imsd matches the path, without query). */
static const char *const op_paths[OP_COUNT] = {"*/copy", "*/v2/cloudimages/*", "*/v2/images/*",
                                               "*/v2/cloudimages"};

typedef struct fault {
	const char *name;
	const char *json; /* imsd fault settings; %s: the path pattern */
	int64_t request_timeout_ms;
} fault;

static const fault faults[] = {
    {"lost answer", "{\"lost_answer_rate\":1,\"budget\":1,\"path_pattern\":\"%s\"}", 20000},
    {"stalled answer", "{\"latency_ms\":2500,\"budget\":1,\"path_pattern\":\"%s\"}", 1000},
    /* more refusals in a row than the transport's retries (5) */
    {"429 storm", "{\"throttle_rate\":1,\"retry_after_s\":0,\"budget\":9,\"path_pattern\":\"%s\"}",
     20000},
    {"5xx",
     "{\"error_rate\":1,\"error_status\":503,\"retry_after_s\":0,\"budget\":3,"
     "\"path_pattern\":\"%s\"}",
     20000},
    {"500 to the copy request",
     "{\"error_rate\":1,\"error_status\":500,\"budget\":1,\"path_pattern\":\"%s\"}", 20000},
    {"dropped connection", "{\"drop_rate\":1,\"budget\":1,\"path_pattern\":\"%s\"}", 20000},
};
enum { N_FAULTS = sizeof(faults) / sizeof(faults[0]) };
static const char no_faults[] =
    "{\"lost_answer_rate\":0,\"latency_ms\":0,\"throttle_rate\":0,\"error_rate\":0,"
    "\"drop_rate\":0,\"budget\":-1,\"path_pattern\":\"\"}";

/* One cell's outcome. */
typedef struct outcome {
	int rc;
	hwims_error err;
	char *reported; /* the image the operation returned or kept (NULL: none) */
	size_t made;    /* images of the cell's names in imsd afterwards */
	size_t orphans; /* of those, the ones nothing reported */
} outcome;

static size_t count_named(wf_env *env, const char *name, const char *except, size_t *others)
{
	hwims_image **images = NULL;
	size_t n = 0;
	hwims_error err;
	assert_int_equal(hwims_image_list(env->client, NULL, name, NULL, &images, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (!except || strcmp(hwims_image_id(images[i]), except) != 0)
			(*others)++;
		hwims_image_free(images[i]);
	}
	free(images);
	return n;
}

/* A copy made with no fault, for the operations on an existing one. Caller frees. */
static char *make_copy(wf_env *env, const hwims_copy_spec *s)
{
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, s, NULL, &r, &err) != 0)
		fail_msg("setting up %s: %s", s->name, err.message);
	char *id = strdup(r.image_id);
	hwims_copy_result_free(&r);
	return id;
}

static void set_fault(wf_env *env, const char *json, const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), json, path);
	wf_faults(env, buf);
}

/* Run o under the fault (json with path o's) through client c; fill *out. ready(arg), when
 * set, is called once the copy an update, delete or refresh works on exists. */
static void run_cell(wf_env *env, hwims_client *c, op o, const char *json, const char *name,
                     void (*ready)(void *), void *arg, outcome *out)
{
	memset(out, 0, sizeof(*out));
	hwims_copy_spec s, renamed;
	wf_spec(&s, WF_UBUNTU, name);
	char new_name[96];
	snprintf(new_name, sizeof(new_name), "%s-renamed", name);
	char *id = o == OP_CREATE ? NULL : make_copy(env, &s);
	if (json)
		set_fault(env, json, op_paths[o]);
	if (ready)
		ready(arg);
	switch (o) {
	case OP_CREATE: {
		hwims_copy_result r;
		out->rc = hwims_image_copy_create(c, &s, NULL, &r, &out->err);
		out->reported = r.image_id ? strdup(r.image_id) : NULL;
		hwims_copy_result_free(&r);
		break;
	}
	case OP_UPDATE: {
		assert_int_equal(hwims_copy_spec_copy(&renamed, &s, NULL), 0);
		assert_int_equal(hwims_copy_spec_set(&renamed.name, new_name, NULL), 0);
		hwims_image *img = NULL;
		out->rc = hwims_image_copy_update(c, &s, &renamed, id, NULL, &img, &out->err);
		if (out->rc == 0 && strcmp(hwims_image_str(img, "name"), new_name) != 0)
			fail_msg("updated, but the name reads %s", hwims_image_str(img, "name"));
		hwims_image_free(img);
		hwims_copy_spec_free(&renamed);
		out->reported = strdup(id); /* the state keeps it either way */
		break;
	}
	case OP_DELETE:
		out->rc = hwims_image_copy_delete(c, &s, id, NULL, &out->err);
		/* a failed delete leaves the copy in the state */
		out->reported = out->rc == 0 ? NULL : strdup(id);
		break;
	case OP_REFRESH: {
		hwims_image *img = NULL;
		out->rc = hwims_image_copy_read(c, &s, id, NULL, &img, &out->err);
		if (out->rc == 0)
			assert_string_equal(hwims_image_id(img), id);
		hwims_image_free(img);
		out->reported = strdup(id);
		break;
	}
	default:
		break;
	}
	if (json)
		wf_faults(env, no_faults);
	out->made = count_named(env, name, out->reported, &out->orphans) +
	            count_named(env, new_name, out->reported, &out->orphans);
	free(id);
	hwims_copy_spec_free(&s);
}

static void row(const char *fault_name, op o, const outcome *out)
{
	print_message("| %s | %s | %s | %zu | %d | %zu |\n", fault_name, op_names[o],
	              out->rc == 0 ? "ok" : hwims_error_kind_name(out->err.kind), out->made,
	              out->reported ? 1 : 0, out->orphans);
}

static void transport_faults(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	for (int f = 0; f < N_FAULTS; f++) {
		hwims_client *c = wf_client_with(env->imsd.base_url, faults[f].request_timeout_ms);
		for (int o = 0; o < OP_COUNT; o++) {
			/* a 500 is only of interest where the request is not repeated */
			if (strncmp(faults[f].name, "500", 3) == 0 && o != OP_CREATE)
				continue;
			char name[64];
			snprintf(name, sizeof(name), "matrix-%d-%d", f, o);
			outcome out;
			run_cell(env, c, (op)o, faults[f].json, name, NULL, NULL, &out);
			row(faults[f].name, (op)o, &out);
			if (out.orphans != 0)
				fail_msg("%s during %s: %zu orphan(s)", faults[f].name, op_names[o],
				         out.orphans);
			int made_nothing = o == OP_CREATE && out.made == 0;
			if (out.rc != 0 && !made_nothing)
				fail_msg("%s during %s failed: %s", faults[f].name, op_names[o],
				         out.err.message);
			if (made_nothing) {
				/* the request was refused or lost before imsd acted: said so */
				assert_true(out.err.kind == HWIMS_ERR_NETWORK ||
				            out.err.kind == HWIMS_ERR_SERVER);
				assert_null(out.reported);
			}
			free(out.reported);
		}
		hwims_client_free(c);
	}
}

static void failed_job(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	outcome out;
	run_cell(env, env->client, OP_CREATE, NULL, "matrix-job-fails", NULL, NULL, &out);
	assert_int_equal(out.rc, 0); /* control: the name alone does not fail */
	free(out.reported);
	wf_faults(env, "{\"fail_name_pattern\":\"matrix-fail-*\"}");
	run_cell(env, env->client, OP_CREATE, NULL, "matrix-fail-job", NULL, NULL, &out);
	wf_faults(env, "{\"fail_name_pattern\":null}");
	row("job FAIL", OP_CREATE, &out);
	assert_int_equal(out.rc, -1);
	assert_int_equal(out.err.kind, HWIMS_ERR_JOB_FAILED);
	assert_int_equal(out.orphans, 0);
	free(out.reported);
}

typedef struct restart_call {
	wf_env *env;
	hwims_client *c;
	op o;
	char name[64];
	char *data_dir; /* imsd's, kept over the restart */
	sem_t started;  /* the operation is about to begin */
	outcome out;
} restart_call;

/* Stop imsd, keeping its data; the test thread starts it again. */
static void imsd_down(restart_call *k)
{
	k->data_dir = strdup(k->env->imsd.data_dir);
	k->env->imsd.keep_data = 1;
	hwims_test_imsd_stop(&k->env->imsd);
}

/* A single call is over in milliseconds: imsd goes down just before it is made. The create
 * is stopped by the test thread, in its job wait. */
static void op_begins(void *arg)
{
	restart_call *k = arg;
	if (k->o != OP_CREATE)
		imsd_down(k);
	sem_post(&k->started);
}

static void *restart_main(void *arg)
{
	restart_call *k = arg;
	run_cell(k->env, k->c, k->o, NULL, k->name, op_begins, k, &k->out);
	return NULL;
}

/* imsd restarts while the operation runs (on the same port and data): the create's job wait
 * rides it out; the single calls of the others are retried by the transport. */
static void imsd_restart(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_client_options o;
	memset(&o, 0, sizeof(o));
	o.backoff_base_ms = 200; /* five retries span about 3 s */
	o.backoff_max_ms = 1000;
	for (int k = 0; k < OP_COUNT; k++) {
		restart_call call = {.env = env, .o = (op)k};
		assert_int_equal(sem_init(&call.started, 0, 0), 0);
		call.c = wf_client_opts(env->imsd.base_url, &o, NULL);
		snprintf(call.name, sizeof(call.name), "matrix-restart-%d", k);
		char port[32];
		snprintf(port, sizeof(port), "127.0.0.1:%d", env->imsd.port);
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, restart_main, &call), 0);
		assert_int_equal(sem_wait(&call.started), 0);
		if (k == OP_CREATE) {
			usleep(400 * 1000); /* the copy was accepted; its job runs */
			imsd_down(&call);
		}
		usleep(500 * 1000);
		const char *args[] = {"--admin", "--listen", port, NULL};
		assert_int_equal(hwims_test_imsd_start(&env->imsd, call.data_dir, 100, args), 0);
		env->imsd.keep_data = 0;
		free(call.data_dir);
		assert_int_equal(pthread_join(t, NULL), 0);
		sem_destroy(&call.started);
		row("imsd restart", (op)k, &call.out);
		if (call.out.rc != 0)
			fail_msg("imsd restart during %s: %s", op_names[k], call.out.err.message);
		assert_int_equal(call.out.orphans, 0);
		free(call.out.reported);
		hwims_client_free(call.c);
	}
}

int main(void)
{
	print_message("| fault | operation | outcome | images | in state | orphans |\n");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(transport_faults, wf_setup, wf_teardown),
	    cmocka_unit_test_setup_teardown(failed_job, wf_setup, wf_teardown),
	    cmocka_unit_test_setup_teardown(imsd_restart, wf_setup, wf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
