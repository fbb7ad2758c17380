/*
 * resource_image_copy_private.c - what huaweicloud_images_image_copy keeps in private state:
 * the flag an import leaves, and copy jobs that have not named their image yet.
 *
 * When a create stops after the copy job was accepted but before the job named its image
 * (timeout, StopProvider), the state cannot hold the image ID yet. The job ID goes into the
 * resource's private state instead, {"pending_job":"<id>","job_region":"<region>"}, and read
 * and delete resolve it to the image later, so the copy is never orphaned.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "prov_image_copy.h"

int prov_ic_private_flag(const ProtobufCBinaryData *priv, const char *key)
{
	if (!priv || !priv->len)
		return 0;
	json_t *j = json_loadb((const char *)priv->data, priv->len, 0, NULL);
	int on = json_is_true(json_object_get(j, key));
	json_decref(j);
	return on;
}

char *prov_ic_pending_private(const char *job_id, const char *region)
{
	json_t *j =
	    json_pack("{s:s,s:s}", "pending_job", job_id, "job_region", region ? region : "");
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return s;
}

/* What the job's state says about its image. */
static int job_outcome(const hwims_copy_job *info, char **image_id)
{
	if (info->image_id && *info->image_id)
		return (*image_id = strdup(info->image_id)) ? PROV_PENDING_IMAGE : -1;
	return info->state == HWIMS_JOB_FAIL ? PROV_PENDING_FAILED : PROV_PENDING_RUNNING;
}

int prov_ic_pending_resolve(const prov_op *op, const ProtobufCBinaryData *priv, char **image_id,
                            hwims_error *err)
{
	*image_id = NULL;
	if (!priv || !priv->len)
		return PROV_PENDING_NONE;
	json_t *j = json_loadb((const char *)priv->data, priv->len, 0, NULL);
	const char *job = json_string_value(json_object_get(j, "pending_job"));
	const char *region = json_string_value(json_object_get(j, "job_region"));
	int rc = PROV_PENDING_NONE;
	if (job && *job) {
		hwims_copy_job info;
		memset(&info, 0, sizeof(info));
		if (hwims_copy_job_get(op->client, (region && *region) ? region : NULL, job,
		                       op->p->stop, &info, err) != 0) {
			rc = -1;
		} else {
			prov_logf(op->p->log, HWIMS_LOG_DEBUG, "pending copy job %s: %s, image %s",
			          job, hwims_job_state_name(info.state),
			          info.image_id ? info.image_id : "(none yet)");
			rc = job_outcome(&info, image_id);
		}
		hwims_copy_job_free(&info);
	}
	json_decref(j);
	return rc;
}
