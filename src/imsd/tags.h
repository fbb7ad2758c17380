/* tags.h - key/value tags of images in the store. */
#ifndef IMSD_TAGS_H
#define IMSD_TAGS_H

#include <stdint.h>

#include <jansson.h>

#include <hwims/error.h>

#include "store.h"

/* {"tags":[{"key":..,"value":..},...]} sorted by key; caller decrefs. NULL on error. */
json_t *imsd_tags_json(imsd_db *db, const char *image_id, hwims_error *err);
int imsd_tags_count(imsd_db *db, const char *image_id, int64_t *count, hwims_error *err);
/* 1 if image_id has key, 0 if not, -1 on error. */
int imsd_tag_exists(imsd_db *db, const char *image_id, const char *key, hwims_error *err);
int imsd_tag_put(imsd_db *db, const char *image_id, const char *key, const char *value,
                 hwims_error *err);
int imsd_tag_delete(imsd_db *db, const char *image_id, const char *key, hwims_error *err);

#endif
