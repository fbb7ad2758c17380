/* test_cancel.c - the cancellation token across threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "hwims/cancel.h"

static void test_basic(void **state)
{
	hwims_cancel *c;
	hwims_error err;

	assert_int_equal(hwims_cancel_new(&c, &err), 0);
	assert_int_equal(hwims_cancel_requested(c), 0);
	assert_int_equal(hwims_cancel_sleep(c, 1), 0); /* elapses normally */
	assert_int_equal(hwims_cancel_sleep(c, 0), 0);
	hwims_cancel_trigger(c);
	hwims_cancel_trigger(c); /* idempotent */
	assert_int_equal(hwims_cancel_requested(c), 1);
	/* Already cancelled: an hour's sleep returns at once with 1. */
	assert_int_equal(hwims_cancel_sleep(c, 3600 * 1000), 1);
	hwims_cancel_free(c);
	hwims_cancel_free(NULL);
}

static void test_null_token(void **state)
{
	assert_int_equal(hwims_cancel_requested(NULL), 0);
	assert_int_equal(hwims_cancel_sleep(NULL, 1), 0);
	hwims_cancel_trigger(NULL);
}

typedef struct sleeper {
	hwims_cancel *c;
	int result;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started;
} sleeper;

static void *sleeper_main(void *p)
{
	sleeper *s = p;
	pthread_mutex_lock(&s->mu);
	s->started = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	/* A day: the test only ends if the trigger wakes this sleep. */
	s->result = hwims_cancel_sleep(s->c, 24LL * 3600 * 1000);
	return NULL;
}

static void test_trigger_wakes_sleepers(void **state)
{
	hwims_error err;
	sleeper s[3];
	pthread_t t[3];
	hwims_cancel *c;

	assert_int_equal(hwims_cancel_new(&c, &err), 0);
	for (int i = 0; i < 3; i++) {
		s[i] = (sleeper){.c = c, .result = -1};
		pthread_mutex_init(&s[i].mu, NULL);
		pthread_cond_init(&s[i].cv, NULL);
		assert_int_equal(pthread_create(&t[i], NULL, sleeper_main, &s[i]), 0);
		pthread_mutex_lock(&s[i].mu);
		while (!s[i].started)
			pthread_cond_wait(&s[i].cv, &s[i].mu);
		pthread_mutex_unlock(&s[i].mu);
	}
	hwims_cancel_sleep(NULL, 10);
	hwims_cancel_trigger(c);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(s[i].result, 1);
		pthread_cond_destroy(&s[i].cv);
		pthread_mutex_destroy(&s[i].mu);
	}
	hwims_cancel_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_null_token),
	    cmocka_unit_test(test_trigger_wakes_sleepers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
