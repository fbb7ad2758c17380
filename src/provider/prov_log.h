/*
 * prov_log.h - provider logging: hclog JSON lines on stderr.
 *
 * go-plugin (inside terraform/tofu) reads the plugin's stderr line by line; a
 * line that is a JSON object with string "@level", "@message" and "@timestamp"
 * (Go layout 2006-01-02T15:04:05.000000Z07:00) is an hclog entry at that level.
 * Terraform then shows it when TF_LOG_PROVIDER (or TF_LOG) allows it. We check
 * the same variables so nothing is formatted when logging is off.
 */
#ifndef PROV_LOG_H
#define PROV_LOG_H

#include <pthread.h>
#include <stdio.h>

#include "hwims/log.h"

typedef struct prov_log {
	hwims_log_level level; /* lines below it are dropped; HWIMS_LOG_OFF: nothing */
	FILE *out;             /* borrowed, usually stderr */
	pthread_mutex_t mu;    /* one line at a time across worker threads */
	hwims_log bridge;      /* a hwims_log for libhwims that writes through this logger */
} prov_log;

/*
 * Level from the values of TF_LOG_PROVIDER and TF_LOG (either may be NULL), as
 * terraform resolves them: TF_LOG_PROVIDER wins when set; TRACE/DEBUG/INFO/WARN/ERROR
 * (any case) name a level, "JSON" is TRACE, "OFF" or empty is off, anything else
 * is TRACE (terraform's fallback for unknown levels).
 */
hwims_log_level prov_log_level_from_env(const char *tf_log_provider, const char *tf_log);

/* Set up a logger writing to out. prov_log_destroy releases the mutex. */
void prov_log_init(prov_log *log, FILE *out, hwims_log_level level);
void prov_log_destroy(prov_log *log);

/* Emit one line (printf-style). Safe on NULL log. Never pass secrets. */
void prov_logf(prov_log *log, hwims_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Format one hclog JSON line for message at level and time (seconds, microseconds) into a
 * malloc'd NUL-terminated string ending in '\n'. Returns NULL on out of memory. Exposed for
 * tests.
 */
char *prov_log_format_line(hwims_log_level level, const char *message, long long sec, long usec);

#endif
