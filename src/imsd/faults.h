/*
 * faults.h - fault injection for tests: added latency, a rate of 500/503
 * answers, 429 with Retry-After, dropped connections, answers lost after the request took
 * effect, and copy jobs that fail
 * when the new image's name matches a glob. Set from flags at start and
 * changed at run time through /_admin/faults; a mutex guards the settings
 * because every server thread reads them.
 */
#ifndef IMSD_FAULTS_H
#define IMSD_FAULTS_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include <hwims/error.h>

typedef struct imsd_fault_settings {
	int64_t latency_ms;      /* added to every faulted request */
	double error_rate;       /* 0..1: answer 500/503 */
	int error_status;        /* 500, 503, or 0 for a mix of both */
	double throttle_rate;    /* 0..1: answer 429 */
	int retry_after_s;       /* Retry-After of 429 (and 503) answers */
	double drop_rate;        /* 0..1: close the connection without an answer */
	double lost_answer_rate; /* 0..1: handle the request, then close without its answer */
	int64_t budget;          /* how many more requests may be faulted; -1 = no limit */
	char path_pattern[256];  /* glob on the request path; "" = every path */
	char fail_pattern[256];  /* glob on new image names whose copy job fails; "" = none */
	int fail_pattern_set;    /* fail_pattern overrides the seed's */
} imsd_fault_settings;

typedef struct imsd_faults {
	pthread_mutex_t lock;
	imsd_fault_settings s;
	uint64_t rng; /* xorshift state, under lock */
} imsd_faults;

/* What to do with one request. */
typedef enum imsd_fault_action {
	IMSD_FAULT_NONE = 0,
	IMSD_FAULT_ERROR,    /* status in *status */
	IMSD_FAULT_THROTTLE, /* 429 */
	IMSD_FAULT_DROP,
	IMSD_FAULT_LOSE_ANSWER /* handled as usual, but the answer never reaches the client */
} imsd_fault_action;

void imsd_faults_init(imsd_faults *f);
void imsd_faults_destroy(imsd_faults *f);
void imsd_fault_settings_defaults(imsd_fault_settings *s);

/* Replace / read all settings. */
void imsd_faults_set(imsd_faults *f, const imsd_fault_settings *s);
void imsd_faults_get(imsd_faults *f, imsd_fault_settings *out);

/* Apply the members present in obj to *s (others unchanged). Rejects unknown
 * members and out-of-range values with HWIMS_ERR_USAGE. */
int imsd_fault_settings_update(imsd_fault_settings *s, const json_t *obj, hwims_error *err);
/* The settings as a JSON object; caller decrefs. */
json_t *imsd_fault_settings_json(const imsd_fault_settings *s);

/* Decide the fault for a request to path. Fills *latency_ms (may be > 0 with
 * any action), *status for IMSD_FAULT_ERROR and *retry_after_s. */
imsd_fault_action imsd_faults_decide(imsd_faults *f, const char *path, int64_t *latency_ms,
                                     int *status, int *retry_after_s);

/* Copy of the job-failure glob into buf ("" when none set at run time);
 * returns 1 when the run-time setting overrides the seed. */
int imsd_faults_fail_pattern(imsd_faults *f, char *buf, size_t buflen);

#endif
