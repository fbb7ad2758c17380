/* copy_op.c - what every copy operation shares: its context (deadline, cancel token, progress,
 * regions and their project IDs, resolved once), reading a copy back and patching it (see
 * copy_op.h). */
#include "copy_op.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cloud_api.h"
#include "hwims/log.h"
#include "image_json.h"

static const hwims_copy_options no_options;

const char *copy_source_region(hwims_client *c, const hwims_copy_spec *spec)
{
	if (spec && copy_is_set(spec->region))
		return spec->region;
	return hwims_client_region(c);
}

const char *copy_home_region(hwims_client *c, const hwims_copy_spec *spec)
{
	if (spec && hwims_copy_spec_is_cross_region(spec, hwims_client_region(c)))
		return spec->target_region;
	return copy_source_region(c, spec);
}

int copy_transient(const hwims_error *e)
{
	return e->kind == HWIMS_ERR_THROTTLED || e->kind == HWIMS_ERR_SERVER ||
	       e->kind == HWIMS_ERR_NETWORK || e->kind == HWIMS_ERR_TIMEOUT;
}

int copy_set_owned(char **dst, const char *src)
{
	if (!src || (*dst && strcmp(*dst, src) == 0))
		return 0;
	char *copy = strdup(src);
	if (!copy)
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

int copy_op_init(copy_op *op, hwims_client *c, const hwims_copy_options *o, const char *src,
                 const char *home, int64_t timeout_ns, int64_t default_ns, hwims_error *err)
{
	memset(op, 0, sizeof(*op));
	if (o && o->version > HWIMS_COPY_OPTIONS_VERSION)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "hwims_copy_options version %u is newer than this library's "
		                       "(%d)",
		                       o->version, HWIMS_COPY_OPTIONS_VERSION);
	op->c = c;
	op->o = o ? o : &no_options;
	op->src = src;
	op->home = home;
	op->start_ns = hwims_cancel_now_ns();
	op->timeout_ns = timeout_ns > 0 ? timeout_ns : default_ns;
	op->p.percent = -1;
	op->seed = (unsigned)op->start_ns ^ (unsigned)getpid() ^ (unsigned)(uintptr_t)op;
	return hwims_cancel_new_child(&op->cancel, op->o->cancel, op->start_ns + op->timeout_ns,
	                              err);
}

void copy_op_done(copy_op *op)
{
	hwims_cancel_free(op->cancel);
	op->cancel = NULL;
	free(op->src_pid);
	free(op->home_pid);
	op->src_pid = op->home_pid = NULL;
}

/* The project of region, kept in *slot once known. The other region's slot is reused when both
 * are the same region: one operation asks once per region. */
static const char *region_pid(copy_op *op, const char *region, char **slot, const char *other,
                              const char *other_pid, hwims_cancel *cancel, hwims_error *err)
{
	if (*slot)
		return *slot;
	if (other_pid && other && region && strcmp(region, other) == 0) {
		*slot = strdup(other_pid);
		if (!*slot)
			hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return *slot;
	}
	if (api_project_id(op->c, region, cancel, slot, err) != 0)
		return NULL;
	return *slot;
}

const char *copy_src_pid(copy_op *op, hwims_cancel *cancel, hwims_error *err)
{
	return region_pid(op, op->src, &op->src_pid, op->home, op->home_pid, cancel, err);
}

const char *copy_home_pid(copy_op *op, hwims_cancel *cancel, hwims_error *err)
{
	return region_pid(op, op->home, &op->home_pid, op->src, op->src_pid, cancel, err);
}

void copy_report(copy_op *op, hwims_phase phase)
{
	op->p.phase = phase;
	op->p.elapsed_ns = hwims_cancel_now_ns() - op->start_ns;
	if (op->o->progress)
		op->o->progress(op->o->progress_userdata, &op->p);
}

int copy_patch(copy_op *op, const char *image_id, json_t *ops, hwims_error *err)
{
	const char *pid = copy_home_pid(op, op->cancel, err);
	if (!pid)
		return -1;
	int rc = api_image_patch(op->c, op->home, pid, image_id, ops, op->cancel, err);
	if (rc != HWIMS_ENOATTR)
		return rc;
	size_t i;
	json_t *one;
	json_array_foreach(ops, i, one)
	{
		if (json_object_set_new(one, "op", json_string("add")) != 0)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	return api_image_patch(op->c, op->home, pid, image_id, ops, op->cancel, err);
}

/* Add {"op": "replace", "path": path, "value": v} to ops. 0, or -1 out of memory. */
static int add_bound(json_t *ops, const char *path, int64_t v)
{
	return json_array_append_new(ops, json_pack("{s:s, s:s, s:I}", "op", "replace", "path",
	                                            path, "value", (json_int_t)v));
}

int copy_ram_ops(json_t *ops, int64_t o_min, int64_t o_max, int set_min, int64_t n_min, int set_max,
                 int64_t n_max)
{
	(void)o_max;
	/* Max first would leave (o_min, n_max): invalid when the old minimum exceeds the new
	   maximum, which is exactly when min must go first (then (n_min, o_max) is valid, since
	   n_min <= n_max < o_min <= o_max). */
	int min_first = set_min && set_max && n_max > 0 && o_min > n_max;
	if (min_first && add_bound(ops, "/min_ram", n_min) != 0)
		return -1;
	if (set_max && add_bound(ops, "/max_ram", n_max) != 0)
		return -1;
	if (set_min && !min_first && add_bound(ops, "/min_ram", n_min) != 0)
		return -1;
	return 0;
}

int copy_read_image(copy_op *op, const char *image_id, hwims_image **out, hwims_error *err)
{
	*out = NULL;
	json_t *obj = NULL;
	const char *region = op->home;
	const char *pid = copy_home_pid(op, op->cancel, err);
	if (!pid)
		return -1;
	int rc = api_image_get(op->c, region, pid, image_id, op->cancel, &obj, err);
	if (rc != 0)
		return hwims_error_prefix(err, "reading image %s in %s", image_id, region);
	if (!obj) {
		hwims_error_set(err, HWIMS_ERR_NOT_FOUND, "image %s not found in %s", image_id,
		                region);
		return HWIMS_ENOTFOUND;
	}
	hwims_tags tags = HWIMS_TAGS_INIT;
	hwims_error terr;
	/* As in the Go provider, a failing tags call only leaves the tags unknown. */
	int trc = api_tags_get(op->c, region, pid, image_id, op->cancel, &tags, &terr);
	int have_tags = trc == 0;
	if (trc == HWIMS_ENOTFOUND) {
		/* the image went away after the query listed it */
		*err = terr;
		json_decref(obj);
		return HWIMS_ENOTFOUND;
	}
	if (!have_tags && terr.kind == HWIMS_ERR_INTERNAL) {
		/* our own failure, not the service's: null tags would be a wrong state */
		*err = terr;
		hwims_tags_free(&tags);
		json_decref(obj);
		return -1;
	}
	if (!have_tags)
		hwims_log_printf(hwims_client_log(op->c), HWIMS_LOG_WARN,
		                 "reading the tags of image %s: %s", image_id, terr.message);
	rc = image_from_object(obj, region, have_tags ? &tags : NULL, out, err);
	hwims_tags_free(&tags);
	json_decref(obj);
	return rc;
}
