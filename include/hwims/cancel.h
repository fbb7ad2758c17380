/*
 * hwims/cancel.h - the context of one operation, shared between threads:
 * cancellation, an optional deadline, and the retry budget the transport uses.
 *
 * One thread (e.g. the gRPC StopProvider handler or a signal watcher) calls
 * hwims_cancel_trigger; the threads doing work notice it through
 * hwims_cancel_requested, or are woken early from hwims_cancel_sleep. The
 * HTTP transport also checks it during transfers. Once triggered a token
 * stays triggered.
 *
 * A child token (hwims_cancel_new_child) is how one operation bounds
 * everything it does: it is triggered when its parent is, and it also counts
 * as requested once its deadline has passed. The transport cuts a transfer,
 * a connect and a backoff at the deadline and reports HWIMS_ERR_TIMEOUT then
 * (hwims_cancel_timed_out tells the two apart). A token marked persistent
 * (hwims_cancel_set_persistent) makes the transport retry until the deadline
 * instead of a fixed number of times: the workflow rides out a busy service
 * (429, 503) for a whole operation, and, once a copy job was accepted, every
 * retryable failure, because from then on giving up early would cost a copy.
 *
 * All functions are thread-safe. A token must outlive every thread using it,
 * and a parent must outlive its children.
 */
#ifndef HWIMS_CANCEL_H
#define HWIMS_CANCEL_H

#include "hwims/export.h"

#include <stdint.h>

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_cancel hwims_cancel;

/* Create an untriggered token without deadline. Caller frees with hwims_cancel_free. */
HWIMS_EXTERN int hwims_cancel_new(hwims_cancel **out, hwims_error *err);

/*
 * Create a token that is triggered when parent is (parent may be NULL; a triggered parent
 * gives a triggered child) and that expires at deadline_ns, a CLOCK_MONOTONIC time in
 * nanoseconds (hwims_cancel_now_ns; 0: no deadline of its own). The child inherits the
 * parent's deadline when that comes first, and its persistence. Caller frees with
 * hwims_cancel_free before freeing parent.
 */
HWIMS_EXTERN int hwims_cancel_new_child(hwims_cancel **out, hwims_cancel *parent,
                                        int64_t deadline_ns, hwims_error *err);

/* Free a token no thread uses any more (a child unlinks itself from its parent). Safe on NULL.
 */
HWIMS_EXTERN void hwims_cancel_free(hwims_cancel *c);

/* Trigger the token and its children and wake all sleepers. Idempotent; callable from any
   thread (not from a signal handler: it takes a mutex). Safe on NULL (no-op). */
HWIMS_EXTERN void hwims_cancel_trigger(hwims_cancel *c);

/* 1 if triggered or past its deadline, else 0. c may be NULL (never cancelled). */
HWIMS_EXTERN int hwims_cancel_requested(const hwims_cancel *c);

/* 1 if the deadline has passed and the token was not triggered, else 0 (also for NULL). */
HWIMS_EXTERN int hwims_cancel_timed_out(const hwims_cancel *c);

/* The deadline (CLOCK_MONOTONIC ns), or 0 when there is none (also for NULL). */
HWIMS_EXTERN int64_t hwims_cancel_deadline(const hwims_cancel *c);

/* Milliseconds left until the deadline, rounded up (0 once passed), or -1 when there is no
   deadline (also for NULL). */
HWIMS_EXTERN int64_t hwims_cancel_remaining_ms(const hwims_cancel *c);

/* How the transport spends its retries under a token with a deadline. */
typedef enum hwims_persist {
	HWIMS_PERSIST_NONE = 0, /* max_retries retries, as configured */
	HWIMS_PERSIST_BUSY,     /* 429 and 503 (the service did nothing: it was busy) are retried
	                           until the deadline; everything else max_retries times */
	HWIMS_PERSIST_ALL       /* everything retryable is retried until the deadline */
} hwims_persist;

/* Set how persistent the transport is under c (and its children). Only meaningful on a token
   with a deadline. */
HWIMS_EXTERN void hwims_cancel_set_persistent(hwims_cancel *c, hwims_persist level);

/* The highest level set on c or one of its ancestors when c has a deadline, else
   HWIMS_PERSIST_NONE (also for NULL). */
HWIMS_EXTERN hwims_persist hwims_cancel_persistent(const hwims_cancel *c);

/* Sleep up to ms milliseconds; returns early with 1 if cancelled or the deadline passed
   (before or during), else 0. ms <= 0 does not sleep. c may be NULL (plain sleep). */
HWIMS_EXTERN int hwims_cancel_sleep(hwims_cancel *c, int64_t ms);

/* The CLOCK_MONOTONIC time in nanoseconds, the clock deadlines are given in. */
HWIMS_EXTERN int64_t hwims_cancel_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif
