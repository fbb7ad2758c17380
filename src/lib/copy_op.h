/*
 * copy_op.h - what the copy operations share (private to libhwims).
 *
 * Each public operation of hwims/image_copy.h lives in its own file (copy_create.c,
 * copy_read.c, copy_update.c, copy_delete.c, copy_import.c, with the waits in copy_wait.c and
 * the resumption of killed creates in copy_resume.c). An operation starts a copy_op once:
 * its deadline and cancel token, its progress, the regions it works in and their project IDs
 * (resolved on first use, then carried down), and ends it with copy_op_done.
 */
#ifndef HWIMS_COPY_OP_H
#define HWIMS_COPY_OP_H

#include <jansson.h>
#include <stdint.h>

#include "base.h"
#include "hwims/duration.h"
#include "hwims/image_copy.h"
#include "journal.h"
#include "poller.h"

/* Default bound of each operation when its option is 0. */
#define COPY_DEFAULT_CREATE_TIMEOUT_NS (60 * 60 * HWIMS_NS_PER_S)
/* an update may wait for an enterprise-project move: 20 minutes, as the Go provider */
#define COPY_DEFAULT_UPDATE_TIMEOUT_NS (20 * 60 * HWIMS_NS_PER_S)
#define COPY_DEFAULT_DELETE_TIMEOUT_NS (3 * 60 * HWIMS_NS_PER_S)
#define COPY_DEFAULT_READ_TIMEOUT_NS   (5 * 60 * HWIMS_NS_PER_S)
/* The job wait's longest interval (the most a job's end may go unseen), its shortest paced
 * one, and the shortest sleep a progress-based prediction may use. */
#define COPY_POLL_MAX_NS     (10 * HWIMS_NS_PER_S)
#define COPY_POLL_PACED_NS   (1 * HWIMS_NS_PER_S)
#define COPY_POLL_PREDICT_NS (100 * HWIMS_NS_PER_MS)
/* How far the service's clock may be behind ours when telling a copy made by an unanswered
 * request from an older image of the same name: the gateway accepts signatures that far off. */
#define COPY_CLOCK_SKEW_S (15 * 60)
/* The longest a copy request can take to reach IMS: every attempt of a create happens within
 * its deadline, and a request is cut at its timeout (60 s by default); 5 min is generous. */
#define COPY_REQUEST_IN_FLIGHT_MAX_S (5 * 60)
/* Room for an image status ("saving", "active", ...) shown in progress. */
#define COPY_STATUS_MAX 32

typedef struct copy_op {
	hwims_client *c;
	const hwims_copy_options *o; /* never NULL: defaults when the caller gave none */
	/* The operation's own token: a child of the caller's, expiring at the operation's
	 * deadline, so every request, retry and backoff of the operation fits inside it. */
	hwims_cancel *cancel;
	int64_t timeout_ns;
	int64_t start_ns;
	hwims_progress p;
	unsigned seed;                    /* jitter */
	char status_buf[COPY_STATUS_MAX]; /* p.image_status points here */
	const char *src;                  /* region of the source image (borrowed) */
	const char *home;                 /* region the copy lives in (borrowed) */
	char *src_pid, *home_pid;         /* their project IDs, once resolved */
} copy_op;

static inline int copy_is_set(const char *s)
{
	return s && *s;
}

/* The source region of spec (or the client's), NULL when neither is known. */
const char *copy_source_region(hwims_client *c, const hwims_copy_spec *spec);

/* The region a copy lives in: the target region across regions, else the source region. */
const char *copy_home_region(hwims_client *c, const hwims_copy_spec *spec);

/* Transient failures that a wait rides out: the transport already retried them. */
int copy_transient(const hwims_error *e);

/* Replace *dst with a copy of src unless equal (NULL src: no change). 0, or -1 out of memory. */
int copy_set_owned(char **dst, const char *src);

/* Start an operation on c in src/home (borrowed; either may be NULL when not used) bounded by
 * timeout_ns (the option's value; default_ns when it is 0). Returns 0, or -1 with err (out of
 * memory). Pair with copy_op_done, also after a failure. */
int copy_op_init(copy_op *op, hwims_client *c, const hwims_copy_options *o, const char *src,
                 const char *home, int64_t timeout_ns, int64_t default_ns, hwims_error *err);
void copy_op_done(copy_op *op);

/* The project ID of op->src / op->home (borrowed from op), resolved through IAM or the cache
   once per operation, under cancel (op->cancel, or NULL for a last look after the operation was
   cancelled). NULL with err when it cannot be had. */
const char *copy_src_pid(copy_op *op, hwims_cancel *cancel, hwims_error *err);
const char *copy_home_pid(copy_op *op, hwims_cancel *cancel, hwims_error *err);

/* Tell the progress callback (if any) that the operation is in phase. */
void copy_report(copy_op *op, hwims_phase phase);

/* Read image_id where the copy lives (op->home), with its tags: 0 with *out, HWIMS_ENOTFOUND
 * (err says so) or -1 with err. */
int copy_read_image(copy_op *op, const char *image_id, hwims_image **out, hwims_error *err);

/* PATCH image_id (in op->home) with ops (borrowed; its "op" members may be rewritten). An op
 * "replace" of an attribute the image lacks fails (HWIMS_ENOATTR); the ops are then sent once
 * more as "add", as the Go provider does. */
int copy_patch(copy_op *op, const char *image_id, json_t *ops, hwims_error *err);

/* Append to ops (borrowed) the PATCH ops that set the RAM bounds asked for (set_min/set_max to
 * n_min/n_max), in an order in which no step passes through min > max from the bounds the
 * image has now (o_min/o_max, 0 for none): lowering sets min first, raising sets max first.
 * Both final bounds are valid, so one of the two orders always is. 0, or -1 out of memory. */
int copy_ram_ops(json_t *ops, int64_t o_min, int64_t o_max, int set_min, int64_t n_min, int set_max,
                 int64_t n_max);

/* Find the copy by name among the images of op->home that come from spec's source image (see
 * copy_wait.c for what counts), setting res->image_id only on an unambiguous match. */
void copy_find_by_name(copy_op *op, const hwims_copy_spec *spec, hwims_cancel *cancel,
                       time_t made_after, time_t made_before, hwims_copy_result *res);

/* Wait for the accepted job res->job_id: 0 on SUCCESS (res->image_id set), -1 with err on FAIL,
 * timeout or cancellation (res holds what is known). */
int copy_wait_job(copy_op *op, const hwims_copy_spec *spec, hwims_copy_result *res,
                  hwims_error *err);

/* Wait for a copy found without its job by watching image_id: 0 once active, -1 with err. */
int copy_wait_image(copy_op *op, const char *image_id, hwims_error *err);

/* Claim and resume the records interrupted creates of this copy left (journal key key): 1
 * resumed (res names the job or the image; *entry the record), 0 nothing to resume, -1 with
 * err. */
int copy_resume_any(copy_op *op, const hwims_copy_spec *spec, const char *key,
                    journal_entry **entry, hwims_copy_result *res, hwims_error *err);

#endif
