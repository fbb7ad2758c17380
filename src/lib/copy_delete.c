/* copy_delete.c - hwims_image_copy_delete: delete (waiting for a copy still being made) and wait
 * until queries no longer return the image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"
#include "copy_op.h"
#include "hwims/duration.h"
#include "hwims/log.h"

/* A deletion, or a copy still being made before it can be deleted: 1 s growing to 3 s. */
static const poller_shape delete_poll = {1 * HWIMS_NS_PER_S, 3 * HWIMS_NS_PER_S, 1.5, 0, 0};

/* HWIMS_ERR_CANCELLED for a wait on image_id that a cancel ended. */
static int cancelled(const char *image_id, hwims_error *err)
{
	return hwims_error_set(err, HWIMS_ERR_CANCELLED,
	                       "cancelled while waiting for image %s to be deleted", image_id);
}

/* The error of a wait on image_id that the poller ended (stop): before the DELETE went through
 * (deleted 0: the copy was still being made) or after it. */
static int wait_ended(copy_op *op, int stop, const char *image_id, int deleted, hwims_error *err)
{
	if (stop == HWIMS_ECANCELLED)
		return cancelled(image_id, err);
	char t[HWIMS_DURATION_TEXT_MAX];
	hwims_duration_format(op->timeout_ns, t, sizeof(t));
	if (!deleted)
		return hwims_error_set(err, HWIMS_ERR_TIMEOUT,
		                       "image %s in %s was still being created when the delete "
		                       "timeout of %s ran out: it was not deleted",
		                       image_id, op->home, t);
	return hwims_error_set(err, HWIMS_ERR_TIMEOUT,
	                       "image %s is still listed in %s %s after it was deleted", image_id,
	                       op->home, t);
}

/* Send the DELETE; while IMS refuses it because the copy job still runs (a destroy right after
 * an interrupted create: IMS deletes the image only once it is made), wait and send it again
 * within the timeout. 0 once deleted, HWIMS_ENOTFOUND when it went away in between. */
static int delete_when_made(copy_op *op, const char *pid, const char *image_id, hwims_error *err)
{
	poller poll;
	poller_init(&poll, op->cancel, &delete_poll, op->seed);
	for (;;) {
		int del = api_image_delete(op->c, op->home, pid, image_id, op->cancel, err);
		if (del == 0 || del == HWIMS_ENOTFOUND)
			return del;
		if (del != HWIMS_EBUSY)
			return hwims_error_prefix(err, "deleting image %s", image_id);
		op->p.polls++;
		snprintf(op->status_buf, sizeof(op->status_buf), "being created");
		op->p.image_status = op->status_buf;
		copy_report(op, HWIMS_PHASE_DELETE);
		hwims_log_printf(hwims_client_log(op->c), HWIMS_LOG_INFO,
		                 "image %s is still being created (%s): waiting to delete it",
		                 image_id, err->code);
		int stop = poller_sleep(&poll, poller_next(&poll));
		if (stop)
			return wait_ended(op, stop, image_id, 0, err);
	}
}

/* Wait until queries no longer return the deleted image_id. */
static int wait_gone(copy_op *op, const char *pid, const char *image_id, hwims_error *err)
{
	poller poll;
	poller_init(&poll, op->cancel, &delete_poll, op->seed);
	for (;;) {
		json_t *img = NULL;
		hwims_error perr;
		int prc = api_image_get(op->c, op->home, pid, image_id, op->cancel, &img, &perr);
		op->p.polls++;
		if (prc != 0 && perr.kind == HWIMS_ERR_CANCELLED)
			return cancelled(image_id, err);
		if (prc != 0 && !copy_transient(&perr)) {
			*err = perr;
			return hwims_error_prefix(err, "waiting for image %s to be deleted",
			                          image_id);
		}
		if (prc == 0 && !img)
			return 0;
		if (img) {
			const char *st = json_string_value(json_object_get(img, "status"));
			snprintf(op->status_buf, sizeof(op->status_buf), "%s", st ? st : "");
			op->p.image_status = st ? op->status_buf : NULL;
		}
		json_decref(img);
		copy_report(op, HWIMS_PHASE_DELETE);
		int stop = poller_sleep(&poll, poller_next(&poll));
		if (stop)
			return wait_ended(op, stop, image_id, 1, err);
	}
}

int hwims_image_copy_delete(hwims_client *c, const hwims_copy_spec *spec, const char *image_id,
                            const hwims_copy_options *opts, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	if (!copy_is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to delete");
	const char *home = copy_home_region(c, spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	copy_op op;
	if (copy_op_init(&op, c, opts, NULL, home, opts ? opts->delete_timeout_ns : 0,
	                 COPY_DEFAULT_DELETE_TIMEOUT_NS, err) != 0) {
		copy_op_done(&op);
		return -1;
	}
	/* Throttling and server trouble cost time within the delete's budget, not the delete. */
	hwims_cancel_set_persistent(op.cancel, HWIMS_PERSIST_ALL);
	op.p.image_id = image_id;
	json_t *img = NULL;
	int rc = -1;
	const char *pid = copy_home_pid(&op, op.cancel, err);
	if (!pid)
		goto out;
	if (api_image_get(c, home, pid, image_id, op.cancel, &img, err) != 0) {
		hwims_error_prefix(err, "looking up image %s before deleting it", image_id);
		goto out;
	}
	if (!img) {
		rc = 0; /* already gone */
		goto out;
	}
	json_decref(img);
	copy_report(&op, HWIMS_PHASE_DELETE);
	rc = delete_when_made(&op, pid, image_id, err);
	if (rc == HWIMS_ENOTFOUND)
		rc = 0; /* went away in between */
	else if (rc == 0)
		rc = wait_gone(&op, pid, image_id, err);
out:
	copy_op_done(&op);
	return rc;
}
