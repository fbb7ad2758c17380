/*
 * hwims/client.h - a connection to Huawei Cloud (or imsd) for the workflow.
 *
 * A hwims_client bundles a copy of the configuration, one HTTP transport
 * (hwims/http.h) shared by every call, and a per-region cache of project IDs
 * that the IAM calls fill (the client itself sends no IAM request).
 *
 * Thread safety: after hwims_client_new, every function here and every
 * workflow call (hwims/image_copy.h) may be used from several threads at once
 * on the same client; the project-ID cache is protected by a mutex.
 */
#ifndef HWIMS_CLIENT_H
#define HWIMS_CLIENT_H

#include "hwims/export.h"

#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/config.h"
#include "hwims/error.h"
#include "hwims/log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_client hwims_client;

/* Transport tuning; zero means the transport's default (10 s connect, 60 s per attempt,
   backoff from 500 ms up to 30 s). */
typedef struct hwims_client_options {
	const hwims_log *log;       /* borrowed, may be NULL; must outlive the client */
	const char *user_agent;     /* copied; NULL for the default */
	int64_t connect_timeout_ms; /* per attempt */
	int64_t request_timeout_ms; /* per attempt */
	int64_t backoff_base_ms;    /* tests use small values */
	int64_t backoff_max_ms;
} hwims_client_options;

/*
 * Create a client from a loaded configuration (copied: cfg may be freed
 * afterwards). opts may be NULL. Sends nothing. The calls are signed with, as the official
 * provider picks them: temporary keys for cfg's agency (assume_agency_name) obtained from IAM
 * with cfg's keys; else cfg's keys (with security_token for temporary ones); else, with no key
 * at all, temporary keys from the ECS metadata service (cfg->metadata_url). Temporary keys are
 * renewed before they expire, while the calls of other threads go on. HWIMS_ERR_USAGE for half
 * a key pair, or an agency with no keys (or no account) to assume it with. Caller frees *out
 * with hwims_client_free.
 */
HWIMS_EXTERN int hwims_client_new(hwims_client **out, const hwims_config *cfg,
                                  const hwims_client_options *opts, hwims_error *err);

/* Free a client no thread uses any more. Safe on NULL. */
HWIMS_EXTERN void hwims_client_free(hwims_client *c);

/* The client's configuration (borrowed, valid for the client's life). */
HWIMS_EXTERN const hwims_config *hwims_client_config(const hwims_client *c);

/* The configured default region (borrowed), or NULL when none is configured. */
HWIMS_EXTERN const char *hwims_client_region(const hwims_client *c);

/* The log given at creation (borrowed, may be NULL). */
HWIMS_EXTERN const hwims_log *hwims_client_log(const hwims_client *c);

/* How many HTTP attempts this client has made so far (all threads), for benchmarks and
   diagnostics. */
HWIMS_EXTERN uint64_t hwims_client_calls(const hwims_client *c);

/* How many sets of temporary credentials this client has fetched so far (from IAM for an
   agency, or from the ECS metadata service; 0 for static keys), for diagnostics. */
HWIMS_EXTERN uint64_t hwims_client_credential_fetches(const hwims_client *c);

#ifdef __cplusplus
}
#endif

#endif
