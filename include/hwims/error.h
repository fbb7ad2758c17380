/*
 * hwims/error.h - the one error convention of libhwims.
 *
 * Every fallible function returns an int: 0 on success, a negative
 * hwims_code on failure: HWIMS_ERROR (-1) for a failure the caller only
 * reports, or a named code for an expected outcome a caller branches on
 * (HWIMS_ENOTFOUND, HWIMS_ETOOMANY, ...; each function says which it
 * returns). On failure it fills the hwims_error the caller passed in (which
 * may be NULL when the caller does not care why) with the detail. The error
 * lives in caller-owned storage and holds no pointers, so it never needs
 * freeing and can be copied by assignment. No function returns a positive
 * value to mean an outcome.
 */
#ifndef HWIMS_ERROR_H
#define HWIMS_ERROR_H

#include "hwims/export.h"

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a fallible function returns. */
typedef enum hwims_code {
	HWIMS_OK = 0,
	HWIMS_ERROR = -1,      /* failed; err says why (kind, status, API code, message) */
	HWIMS_ENOTFOUND = -2,  /* the object does not exist, or is gone */
	HWIMS_ECONFLICT = -3,  /* the object is in a state that forbids the call */
	HWIMS_ETHROTTLED = -4, /* the service asked to slow down */
	HWIMS_ETOOMANY = -5,   /* refused as one task too many at once: nothing was made, the same
	                          request may be sent again later */
	HWIMS_EBUSY = -6,      /* the object is still being made: try again once it is */
	HWIMS_ENOATTR = -7,    /* a "replace" of an attribute the object does not have */
	HWIMS_ENOMATCH = -8, /* the input is not of the form asked for (e.g. not a copy's origin) */
	HWIMS_ETIMEOUT = -9, /* a deadline passed */
	HWIMS_ECANCELLED = -10 /* the caller cancelled */
} hwims_code;

/* What went wrong, in the terms a caller branches on. */
typedef enum hwims_error_kind {
	HWIMS_ERR_NONE = 0,
	HWIMS_ERR_USAGE,      /* invalid input, caught before any request was sent */
	HWIMS_ERR_INVALID,    /* the service refused the request as invalid (HTTP 400/422) */
	HWIMS_ERR_AUTH,       /* credentials missing, wrong or not allowed (401/403) */
	HWIMS_ERR_NOT_FOUND,  /* the addressed object does not exist (404) */
	HWIMS_ERR_CONFLICT,   /* the object is in a state that forbids the call (409) */
	HWIMS_ERR_THROTTLED,  /* too many requests (429), retries exhausted */
	HWIMS_ERR_SERVER,     /* the service failed (5xx), retries exhausted */
	HWIMS_ERR_NETWORK,    /* no usable answer: connect, TLS, reset, bad response */
	HWIMS_ERR_TIMEOUT,    /* a deadline passed */
	HWIMS_ERR_CANCELLED,  /* the caller cancelled the operation */
	HWIMS_ERR_JOB_FAILED, /* an asynchronous job ended in FAIL */
	HWIMS_ERR_INTERNAL    /* out of memory, or a bug */
} hwims_error_kind;

#define HWIMS_ERROR_CODE_MAX       64
#define HWIMS_ERROR_MESSAGE_MAX    1024
#define HWIMS_ERROR_REQUEST_ID_MAX 128
#define HWIMS_ERROR_ATTRIBUTE_MAX  128

typedef struct hwims_error {
	hwims_error_kind kind;
	int http_status;                             /* 0 when no HTTP answer was involved */
	char code[HWIMS_ERROR_CODE_MAX];             /* the API's error code, e.g. "IMG.0027" */
	char message[HWIMS_ERROR_MESSAGE_MAX];       /* human-readable, never holds secrets */
	char request_id[HWIMS_ERROR_REQUEST_ID_MAX]; /* X-Request-Id of the failing call */
	char attribute[HWIMS_ERROR_ATTRIBUTE_MAX];   /* attribute name for validation errors */
} hwims_error;

/* Reset to "no error". Safe on NULL. */
HWIMS_EXTERN void hwims_error_clear(hwims_error *err);

/*
 * Record an error of the given kind with a printf-style message (truncated to
 * fit). Clears the other fields first. Safe on NULL. Always returns -1 so a
 * caller can write `return hwims_error_set(err, ...);`.
 */
HWIMS_EXTERN int hwims_error_set(hwims_error *err, hwims_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
HWIMS_EXTERN int hwims_error_vset(hwims_error *err, hwims_error_kind kind, const char *fmt,
                                  va_list ap) __attribute__((format(printf, 3, 0)));

/* Like hwims_error_set, and also names the offending attribute. Returns -1. */
HWIMS_EXTERN int hwims_error_set_attr(hwims_error *err, const char *attribute, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Prefix the existing message with context ("while reading image X: ...").
 * Keeps kind, status, code and request ID. Safe on NULL. Returns -1.
 */
HWIMS_EXTERN int hwims_error_prefix(hwims_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Stable lower-case name of a kind ("not_found"); never NULL. */
HWIMS_EXTERN const char *hwims_error_kind_name(hwims_error_kind kind);

/*
 * Map an HTTP status to the kind a caller should see (404 -> NOT_FOUND,
 * 429 -> THROTTLED, ...). 2xx maps to HWIMS_ERR_NONE.
 */
HWIMS_EXTERN hwims_error_kind hwims_error_kind_from_status(int http_status);

#ifdef __cplusplus
}
#endif

#endif
