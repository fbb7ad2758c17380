/* cancel.c - the operation context shared between threads (see include/hwims/cancel.h). */
#include "hwims/cancel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "hwims/duration.h"

struct hwims_cancel {
	/* Atomic so hwims_cancel_requested (called from libcurl progress callbacks, often) needs
	   no lock; the mutex/condvar only serve to wake sleepers and guard the child list. */
	atomic_int triggered;
	atomic_int persistent;
	int64_t deadline_ns;  /* effective (the earlier of its own and the parent's); 0: none.
	                         Immutable after creation. */
	hwims_cancel *parent; /* immutable; NULL for a root token */
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* uses CLOCK_MONOTONIC so wall-clock jumps do not stretch sleeps */
	hwims_cancel *children; /* under mu */
	hwims_cancel *prev, *next; /* siblings, under parent->mu */
};

int64_t hwims_cancel_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * HWIMS_NS_PER_S + ts.tv_nsec;
}

static int token_init(hwims_cancel *c)
{
	pthread_condattr_t attr;
	atomic_init(&c->triggered, 0);
	atomic_init(&c->persistent, 0);
	if (pthread_mutex_init(&c->mu, NULL) != 0)
		return -1;
	if (pthread_condattr_init(&attr) != 0)
		goto fail;
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&c->cv, &attr);
	pthread_condattr_destroy(&attr);
	if (rc == 0)
		return 0;
fail:
	pthread_mutex_destroy(&c->mu);
	return -1;
}

int hwims_cancel_new(hwims_cancel **out, hwims_error *err)
{
	return hwims_cancel_new_child(out, NULL, 0, err);
}

int hwims_cancel_new_child(hwims_cancel **out, hwims_cancel *parent, int64_t deadline_ns,
                           hwims_error *err)
{
	*out = NULL;
	hwims_cancel *c = calloc(1, sizeof(*c));
	if (!c)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	if (token_init(c) != 0) {
		free(c);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot create cancellation token");
	}
	c->deadline_ns = deadline_ns > 0 ? deadline_ns : 0;
	if (parent) {
		c->parent = parent;
		if (parent->deadline_ns &&
		    (!c->deadline_ns || parent->deadline_ns < c->deadline_ns))
			c->deadline_ns = parent->deadline_ns;
		/* Linked under the parent's lock, so a trigger either sees the child or happened
		   before and is copied here. */
		pthread_mutex_lock(&parent->mu);
		if (atomic_load(&parent->triggered))
			atomic_store(&c->triggered, 1);
		c->next = parent->children;
		if (c->next)
			c->next->prev = c;
		parent->children = c;
		pthread_mutex_unlock(&parent->mu);
	}
	*out = c;
	return 0;
}

void hwims_cancel_free(hwims_cancel *c)
{
	if (!c)
		return;
	if (c->parent) {
		pthread_mutex_lock(&c->parent->mu);
		if (c->prev)
			c->prev->next = c->next;
		else
			c->parent->children = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&c->parent->mu);
	}
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void hwims_cancel_trigger(hwims_cancel *c)
{
	if (!c)
		return;
	/* Lock order is parent before child, the same as in new_child and free. */
	pthread_mutex_lock(&c->mu);
	atomic_store(&c->triggered, 1);
	pthread_cond_broadcast(&c->cv);
	for (hwims_cancel *k = c->children; k; k = k->next)
		hwims_cancel_trigger(k);
	pthread_mutex_unlock(&c->mu);
}

static int expired(const hwims_cancel *c)
{
	return c->deadline_ns && hwims_cancel_now_ns() >= c->deadline_ns;
}

int hwims_cancel_requested(const hwims_cancel *c)
{
	if (!c)
		return 0;
	/* atomic_load takes a non-const pointer in C17; the object itself is not modified. */
	return atomic_load((atomic_int *)&c->triggered) || expired(c) ? 1 : 0;
}

int hwims_cancel_timed_out(const hwims_cancel *c)
{
	return c && !atomic_load((atomic_int *)&c->triggered) && expired(c) ? 1 : 0;
}

int64_t hwims_cancel_deadline(const hwims_cancel *c)
{
	return c ? c->deadline_ns : 0;
}

int64_t hwims_cancel_remaining_ms(const hwims_cancel *c)
{
	if (!c || !c->deadline_ns)
		return -1;
	int64_t left = c->deadline_ns - hwims_cancel_now_ns();
	return left <= 0 ? 0 : (left + HWIMS_NS_PER_MS - 1) / HWIMS_NS_PER_MS;
}

void hwims_cancel_set_persistent(hwims_cancel *c, hwims_persist level)
{
	if (c)
		atomic_store(&c->persistent, (int)level);
}

hwims_persist hwims_cancel_persistent(const hwims_cancel *c)
{
	if (!c || !c->deadline_ns)
		return HWIMS_PERSIST_NONE; /* "until the deadline" would never end */
	int level = HWIMS_PERSIST_NONE;
	for (const hwims_cancel *t = c; t; t = t->parent) {
		int l = atomic_load((atomic_int *)&t->persistent);
		if (l > level)
			level = l;
	}
	return (hwims_persist)level;
}

int hwims_cancel_sleep(hwims_cancel *c, int64_t ms)
{
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
	int64_t until = hwims_cancel_now_ns() + ms * HWIMS_NS_PER_MS;
	if (c->deadline_ns && c->deadline_ns < until)
		until = c->deadline_ns;
	struct timespec deadline = {.tv_sec = until / HWIMS_NS_PER_S,
	                            .tv_nsec = (long)(until % HWIMS_NS_PER_S)};
	pthread_mutex_lock(&c->mu);
	while (!atomic_load(&c->triggered)) {
		if (pthread_cond_timedwait(&c->cv, &c->mu, &deadline) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&c->mu);
	return hwims_cancel_requested(c);
}
