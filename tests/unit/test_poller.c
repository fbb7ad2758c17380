/* The workflow's one poller (src/lib/poller.c): interval growth and cap, jitter bounds, the
 * deadline and cancellation ending a wait. No timing is asserted: only outcomes and bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hwims/cancel.h"
#include "hwims/duration.h"
#include "poller.h"

static const poller_shape growing = {1000, 3000, 1.5, 0, 0};

static void intervals_grow_up_to_the_cap(void **state)
{
	(void)state;
	poller p;
	poller_init(&p, NULL, &growing, 1);
	assert_int_equal(poller_interval(&p), 1000);
	assert_int_equal(poller_interval(&p), 1500);
	assert_int_equal(poller_interval(&p), 2250);
	assert_int_equal(poller_interval(&p), 3000);
	assert_int_equal(poller_interval(&p), 3000);
	/* no jitter asked: the plain wait sleeps the interval itself */
	assert_int_equal(poller_next(&p), 3000);
}

static void fixed_intervals_stay_fixed(void **state)
{
	(void)state;
	static const poller_shape fixed = {2000, 2000, 1, 0, 0};
	poller p;
	poller_init(&p, NULL, &fixed, 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(poller_next(&p), 2000);
}

static void jitter_only_shortens_and_within_its_fraction(void **state)
{
	(void)state;
	static const poller_shape shaky = {1000000, 1000000, 1, 0.25, 0};
	poller p;
	poller_init(&p, NULL, &shaky, 42);
	int64_t lowest = INT64_MAX;
	for (int i = 0; i < 1000; i++) {
		int64_t d = poller_next(&p);
		assert_true(d <= 1000000);
		assert_true(d >= 750000);
		if (d < lowest)
			lowest = d;
	}
	assert_true(lowest < 1000000); /* it does vary */
}

/* A paced wait's interval is its fraction of the time waited, between first_ns and max_ns. The
 * wait's start is moved back instead of sleeping. */
static void paced_intervals_follow_the_time_waited(void **state)
{
	(void)state;
	static const poller_shape paced = {HWIMS_NS_PER_S, 10 * HWIMS_NS_PER_S, 1, 0, 0.1};
	poller p;
	poller_init(&p, NULL, &paced, 1);
	assert_int_equal(poller_interval(&p), HWIMS_NS_PER_S); /* 10% of ~0 s is below the floor */
	p.start_ns -= 50 * HWIMS_NS_PER_S;
	int64_t d = poller_interval(&p);
	assert_true(d >= 5 * HWIMS_NS_PER_S && d < 5 * HWIMS_NS_PER_S + HWIMS_NS_PER_S / 10);
	int64_t again = poller_interval(&p); /* the same time waited: no growth per step */
	assert_true(again >= d && again < d + HWIMS_NS_PER_S / 10);
	p.start_ns -= 1000 * HWIMS_NS_PER_S;
	assert_int_equal(poller_interval(&p), 10 * HWIMS_NS_PER_S);
}

static void no_token_means_no_deadline(void **state)
{
	(void)state;
	poller p;
	poller_init(&p, NULL, &growing, 1);
	assert_true(poller_left(&p) == INT64_MAX);
	assert_int_equal(poller_sleep(&p, 0), 0);
}

static void a_passed_deadline_ends_the_wait(void **state)
{
	(void)state;
	hwims_cancel *t = NULL;
	/* a deadline already behind us */
	assert_int_equal(hwims_cancel_new_child(&t, NULL, hwims_cancel_now_ns() - 1, NULL), 0);
	poller p;
	poller_init(&p, t, &growing, 1);
	assert_true(poller_left(&p) <= 0);
	assert_int_equal(poller_sleep(&p, 10 * HWIMS_NS_PER_S), HWIMS_ETIMEOUT);
	hwims_cancel_free(t);
}

static void a_sleep_is_cut_at_the_deadline(void **state)
{
	(void)state;
	hwims_cancel *t = NULL;
	int64_t deadline = hwims_cancel_now_ns() + 20 * HWIMS_NS_PER_MS;
	assert_int_equal(hwims_cancel_new_child(&t, NULL, deadline, NULL), 0);
	poller p;
	poller_init(&p, t, &growing, 1);
	/* an hour asked: the deadline ends it, and says so */
	assert_int_equal(poller_sleep(&p, 3600 * HWIMS_NS_PER_S), HWIMS_ETIMEOUT);
	assert_true(hwims_cancel_now_ns() >= deadline);
	hwims_cancel_free(t);
}

static void a_cancel_ends_the_wait_as_a_cancel(void **state)
{
	(void)state;
	hwims_cancel *t = NULL;
	assert_int_equal(
	    hwims_cancel_new_child(&t, NULL, hwims_cancel_now_ns() + 3600 * HWIMS_NS_PER_S, NULL),
	    0);
	poller p;
	poller_init(&p, t, &growing, 1);
	assert_int_equal(poller_sleep(&p, 0), 0);
	hwims_cancel_trigger(t);
	assert_int_equal(poller_sleep(&p, 3600 * HWIMS_NS_PER_S), HWIMS_ECANCELLED);
	hwims_cancel_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(intervals_grow_up_to_the_cap),
	    cmocka_unit_test(fixed_intervals_stay_fixed),
	    cmocka_unit_test(paced_intervals_follow_the_time_waited),
	    cmocka_unit_test(jitter_only_shortens_and_within_its_fraction),
	    cmocka_unit_test(no_token_means_no_deadline),
	    cmocka_unit_test(a_passed_deadline_ends_the_wait),
	    cmocka_unit_test(a_sleep_is_cut_at_the_deadline),
	    cmocka_unit_test(a_cancel_ends_the_wait_as_a_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
