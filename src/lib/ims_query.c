/* ims_query.c - GET v2/cloudimages with filters, through every page (see ims_query.h). */
#include "ims_query.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "cloud_api.h"
#include "hwims/buf.h"

/* A parameter name is sent as it is, so it must not be able to change the query's shape. */
static int plain_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* "&name=<escaped value>" appended to path. */
static int add_param(hwims_buf *path, const char *name, const char *value)
{
	char *e = api_escape(value);
	int rc = e ? hwims_buf_printf(path, "%s%s=%s", path->len > 0 ? "&" : "", name, e) : -1;
	free(e);
	return rc;
}

/* The path of one page: the filters, the limit and the marker (NULL on the first page). */
static char *page_path(const api_param *params, size_t n, int limit, const char *marker)
{
	hwims_buf q = HWIMS_BUF_INIT;
	char digits[16];
	int bad = 0;

	for (size_t i = 0; !bad && i < n; i++)
		bad = params[i].value && add_param(&q, params[i].name, params[i].value) < 0;
	snprintf(digits, sizeof(digits), "%d", limit);
	bad = bad || (limit > 0 && add_param(&q, "limit", digits) < 0) ||
	      (marker && add_param(&q, "marker", marker) < 0);
	hwims_buf path = HWIMS_BUF_INIT;
	bad = bad || hwims_buf_printf(&path, "v2/cloudimages%s%s", q.len ? "?" : "",
	                              q.len ? q.data : "") < 0;
	hwims_buf_free(&q);
	if (bad) {
		hwims_buf_free(&path);
		return NULL;
	}
	return path.data; /* the buffer's text, now the caller's */
}

/* Append the images of one answer to all, checking each for a string ID never seen before
   (seen maps ID -> true). Sets *last to the page's last ID (borrowed from all) or NULL when the
   page is empty. */
static int take_page(json_t *answer, json_t *all, json_t *seen, const char **last, hwims_error *err)
{
	json_t *page = json_object_get(answer, "images");
	size_t i;
	json_t *img;

	*last = NULL;
	if (!json_is_array(page))
		return hwims_error_set(err, HWIMS_ERR_NETWORK,
		                       "bad response to the image query: no \"images\" list");
	json_array_foreach(page, i, img)
	{
		const char *id = json_string_value(json_object_get(img, "id"));
		if (!id || !*id)
			return hwims_error_set(err, HWIMS_ERR_NETWORK,
			                       "bad response to the image query: an image without "
			                       "an ID");
		if (json_object_get(seen, id))
			return hwims_error_set(
			    err, HWIMS_ERR_NETWORK,
			    "the image query returned image %s twice: the service "
			    "does not follow the marker",
			    id);
		if (json_object_set(seen, id, json_true()) || json_array_append(all, img))
			return error_oom(err);
		*last = id;
	}
	return 0;
}

int api_image_query(hwims_client *c, const char *region, const char *project_id,
                    const api_param *params, size_t n_params, int limit, hwims_cancel *cancel,
                    json_t **images, hwims_error *err)
{
	json_t *all = json_array(), *seen = json_object();
	char *marker = NULL;
	int rc = all && seen ? 0 : error_oom(err);

	*images = NULL;
	for (size_t i = 0; rc == 0 && i < n_params; i++)
		if (!plain_name(params[i].name))
			rc = hwims_error_set(err, HWIMS_ERR_USAGE,
			                     "image query: bad parameter name");
	for (long page = 0; rc == 0 && page < HWIMS_API_QUERY_MAX_PAGES; page++) {
		char *path = page_path(params, n_params, limit, marker);
		json_t *answer = NULL;
		const char *last = NULL;
		if (!path)
			rc = error_oom(err);
		else
			rc = api_call_json(c, HWIMS_SVC_IMS, region, "GET", path, NULL, project_id,
			                   API_IDEMPOTENT, cancel, &answer, err);
		free(path);
		if (rc == 0)
			rc = take_page(answer, all, seen, &last, err);
		free(marker);
		marker = rc == 0 && last ? strdup(last) : NULL;
		json_decref(answer);
		if (rc == 0 && !last)
			break; /* the empty page: everything was read */
		if (rc == 0 && !marker)
			rc = error_oom(err);
	}
	free(marker);
	json_decref(seen);
	if (rc != 0) {
		json_decref(all);
		return -1;
	}
	*images = all;
	return 0;
}
