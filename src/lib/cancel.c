/* cancel.c - cancellation token shared between threads (see include/hwims/cancel.h). */
#include "hwims/cancel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

struct hwims_cancel {
	/* Atomic so hwims_cancel_requested (called from libcurl progress callbacks, often) needs
	   no lock; the mutex/condvar only serve to wake sleepers. */
	atomic_int triggered;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* uses CLOCK_MONOTONIC so wall-clock jumps do not stretch sleeps */
};

int hwims_cancel_new(hwims_cancel **out, hwims_error *err)
{
	pthread_condattr_t attr;
	hwims_cancel *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	atomic_init(&c->triggered, 0);
	if (pthread_mutex_init(&c->mu, NULL) != 0)
		goto fail_mutex;
	if (pthread_condattr_init(&attr) != 0)
		goto fail_cond;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&c->cv, &attr);
	pthread_condattr_destroy(&attr);
	if (rc != 0)
		goto fail_cond;
	*out = c;
	return 0;

fail_cond:
	pthread_mutex_destroy(&c->mu);
fail_mutex:
	free(c);
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot create cancellation token");
}

void hwims_cancel_free(hwims_cancel *c)
{
	if (!c)
		return;
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void hwims_cancel_trigger(hwims_cancel *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	atomic_store(&c->triggered, 1);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

int hwims_cancel_requested(const hwims_cancel *c)
{
	if (!c)
		return 0;
	/* atomic_load takes a non-const pointer in C17; the object itself is not modified. */
	return atomic_load((atomic_int *)&c->triggered) ? 1 : 0;
}

int hwims_cancel_sleep(hwims_cancel *c, int64_t ms)
{
	struct timespec deadline;

	if (hwims_cancel_requested(c))
		return 1;
	if (ms <= 0)
		return 0;
	if (!c) {
		struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->mu);
	while (!atomic_load(&c->triggered)) {
		if (pthread_cond_timedwait(&c->cv, &c->mu, &deadline) == ETIMEDOUT)
			break;
	}
	int cancelled = atomic_load(&c->triggered) ? 1 : 0;
	pthread_mutex_unlock(&c->mu);
	return cancelled;
}
