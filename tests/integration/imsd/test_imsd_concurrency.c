/* imsd end to end: concurrent clients. Several threads copy, query, patch and tag at once
 * through one thread-safe libhwims client; every answer is a success and the store ends
 * consistent (each copy exactly once, with its own name and tags). */
#include "itest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define COPIES  4

typedef struct worker {
	itest *t;
	int index;
	int failures;
	char image_ids[COPIES][64];
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	char name[64], path[256], body[256];

	for (int i = 0; i < COPIES; i++) {
		snprintf(name, sizeof(name), "conc-%d-%d", w->index, i);
		char *jid = itest_copy(w->t, NORTH4, i % 2 ? IMG_DATA : IMG_UBUNTU, name);
		if (!jid) {
			w->failures++;
			continue;
		}
		json_t *job = itest_wait_job(w->t, NORTH4, NORTH4_PID, jid);
		free(jid);
		const char *id = job ? itest_str(job, "entities.image_id") : NULL;
		if (!id) {
			w->failures++;
			json_decref(job);
			continue;
		}
		snprintf(w->image_ids[i], sizeof(w->image_ids[i]), "%s", id);
		json_decref(job);

		snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages/%s", w->image_ids[i]);
		snprintf(body, sizeof(body),
		         "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"%s-r\"}]", name);
		itest_reply r = itest_call(w->t, "PATCH", path, body);
		w->failures += r.status != 200;
		itest_reply_free(&r);

		snprintf(path, sizeof(path), "/cn-north-4/v2/%s/images/%s/tags/action", NORTH4_PID,
		         w->image_ids[i]);
		snprintf(body, sizeof(body),
		         "{\"action\":\"create\",\"tags\":[{\"key\":\"worker\",\"value\":\"%d\"}]}",
		         w->index);
		r = itest_call(w->t, "POST", path, body);
		w->failures += r.status != 204;
		itest_reply_free(&r);

		r = itest_call(w->t, "GET", "/cn-north-4/v2/cloudimages?limit=50", NULL);
		w->failures += r.status != 200;
		itest_reply_free(&r);
	}
	return NULL;
}

static void test_concurrent_clients(void **state)
{
	itest t;
	pthread_t th[THREADS];
	worker w[THREADS];

	(void)state;
	assert_int_equal(itest_start(&t, NULL, 100, NULL), 0);
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].t = &t;
		w[i].index = i;
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);

	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(w[i].failures, 0);
		for (int k = 0; k < COPIES; k++) {
			char path[256], want[64];
			snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages?id=%s",
			         w[i].image_ids[k]);
			itest_reply r = itest_call(&t, "GET", path, NULL);
			json_t *img = json_array_get(json_object_get(r.json, "images"), 0);
			snprintf(want, sizeof(want), "conc-%d-%d-r", i, k);
			assert_non_null(img);
			assert_string_equal(itest_str(img, "name"), want);
			itest_reply_free(&r);
			snprintf(path, sizeof(path),
			         "/cn-north-4/v2/cloudimages?tag=worker.%d&limit=100", i);
			r = itest_call(&t, "GET", path, NULL);
			assert_int_equal(json_array_size(json_object_get(r.json, "images")),
			                 COPIES);
			itest_reply_free(&r);
		}
	}
	/* The 17 seeded images of cn-north-4 plus every copy, each once. */
	itest_reply r = itest_call(&t, "GET", "/cn-north-4/v2/cloudimages?limit=1000", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 17 + THREADS * COPIES);
	itest_reply_free(&r);
	itest_stop(&t, 0);
}

/* Cross-region copies submitted all at once: the quota of 5 running ones holds, the rest are
 * refused with IMG.0060 (the count and the insert are one transaction). */
typedef struct submitter {
	itest *t;
	pthread_barrier_t *go;
	int index;
	int status;
	char code[32];
} submitter;

static void *submit_cross(void *arg)
{
	submitter *s = arg;
	char body[256];
	snprintf(body, sizeof(body),
	         "{\"name\":\"quota-%d\",\"description\":\"\",\"region\":\"" SOUTH1
	         "\",\"project_name\":\"" SOUTH1 "\",\"agency_name\":\"ims_admin_agency\"}",
	         s->index);
	pthread_barrier_wait(s->go);
	itest_reply r = itest_call(
	    s->t, "POST", "/cn-north-4/v1/cloudimages/" IMG_DATA "/cross_region_copy", body);
	s->status = r.status;
	snprintf(s->code, sizeof(s->code), "%s", itest_error_code(&r));
	itest_reply_free(&r);
	return NULL;
}

static void test_cross_region_quota_under_concurrency(void **state)
{
	itest t;
	pthread_t th[THREADS];
	submitter s[THREADS];
	pthread_barrier_t go;

	(void)state;
	assert_int_equal(itest_start(&t, NULL, 100, NULL), 0);
	pthread_barrier_init(&go, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].t = &t;
		s[i].go = &go;
		s[i].index = i;
		assert_int_equal(pthread_create(&th[i], NULL, submit_cross, &s[i]), 0);
	}
	int accepted = 0, refused = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		accepted += s[i].status == 200;
		refused += s[i].status == 400 && strcmp(s[i].code, "IMG.0060") == 0;
	}
	pthread_barrier_destroy(&go);
	assert_int_equal(accepted, 5);
	assert_int_equal(refused, THREADS - 5);
	itest_stop(&t, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_concurrent_clients),
	    cmocka_unit_test(test_cross_region_quota_under_concurrency),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
