/*
 * poller.h - the one poller of the workflow (private to libhwims).
 *
 * Every wait of the workflow (a copy job, an image becoming active, an
 * enterprise-project move, a deletion showing, a quota slot after IMG.0060)
 * sleeps through one poller: one deadline (the operation's cancel token's),
 * growing intervals with a cap, jitter so that many waiters do not come back in
 * step, and cancellation that ends a sleep at once.
 */
#ifndef HWIMS_POLLER_H
#define HWIMS_POLLER_H

#include <stdint.h>

#include "hwims/cancel.h"

/* How the intervals of a wait grow: by a factor per step, or (pace > 0) in step with the time
 * the wait has taken, so that an end is seen within that fraction of the whole wait: an interval
 * of pace x elapsed ends at most pace x (the wait's length) after whatever it waited for. */
typedef struct poller_shape {
	int64_t first_ns; /* the first interval, and the shortest one of a paced wait */
	int64_t max_ns;   /* intervals grow up to this */
	double growth;    /* each interval is the previous one times this (1: fixed) */
	double jitter;    /* each sleep is shortened by up to this fraction (0: none) */
	double pace;      /* > 0: each interval is this fraction of the time since poller_init
	                     (growth is not used) */
} poller_shape;

typedef struct poller {
	hwims_cancel *cancel; /* borrowed: its deadline and trigger end every sleep */
	poller_shape shape;
	int64_t start_ns; /* when the wait began (hwims_cancel_now_ns) */
	int64_t next_ns;  /* the interval the next step uses */
	unsigned seed;    /* jitter */
} poller;

/* Start a wait under cancel (may be NULL: no deadline, no cancellation), whose intervals follow
   shape (copied). seed makes the jitter of concurrent waits differ. */
void poller_init(poller *p, hwims_cancel *cancel, const poller_shape *shape, unsigned seed);

/* The interval of this step, before jitter: for a paced wait shape.pace x the time since
   poller_init, from shape.first_ns to shape.max_ns; else the previous one grown by shape.growth
   up to shape.max_ns. */
int64_t poller_interval(poller *p);

/* ns shortened by a random fraction of up to shape.jitter. */
int64_t poller_jitter(poller *p, int64_t ns);

/* The next sleep of a plain wait: poller_jitter(p, poller_interval(p)). */
int64_t poller_next(poller *p);

/* Nanoseconds left until the deadline (<= 0 once passed), or INT64_MAX without one. */
int64_t poller_left(const poller *p);

/* Sleep ns (cut at the deadline). 0 when the wait may go on; HWIMS_ETIMEOUT when the deadline
   has come; HWIMS_ECANCELLED when the token was triggered (also when already so on entry). */
int poller_sleep(poller *p, int64_t ns);

#endif
