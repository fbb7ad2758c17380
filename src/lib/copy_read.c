/* copy_read.c - reading a copy, a job, and the private images of a region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"
#include "copy_op.h"
#include "image_json.h"

int hwims_image_copy_read(hwims_client *c, const hwims_copy_spec *spec, const char *image_id,
                          const hwims_copy_options *opts, hwims_image **out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	*out = NULL;
	if (!copy_is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to read");
	const char *home = copy_home_region(c, spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	copy_op op;
	if (copy_op_init(&op, c, opts, NULL, home, opts ? opts->read_timeout_ns : 0,
	                 COPY_DEFAULT_READ_TIMEOUT_NS, err) != 0) {
		copy_op_done(&op);
		return -1;
	}
	/* A refresh of many copies under throttling must not fail on the unlucky ones. */
	hwims_cancel_set_persistent(op.cancel, HWIMS_PERSIST_BUSY);
	int rc = copy_read_image(&op, image_id, out, err);
	copy_op_done(&op);
	return rc;
}

int hwims_copy_job_get(hwims_client *c, const char *region, const char *job_id,
                       hwims_cancel *cancel, hwims_copy_job *job, hwims_error *err)
{
	memset(job, 0, sizeof(*job));
	job->percent = -1;
	if (!copy_is_set(job_id))
		return hwims_error_set_attr(err, "job_id", "no job ID");
	char *pid = NULL;
	if (api_project_id(c, region, cancel, &pid, err) != 0)
		return -1;
	if (!region)
		region = hwims_client_region(c);
	int rc = api_job_get(c, region, pid, job_id, 1, cancel, job, err);
	free(pid);
	return rc;
}

int hwims_image_list(hwims_client *c, const char *region, const char *name, hwims_cancel *cancel,
                     hwims_image ***images, size_t *count, hwims_error *err)
{
	*images = NULL;
	*count = 0;
	if (!region)
		region = hwims_client_region(c);
	char *pid = NULL;
	json_t *list = NULL;
	if (api_project_id(c, region, cancel, &pid, err) != 0)
		return -1;
	int rc = api_image_list(c, region, pid, name, cancel, &list, err);
	free(pid);
	if (rc != 0)
		return -1;
	size_t n = json_array_size(list);
	hwims_image **arr = calloc(n ? n : 1, sizeof(*arr));
	if (!arr) {
		json_decref(list);
		return error_oom(err);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		hwims_image *img = NULL;
		/* an unusable entry is skipped, not fatal for a listing */
		if (image_from_object(json_array_get(list, i), region, NULL, &img, NULL) == 0)
			arr[k++] = img;
	}
	json_decref(list);
	*images = arr;
	*count = k;
	return 0;
}
