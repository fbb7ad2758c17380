/*
 * hwims/log.h - logging without globals.
 *
 * Whoever wants log output builds a hwims_log (a callback, its userdata and a
 * minimum level) and passes a pointer to it to the components that log. A
 * NULL hwims_log * means "no logging". The library never logs secrets: lines
 * that may carry request data go through hwims_redact first.
 */
#ifndef HWIMS_LOG_H
#define HWIMS_LOG_H

#include "hwims/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hwims_log_level {
	HWIMS_LOG_TRACE,
	HWIMS_LOG_DEBUG,
	HWIMS_LOG_INFO,
	HWIMS_LOG_WARN,
	HWIMS_LOG_ERROR,
	HWIMS_LOG_OFF
} hwims_log_level;

/*
 * Receives one formatted line (no trailing newline). `message` is borrowed for
 * the duration of the call. May be called from several threads at once when
 * the hwims_log is shared (e.g. by a hwims_http used from several threads).
 */
typedef void (*hwims_log_fn)(void *userdata, hwims_log_level level, const char *message);

typedef struct hwims_log {
	hwims_log_fn fn;           /* NULL: logging disabled */
	void *userdata;            /* passed to fn, borrowed */
	hwims_log_level min_level; /* lines below this level are dropped */
} hwims_log;

/* Format and emit a line if log != NULL, log->fn != NULL and level >= min_level. Every line
   passes through hwims_redact before it reaches fn, as a second line of defence. */
HWIMS_EXTERN void hwims_log_printf(const hwims_log *log, hwims_log_level level, const char *fmt,
                                   ...) __attribute__((format(printf, 3, 4)));

/* 1 if a line at `level` would be emitted (lets callers skip expensive formatting). */
HWIMS_EXTERN int hwims_log_enabled(const hwims_log *log, hwims_log_level level);

/* Stable upper-case name of a level ("DEBUG"); never NULL. */
HWIMS_EXTERN const char *hwims_log_level_name(hwims_log_level level);

/*
 * Returns a copy of text with secrets masked by "***":
 *  - Authorization headers: the Signature= value (and the whole value of
 *    non-SDK schemes such as "Bearer x");
 *  - Access= keys (and "access_key" JSON values) beyond their first 4 chars;
 *  - X-Security-Token / X-Auth-Token header values;
 *  - JSON string values of "secret_key", "security_token", "password",
 *    "token", "signature" (and access_key as above);
 *  - query/form values of sk=, token=, security_token=, signature=, secret_key=.
 * Returns NULL for NULL text or on out of memory. Caller frees with free().
 */
HWIMS_EXTERN char *hwims_redact(const char *text);

#ifdef __cplusplus
}
#endif

#endif
