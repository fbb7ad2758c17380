/* copy_update.c - hwims_image_copy_update: send only what changed, move the enterprise project
 * and wait until it shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"
#include "copy_op.h"

/* An enterprise-project move is asynchronous: EPS lists the image under its new project once it
 * is done. The Go provider looks after 10 s and then every 10 s; this wait looks at once (a move
 * may be done by then) and then paces its looks like the job wait: a tenth of the time waited,
 * 1 s to 10 s, so that a move is seen within max(1 s, 10%) of its end. */
static const poller_shape eps_poll = {1 * HWIMS_NS_PER_S, 10 * HWIMS_NS_PER_S, 1, 0.15, 0.1};

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A force-new argument changes when the new value is set and differs: an optional+computed
 * argument left out of the configuration keeps what was read. */
static int force_new_check(hwims_client *c, const hwims_copy_spec *o, const hwims_copy_spec *n,
                           hwims_error *err)
{
	const char *dr = hwims_client_region(c);
	if (!same(o->source_image_id, n->source_image_id))
		return hwims_error_set_attr(
		    err, "source_image_id",
		    "source_image_id cannot be changed in place: the copy must be "
		    "replaced");
	if (!same(copy_source_region(c, o), copy_source_region(c, n)))
		return hwims_error_set_attr(err, "region",
		                            "region cannot be changed in place: the copy must be "
		                            "replaced");
	if (hwims_copy_spec_is_cross_region(n, dr) != hwims_copy_spec_is_cross_region(o, dr) ||
	    (hwims_copy_spec_is_cross_region(n, dr) && !same(o->target_region, n->target_region)))
		return hwims_error_set_attr(
		    err, "target_region",
		    "target_region cannot be changed in place: the copy must be "
		    "replaced");
	struct {
		const char *name, *old, *new_;
	} fields[] = {{"kms_key_id", o->kms_key_id, n->kms_key_id},
	              {"agency_name", o->agency_name, n->agency_name},
	              {"vault_id", o->vault_id, n->vault_id}};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (copy_is_set(fields[i].new_) && !same(fields[i].old, fields[i].new_))
			return hwims_error_set_attr(
			    err, fields[i].name,
			    "%s cannot be changed in place: the copy must be "
			    "replaced",
			    fields[i].name);
	}
	return 0;
}

static int update_tags(hwims_client *c, const char *home, const char *pid, const char *image_id,
                       const hwims_tags *old, const hwims_tags *new_, hwims_cancel *cancel,
                       hwims_error *err)
{
	hwims_tags gone = HWIMS_TAGS_INIT, came = HWIMS_TAGS_INIT;
	int rc = -1;
	for (size_t i = 0; i < old->count; i++) {
		if (!hwims_tags_get(new_, old->items[i].key) &&
		    hwims_tags_set(&gone, old->items[i].key, old->items[i].value, err) != 0)
			goto out;
	}
	for (size_t i = 0; i < new_->count; i++) {
		const char *was = hwims_tags_get(old, new_->items[i].key);
		if ((!was || strcmp(was, new_->items[i].value) != 0) &&
		    hwims_tags_set(&came, new_->items[i].key, new_->items[i].value, err) != 0)
			goto out;
	}
	if (api_tags_action(c, home, pid, image_id, "delete", &gone, cancel, err) != 0 ||
	    api_tags_action(c, home, pid, image_id, "create", &came, cancel, err) != 0) {
		hwims_error_prefix(err, "updating the tags of image %s", image_id);
		goto out;
	}
	rc = 0;
out:
	hwims_tags_free(&gone);
	hwims_tags_free(&came);
	return rc;
}

/* One PATCH op on path (value is taken over), replace-then-add as copy_patch does. */
static int patch_one(copy_op *op, const char *image_id, const char *path, json_t *value,
                     hwims_error *err)
{
	/* takes value over ("o"), also when packing fails */
	json_t *ops = json_pack("[{s:s, s:s, s:o}]", "op", "replace", "path", path, "value", value);
	if (!ops)
		return error_oom(err);
	int rc = copy_patch(op, image_id, ops, err);
	json_decref(ops);
	if (rc != 0)
		hwims_error_prefix(err, "updating %s of image %s", path + 1, image_id);
	return rc;
}

/* Where a move that did not complete stands, for the error that gives up on it: the project
 * IMS shows the image in, if a read says. */
static void migration_state(copy_op *op, const char *pid, const char *image_id, char *out, size_t n)
{
	json_t *img = NULL;
	hwims_error rerr;
	snprintf(out, n, "its state is not known");
	if (api_image_get(op->c, op->home, pid, image_id, NULL, &img, &rerr) != 0)
		return;
	const char *now_eps = json_string_value(json_object_get(img, "enterprise_project_id"));
	if (!img)
		snprintf(out, n, "the image is gone");
	else
		snprintf(out, n, "IMS still shows the image in enterprise project %s",
		         now_eps ? now_eps : "0");
	json_decref(img);
}

/* Move the copy to another enterprise project and wait until EPS lists it there, as the Go
 * provider does (resources/filter of the new project). */
static int migrate(copy_op *op, const char *pid, const char *image_id, const char *eps,
                   hwims_error *err)
{
	copy_report(op, HWIMS_PHASE_MIGRATE);
	if (api_eps_migrate(op->c, eps, image_id, pid, op->home, op->cancel, err) != 0)
		return -1;
	poller poll;
	poller_init(&poll, op->cancel, &eps_poll, op->seed);
	for (;;) {
		int listed = 0;
		hwims_error lerr;
		int stop = 0;
		if (api_eps_listed(op->c, eps, image_id, pid, op->home, op->cancel, &listed,
		                   &lerr) == 0) {
			if (listed)
				return 0;
		} else if (lerr.kind == HWIMS_ERR_TIMEOUT || lerr.kind == HWIMS_ERR_CANCELLED) {
			/* the update's deadline or a cancel cut the call: give up as below */
			stop =
			    hwims_cancel_timed_out(op->cancel) ? HWIMS_ETIMEOUT : HWIMS_ECANCELLED;
		} else {
			*err = lerr;
			return hwims_error_prefix(err, "waiting for the enterprise project move");
		}
		if (!stop)
			stop = poller_sleep(&poll, poller_next(&poll));
		if (!stop)
			continue;
		char state[160];
		migration_state(op, pid, image_id, state, sizeof(state));
		char t[HWIMS_DURATION_TEXT_MAX];
		hwims_duration_format(op->timeout_ns, t, sizeof(t));
		if (stop == HWIMS_ETIMEOUT)
			return hwims_error_set(
			    err, HWIMS_ERR_TIMEOUT,
			    "the move of image %s to enterprise project %s did not "
			    "complete within %s: EPS does not list it there yet, "
			    "and %s",
			    image_id, eps, t, state);
		return hwims_error_set(err, HWIMS_ERR_CANCELLED,
		                       "cancelled while moving image %s to enterprise project %s "
		                       "(accepted; EPS does not list it there yet, and %s)",
		                       image_id, eps, state);
	}
}

/* What differs between the old and the new spec, attribute by attribute. */
typedef struct changes {
	int name, desc, max_ram, min_ram, tags, eps;
} changes;

static int changes_of(const hwims_copy_spec *o, const hwims_copy_spec *n, changes *ch)
{
	ch->name = !same(o->name, n->name);
	ch->desc = !same(o->description, n->description);
	ch->max_ram = n->has_max_ram && (!o->has_max_ram || o->max_ram != n->max_ram);
	ch->min_ram = n->has_min_ram && (!o->has_min_ram || o->min_ram != n->min_ram);
	ch->tags = !hwims_tags_equal(&o->tags, &n->tags);
	const char *old_eps =
	    copy_is_set(o->enterprise_project_id) ? o->enterprise_project_id : "0";
	ch->eps = copy_is_set(n->enterprise_project_id) && !same(old_eps, n->enterprise_project_id);
	return ch->name || ch->desc || ch->max_ram || ch->min_ram || ch->tags || ch->eps;
}

/* The RAM bounds that changed, in one PATCH whose steps never pass through min > max (lowering
   4096/8192 to 512/1024 as two PATCHes, max first, fails with IMG.0055). */
static int patch_ram(copy_op *op, const hwims_copy_spec *o, const hwims_copy_spec *n,
                     const changes *ch, const char *image_id, hwims_error *err)
{
	json_t *ops = json_array();
	if (!ops ||
	    copy_ram_ops(ops, o->has_min_ram ? o->min_ram : 0, o->has_max_ram ? o->max_ram : 0,
	                 ch->min_ram, n->min_ram, ch->max_ram, n->max_ram) != 0) {
		json_decref(ops);
		return error_oom(err);
	}
	int rc = copy_patch(op, image_id, ops, err);
	json_decref(ops);
	if (rc != 0)
		hwims_error_prefix(err, "updating min_ram/max_ram of image %s", image_id);
	return rc;
}

/* Send what changed: one PATCH per attribute, in the Go provider's order (the two RAM bounds in
 * one), then the tags, then the enterprise project. */
static int send_changes(copy_op *op, const hwims_copy_spec *o, const hwims_copy_spec *n,
                        const changes *ch, const char *image_id, hwims_error *err)
{
	const char *pid = copy_home_pid(op, op->cancel, err);
	if (!pid)
		return -1;
	if ((ch->name && patch_one(op, image_id, "/name", json_string(n->name), err) != 0) ||
	    (ch->desc && patch_one(op, image_id, "/__description",
	                           json_string(n->description ? n->description : ""), err) != 0) ||
	    ((ch->max_ram || ch->min_ram) && patch_ram(op, o, n, ch, image_id, err) != 0))
		return -1;
	if (ch->tags &&
	    update_tags(op->c, op->home, pid, image_id, &o->tags, &n->tags, op->cancel, err) != 0)
		return -1;
	if (ch->eps && migrate(op, pid, image_id, n->enterprise_project_id, err) != 0)
		return -1;
	return 0;
}

int hwims_image_copy_update(hwims_client *c, const hwims_copy_spec *old_spec,
                            const hwims_copy_spec *new_spec, const char *image_id,
                            const hwims_copy_options *opts, hwims_image **out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	if (out)
		*out = NULL;
	if (!copy_is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to update");
	/* an existing copy: no agency is needed (an imported one has none known) */
	if (hwims_copy_spec_validate_arguments(new_spec, hwims_client_region(c), err) != 0 ||
	    force_new_check(c, old_spec, new_spec, err) != 0)
		return -1;
	const char *home = copy_home_region(c, new_spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	changes ch;
	if (!changes_of(old_spec, new_spec, &ch) && !out)
		return 0; /* nothing to send */
	copy_op op;
	if (copy_op_init(&op, c, opts, copy_source_region(c, new_spec), home,
	                 opts ? opts->update_timeout_ns : 0, COPY_DEFAULT_UPDATE_TIMEOUT_NS,
	                 err) != 0) {
		copy_op_done(&op);
		return -1;
	}
	/* Throttling and server trouble cost time within the update's budget, not the update. */
	hwims_cancel_set_persistent(op.cancel, HWIMS_PERSIST_ALL);
	int rc = send_changes(&op, old_spec, new_spec, &ch, image_id, err);
	if (rc == 0 && out) {
		copy_report(&op, HWIMS_PHASE_READ);
		int got = copy_read_image(&op, image_id, out, err);
		if (got < 0 && got != HWIMS_ENOTFOUND) /* a copy that vanished reads as NULL */
			rc = -1;
	}
	copy_op_done(&op);
	return rc;
}
