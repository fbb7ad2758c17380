/*
 * hwims/cancel.h - a cancellation token shared between threads.
 *
 * One thread (e.g. the gRPC StopProvider handler or a signal watcher) calls
 * hwims_cancel_trigger; the threads doing work notice it through
 * hwims_cancel_requested, or are woken early from hwims_cancel_sleep. The
 * HTTP transport also checks it during transfers. Once triggered a token
 * stays triggered. All functions are thread-safe; the token must outlive
 * every thread using it.
 */
#ifndef HWIMS_CANCEL_H
#define HWIMS_CANCEL_H

#include <stdint.h>

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_cancel hwims_cancel;

/* Create an untriggered token. Caller frees with hwims_cancel_free. */
int hwims_cancel_new(hwims_cancel **out, hwims_error *err);

/* Free a token no thread uses any more. Safe on NULL. */
void hwims_cancel_free(hwims_cancel *c);

/* Trigger the token and wake all sleepers. Idempotent; callable from any thread (not from a
   signal handler: it takes a mutex). Safe on NULL (no-op). */
void hwims_cancel_trigger(hwims_cancel *c);

/* 1 if triggered, else 0. c may be NULL (never cancelled). */
int hwims_cancel_requested(const hwims_cancel *c);

/* Sleep up to ms milliseconds; returns early with 1 if cancelled (before or during), else 0.
   ms <= 0 does not sleep. c may be NULL (plain sleep). */
int hwims_cancel_sleep(hwims_cancel *c, int64_t ms);

#ifdef __cplusplus
}
#endif

#endif
