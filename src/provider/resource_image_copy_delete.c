/* resource_image_copy_delete.c - ApplyResourceChange destroying a huaweicloud_images_image_copy,
   a copy whose job never named its image included. */
#include <stdlib.h>

#include "prov_image_copy.h"

/* The image to delete when the state has no ID: the one a pending job named. 0 with *id
   (caller frees; NULL when there is no pending job, or it failed), -1 after a diagnostic. */
static int pending_image(const prov_op *op, const ProtobufCBinaryData *priv, char **id)
{
	hwims_error err;
	int pr = prov_ic_pending_resolve(op, priv, id, &err);
	if (pr < 0) {
		prov_diag_from_error(op->d, "Cannot look up the copy job", &err, NULL);
		return -1;
	}
	if (pr == PROV_PENDING_RUNNING) {
		prov_diag_add(
		    op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Copy still in progress",
		    "The copy job recorded for this resource has not named its image yet, "
		    "so there is nothing to delete yet. Try again later.",
		    NULL);
		return -1;
	}
	return 0;
}

prov_value *prov_ic_delete(const prov_op *op, const prov_value *prior,
                           const ProtobufCBinaryData *priv)
{
	hwims_copy_spec spec;
	if (prov_ic_spec(prior, &spec, op->d) != 0)
		return prov_value_clone(prior);
	hwims_copy_options opts = prov_provider_copy_options(op->p);
	hwims_error err;
	prov_value *st = NULL;
	char *pending_id = NULL;
	const char *id = prov_ic_id(prior);
	if (!id && pending_image(op, priv, &pending_id) != 0) {
		st = prov_value_clone(prior);
	} else if (prov_timeout(prior, "delete", DEFAULT_DELETE_TIMEOUT, &opts.delete_timeout_ns,
	                        &err) != 0) {
		prov_diag_from_error(op->d, "Invalid timeout", &err, err.attribute);
		st = prov_value_clone(prior);
	} else if ((id = id ? id : pending_id) &&
	           hwims_image_copy_delete(op->client, &spec, id, &opts, &err) != 0) {
		prov_diag_from_error(op->d, "Cannot delete the image copy", &err, NULL);
		st = prov_value_clone(prior); /* still there: keep it in state */
	} else {
		st = prov_value_null(op->schema->implied);
	}
	free(pending_id);
	hwims_copy_spec_free(&spec);
	return st;
}
