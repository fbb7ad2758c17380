/* resource_image_copy_read.c - ReadResource of huaweicloud_images_image_copy: refresh from the
   API, resolving a pending copy job first. */
#include <stdlib.h>

#include "prov_image_copy.h"

/*
 * A state without an image ID may name a pending job in its private state. Returns the prior
 * to read on (*owned, caller frees, when the job named its image: the state holds it from now
 * on and the private state no longer needs the job), or sets *keep when the job is still
 * running (or cannot be looked up, or memory ran short): the prior is kept as it is.
 */
static const prov_value *resolve_pending(const prov_op *op, const prov_value *prior,
                                         const ProtobufCBinaryData *priv_in, prov_private *priv,
                                         prov_value **owned, int *keep)
{
	char *image_id = NULL;
	hwims_error err;
	int pr = prov_ic_pending_resolve(op, priv_in, &image_id, &err);
	if (pr == PROV_PENDING_IMAGE) {
		*owned = prov_value_clone(prior);
		if (!*owned || prov_value_set_str(*owned, "id", image_id) != 0) {
			/* out of memory: keep the job recorded rather than lose the copy */
			*keep = 1;
		} else {
			priv->data.data = NULL;
			priv->data.len = 0;
			prior = *owned;
		}
	} else if (pr == PROV_PENDING_RUNNING || pr < 0) {
		if (pr < 0)
			prov_diag_from_error(op->d, "Cannot look up the copy job", &err, NULL);
		*keep = 1;
	}
	free(image_id);
	return prior;
}

/* Refresh a state that names its image. */
static prov_value *refresh(const prov_op *op, const prov_value *prior, const char *id)
{
	hwims_copy_spec spec;
	if (prov_op_no_client(op) || prov_ic_spec(prior, &spec, op->d) != 0)
		return prov_value_clone(prior);
	hwims_copy_options opts = prov_provider_copy_options(op->p);
	hwims_image *img = NULL;
	hwims_error err;
	prov_value *st = NULL;
	int rc = hwims_image_copy_read(op->client, &spec, id, &opts, &img, &err);
	if (rc == HWIMS_ENOTFOUND) {
		prov_logf(op->p->log, HWIMS_LOG_INFO, "image %s is gone; removing it from state",
		          id);
		st = prov_value_null(op->schema->implied);
	} else if (rc != 0) {
		/* Keep the prior state: an absent new_state would drop the resource. */
		prov_diag_from_error(op->d, "Cannot read the image copy", &err, NULL);
		st = prov_value_clone(prior);
	} else {
		if (prov_origin_unreadable(img)) {
			const char *origin = hwims_image_str(img, "data_origin");
			prov_logf(
			    op->p->log, HWIMS_LOG_WARN,
			    "image %s: its data origin \"%.80s\" does not name the image it was "
			    "copied from; keeping source_image_id, region and target_region from "
			    "the prior state",
			    id, origin ? origin : "");
		}
		prov_tag_rules rules;
		if (prov_state_from_image(op->schema, img, prior, PROV_FILL_READ, &st, &err) != 0 ||
		    prov_provider_tag_rules(op->p, &rules, &err) != 0) {
			prov_diag_from_error(op->d, "Cannot record the image", &err, NULL);
			prov_value_free(st);
			st = prov_value_clone(prior);
		} else {
			/* ignored keys and unconfigured defaults are never diffed */
			if (prov_tags_read(&rules, prior, st, &err) != 0) {
				prov_diag_from_error(op->d, "Cannot record the image", &err, NULL);
				prov_value_free(st);
				st = prov_value_clone(prior);
			}
			prov_tag_rules_free(&rules);
		}
	}
	hwims_image_free(img);
	hwims_copy_spec_free(&spec);
	return st;
}

prov_value *prov_ic_read(const prov_op *op, const prov_value *prior,
                         const ProtobufCBinaryData *priv_in, prov_private *priv)
{
	prov_value *owned = NULL, *st;
	int keep = 0;
	if (prior->state == PROV_KNOWN && !prov_ic_id(prior) && op->client)
		prior = resolve_pending(op, prior, priv_in, priv, &owned, &keep);
	const char *id = prov_ic_id(prior);
	if (keep)
		st = prov_value_clone(prior); /* pending job still running */
	else if (prior->state == PROV_NULL || !id)
		st = prov_value_null(op->schema->implied);
	else
		st = refresh(op, prior, id);
	prov_value_free(owned);
	/* No new state without an error would tell Terraform the copy is gone. */
	if (!st)
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Cannot read the image copy", "out of memory", NULL);
	return st;
}
