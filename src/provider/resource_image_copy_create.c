/* resource_image_copy_create.c - ApplyResourceChange creating a huaweicloud_images_image_copy:
   the copy job, and what the state keeps when it does not finish. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_image_copy.h"

/* Make a planned state wholly known for a copy that did not finish: an unknown region becomes
   region (or null), every other unknown null. In place: nothing here may lose the state. */
static void make_known(prov_value *st, const char *region)
{
	if (prov_value_is_unknown(prov_value_attr(st, "region")))
		prov_value_set_str(st, "region", region);
	prov_value_unknowns_to_null(st);
}

/* Create failed after the copy job was accepted: a wholly known state that names the image,
   so Terraform records it (tainted) instead of orphaning it. */
static prov_value *partial_state(const prov_op *op, const prov_value *planned,
                                 const hwims_copy_result *res)
{
	prov_value *st = prov_value_clone(planned);
	if (!st || prov_value_set_attr(st, "id", prov_value_string(res->image_id)) != 0) {
		prov_value_free(st); /* a state without the ID would orphan the copy */
		return NULL;
	}
	make_known(st, prov_provider_region(op->p));
	return st;
}

/* The job made an image but did not finish: keep the image (tainted). */
static prov_value *image_unfinished(const prov_op *op, const prov_value *planned,
                                    const hwims_copy_result *res, const hwims_error *err)
{
	char summary[200];
	snprintf(summary, sizeof(summary), "Image copy %.64s did not complete", res->image_id);
	char detail[HWIMS_ERROR_MESSAGE_MAX + 400];
	snprintf(detail, sizeof(detail),
	         "%s\n\nThe copy job %s was accepted and created image %s in %s. It is kept "
	         "in the state as tainted, so the next apply replaces it (or destroy "
	         "removes it) instead of leaving it orphaned.",
	         err->message, res->job_id ? res->job_id : "(unknown)", res->image_id,
	         res->image_region ? res->image_region : "its region");
	prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, summary, detail, NULL);
	return partial_state(op, planned, res);
}

/* Accepted, but no image ID yet: keep a (tainted) placeholder whose private state names the
   job, so refresh or destroy find the image later. */
static prov_value *job_unfinished(const prov_op *op, const prov_value *planned,
                                  const hwims_copy_spec *spec, const hwims_copy_result *res,
                                  const hwims_error *err, prov_private *priv)
{
	const char *region = spec->region ? spec->region : hwims_client_region(op->client);
	char *pending = prov_ic_pending_private(res->job_id, region);
	if (pending) {
		priv->owned = pending;
		priv->data.data = (uint8_t *)pending;
		priv->data.len = strlen(pending);
	}
	char detail[HWIMS_ERROR_MESSAGE_MAX + 400];
	snprintf(detail, sizeof(detail),
	         "%s\n\nThe copy job %s was accepted but had not named its image yet. The "
	         "resource is kept in the state as tainted with the job recorded, so the "
	         "next refresh finds the image and the next apply replaces it (or destroy "
	         "removes it) instead of leaving it orphaned.",
	         err->message, res->job_id);
	prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Image copy did not complete",
	              detail, NULL);
	prov_value *st = prov_value_clone(planned);
	if (st)
		make_known(st, region);
	return st;
}

/* Nothing was made (or the job failed, which leaves nothing to keep). */
static void create_failed(const prov_op *op, const hwims_copy_result *res, const hwims_error *err)
{
	char summary[160];
	if (err->kind == HWIMS_ERR_JOB_FAILED)
		snprintf(summary, sizeof(summary), "Image copy job %.64s failed",
		         res->job_id ? res->job_id : "");
	else
		snprintf(summary, sizeof(summary), "Cannot copy the image");
	prov_diag_from_error(op->d, summary, err, NULL);
}

/* The state of a finished copy. */
static prov_value *created(const prov_op *op, const prov_value *planned,
                           const hwims_copy_result *res)
{
	prov_value *st = NULL;
	hwims_error err;
	if (prov_state_from_image(op->schema, res->image, planned, PROV_FILL_APPLY, &st, &err) !=
	    0) {
		prov_diag_from_error(op->d, "Cannot record the new image", &err, NULL);
		/* the copy exists: keep at least its ID (tainted), not nothing */
		st = partial_state(op, planned, res);
	}
	prov_logf(op->p->log, HWIMS_LOG_INFO, "created image copy %s (job %s)",
	          res->image_id ? res->image_id : "?", res->job_id ? res->job_id : "?");
	return st;
}

prov_value *prov_ic_create(const prov_op *op, const prov_value *planned, prov_private *priv)
{
	hwims_copy_spec spec;
	if (prov_ic_spec(planned, &spec, op->d) != 0)
		return NULL;
	hwims_error err;
	/* the copy gets the provider's default tags besides its own */
	prov_tag_rules rules;
	if (prov_provider_tag_rules(op->p, &rules, &err) != 0 ||
	    prov_tags_add_defaults(&rules, &spec.tags, &err) != 0) {
		prov_tag_rules_free(&rules);
		prov_diag_from_error(op->d, "Cannot copy the image", &err, NULL);
		hwims_copy_spec_free(&spec);
		return NULL;
	}
	prov_tag_rules_free(&rules);
	hwims_copy_options opts = prov_provider_copy_options(op->p);
	opts.fixed_poll_interval_ns = op->p->poll_interval_ns;
	prov_value *st = NULL;
	hwims_copy_result res;
	memset(&res, 0, sizeof(res));
	if (prov_timeout(planned, "create", DEFAULT_CREATE_TIMEOUT, &opts.create_timeout_ns,
	                 &err) != 0)
		prov_diag_from_error(op->d, "Invalid timeout", &err, err.attribute);
	else if (hwims_image_copy_create(op->client, &spec, &opts, &res, &err) == 0)
		st = created(op, planned, &res);
	else if (res.image_id && err.kind != HWIMS_ERR_JOB_FAILED)
		st = image_unfinished(op, planned, &res, &err);
	else if (res.job_id && err.kind != HWIMS_ERR_JOB_FAILED)
		st = job_unfinished(op, planned, &spec, &res, &err, priv);
	else
		create_failed(op, &res, &err);
	hwims_copy_result_free(&res);
	hwims_copy_spec_free(&spec);
	return st;
}
