/*
 * itest.h - helpers of the imsd integration tests: start imsd, send signed
 * requests through libhwims, send raw (unsigned or hand-signed) ones with
 * libcurl, and read JSON answers.
 */
#ifndef IMSD_ITEST_H
#define IMSD_ITEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
#include <jansson.h>

#include <hwims/http.h>

#include "hwims_test.h"

#define DEMO_AK    "HWIMSDEMOACCESSKEY01"
#define DEMO_SK    "hwimsDemoSecretKey0123456789abcdefghijklm"
#define NORTH4     "cn-north-4"
#define SOUTH1     "cn-south-1"
#define NORTH4_PID "0a4c7e2f9b1d4e6f8a3c5e7f9b1d3e5f"
#define SOUTH1_PID "1b5d8f3a0c2e4f7a9b4d6f8a0c2e4f6a"
#define IMG_UBUNTU "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
#define IMG_DATA   "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02"
#define IMG_FULL   "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c03"
#define IMG_ENC    "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c04"
#define IMG_ISO    "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c05"
#define IMG_PUBLIC "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06"
#define IMG_LARGE  "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07"
#define IMG_DEBIAN "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c11"

typedef struct itest {
	hwims_test_imsd d;
	hwims_http *http;
} itest;

/* The answer of one call: status (0 when no answer), body, parsed JSON (NULL if none). */
typedef struct itest_reply {
	int status;
	char *body;
	json_t *json;
	char retry_after[32];
	char request_id[128];
} itest_reply;

/* Start imsd (time_scale, extra args NULL-terminated or NULL) with a fresh
 * data dir, or data_dir when given. 0 on success. */
int itest_start(itest *t, const char *data_dir, double time_scale, const char *const *extra);
/* Stop imsd; keep_data keeps the data dir for a restart. Returns exit status. */
int itest_stop(itest *t, int keep_data);

/* cmocka group setup: a freshly allocated itest, imsd started at time scale 100, in *state.
 * Returns -1 (nothing left allocated) when imsd does not start. */
int itest_group_setup(void **state);
/* The same, with imsd's admin endpoint (/_admin/faults) on. */
int itest_group_setup_admin(void **state);
/* cmocka group teardown for either setup: stop imsd, free the itest. Returns 0. */
int itest_group_teardown(void **state);

/* Signed call through libhwims (no retries). path is appended to the base URL
 * ("/cn-north-4/v2/cloudimages?id=..."). body may be NULL. */
itest_reply itest_call(itest *t, const char *method, const char *path, const char *body);
/* Raw call through libcurl: headers as "Name: value" strings (NULL-terminated, may be NULL),
 * nothing added but what curl adds itself. */
itest_reply itest_raw(itest *t, const char *method, const char *path, const char *const *headers,
                      const char *body, size_t body_len);
void itest_reply_free(itest_reply *r);

/* Members of a JSON reply. */
const char *itest_str(json_t *obj, const char *path_dot_separated);
/* The IMS error code of a reply ({"error":{"code"}} or {"error_code"}); "" if none. */
const char *itest_error_code(const itest_reply *r);

/* Poll the job until SUCCESS/FAIL (or ~60 s); returns the final job JSON
 * (caller decrefs) or NULL. */
json_t *itest_wait_job(itest *t, const char *region, const char *project_id, const char *job_id);

/* Submit an in-region copy of src named name; returns the job ID (caller frees) or NULL. */
char *itest_copy(itest *t, const char *region, const char *src, const char *name);

#endif
