/*
 * ims_query.h - the IMS image query (GET v2/cloudimages) with any filters, paged through
 * completely (private to libhwims; the workflow is hwims/image_query.h).
 */
#ifndef HWIMS_IMS_QUERY_H
#define HWIMS_IMS_QUERY_H

#include <stddef.h>

#include <jansson.h>

#include "hwims/client.h"

/* One query parameter; both strings borrowed, value sent percent-encoded. */
typedef struct api_param {
	const char *name;
	const char *value;
} api_param;

/* The most pages one query follows before it gives up on a server whose marker does not move
   (a million images at the smallest page). */
#define HWIMS_API_QUERY_MAX_PAGES 1000000

/*
 * GET v2/cloudimages?<params>[&limit=<limit>][&marker=<last ID>] in region, page after page
 * until a page comes back empty: IMS gives no "next" link and may cap limit below what was
 * asked, so a short page does not prove the end. limit 0 sends none (the server's default
 * page). Parameter names must be plain (letters, digits, '_'); values are escaped. A page whose
 * last image repeats an ID already seen (a marker ignored) is HWIMS_ERR_NETWORK rather than a
 * loop. *images is a new array of every image object in the server's order (caller
 * json_decref's); NULL after a failure.
 */
int api_image_query(hwims_client *c, const char *region, const char *project_id,
                    const api_param *params, size_t n_params, int limit, hwims_cancel *cancel,
                    json_t **images, hwims_error *err);

#endif
