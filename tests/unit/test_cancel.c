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

static void test_child_follows_parent(void **state)
{
	hwims_cancel *parent, *a, *b, *grand;
	hwims_error err;

	assert_int_equal(hwims_cancel_new(&parent, &err), 0);
	assert_int_equal(hwims_cancel_new_child(&a, parent, 0, &err), 0);
	assert_int_equal(hwims_cancel_new_child(&b, parent, 0, &err), 0);
	assert_int_equal(hwims_cancel_new_child(&grand, a, 0, &err), 0);
	assert_int_equal(hwims_cancel_deadline(a), 0);
	assert_int_equal(hwims_cancel_remaining_ms(a), -1);
	/* A child's own trigger does not reach its parent or siblings. */
	hwims_cancel_trigger(b);
	assert_int_equal(hwims_cancel_requested(parent), 0);
	assert_int_equal(hwims_cancel_requested(a), 0);
	hwims_cancel_free(b);
	/* The parent's reaches every descendant, and is not a timeout. */
	hwims_cancel_trigger(parent);
	assert_int_equal(hwims_cancel_requested(a), 1);
	assert_int_equal(hwims_cancel_requested(grand), 1);
	assert_int_equal(hwims_cancel_timed_out(grand), 0);
	assert_int_equal(hwims_cancel_sleep(grand, 3600 * 1000), 1);
	/* Born of a triggered parent: triggered. */
	assert_int_equal(hwims_cancel_new_child(&b, parent, 0, &err), 0);
	assert_int_equal(hwims_cancel_requested(b), 1);
	hwims_cancel_free(b);
	hwims_cancel_free(grand);
	hwims_cancel_free(a);
	hwims_cancel_free(parent);
}

static void test_deadline(void **state)
{
	hwims_cancel *parent, *op, *inner;
	hwims_error err;

	assert_int_equal(hwims_cancel_new(&parent, &err), 0);
	int64_t soon = hwims_cancel_now_ns() + 100 * 1000000LL;
	assert_int_equal(hwims_cancel_new_child(&op, parent, soon, &err), 0);
	/* A later deadline of a child is cut to its parent's. */
	assert_int_equal(hwims_cancel_new_child(&inner, op, soon + 3600 * 1000000000LL, &err), 0);
	assert_int_equal(hwims_cancel_deadline(inner), soon);
	assert_true(hwims_cancel_remaining_ms(inner) > 0);
	assert_int_equal(hwims_cancel_requested(inner), 0);
	assert_int_equal(hwims_cancel_persistent(inner), 0);
	hwims_cancel_set_persistent(op, 1);
	assert_int_equal(hwims_cancel_persistent(inner), 1);  /* inherited */
	assert_int_equal(hwims_cancel_persistent(parent), 0); /* no deadline: never */
	/* An hour's sleep ends at the deadline, reported as a timeout, not a cancel. */
	assert_int_equal(hwims_cancel_sleep(inner, 3600 * 1000), 1);
	assert_true(hwims_cancel_now_ns() >= soon);
	assert_int_equal(hwims_cancel_requested(op), 1);
	assert_int_equal(hwims_cancel_timed_out(op), 1);
	assert_int_equal(hwims_cancel_timed_out(inner), 1);
	assert_int_equal(hwims_cancel_remaining_ms(op), 0);
	assert_int_equal(hwims_cancel_requested(parent), 0);
	assert_int_equal(hwims_cancel_timed_out(NULL), 0);
	hwims_cancel_free(inner);
	hwims_cancel_free(op);
	hwims_cancel_free(parent);
}

static void *trigger_later(void *p)
{
	hwims_cancel_sleep(NULL, 30);
	hwims_cancel_trigger(p);
	return NULL;
}

static void test_parent_trigger_wakes_child_sleeper(void **state)
{
	hwims_cancel *parent, *child;
	hwims_error err;
	pthread_t t;

	assert_int_equal(hwims_cancel_new(&parent, &err), 0);
	assert_int_equal(hwims_cancel_new_child(&child, parent, 0, &err), 0);
	pthread_create(&t, NULL, trigger_later, parent);
	assert_int_equal(hwims_cancel_sleep(child, 3600 * 1000), 1);
	assert_int_equal(hwims_cancel_timed_out(child), 0);
	pthread_join(t, NULL);
	hwims_cancel_free(child);
	hwims_cancel_free(parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_null_token),
	    cmocka_unit_test(test_trigger_wakes_sleepers),
	    cmocka_unit_test(test_child_follows_parent),
	    cmocka_unit_test(test_deadline),
	    cmocka_unit_test(test_parent_trigger_wakes_child_sleeper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
