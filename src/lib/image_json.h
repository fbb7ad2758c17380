/* image_json.h - building a hwims_image from an IMS image object already parsed (private to
 * libhwims): the API layer hands the workflow JSON values, which need no second parse. */
#ifndef HWIMS_IMAGE_JSON_H
#define HWIMS_IMAGE_JSON_H

#include <jansson.h>

#include "hwims/image.h"

/* As hwims_image_from_json, from obj (borrowed). Caller frees *out with hwims_image_free. */
int image_from_object(const json_t *obj, const char *region, const hwims_tags *tags,
                      hwims_image **out, hwims_error *err);

#endif
