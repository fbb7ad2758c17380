/*
 * images.h - image rows in the store.
 *
 * A row keeps the image object as ready-to-serve JSON text without
 * "status" (and, for copies, without "active_at"); the status of a copy is
 * derived from the clock and its job's times (queued, saving, active) so
 * nothing has to update it when the job ends. Deleted images stay as rows
 * with deleted_at and vanish from queries from then on; failed copies vanish
 * when their job fails.
 */
#ifndef IMSD_IMAGES_H
#define IMSD_IMAGES_H

#include <stdint.h>

#include <jansson.h>

#include <hwims/buf.h>
#include <hwims/error.h>

#include "seed.h"
#include "store.h"

typedef struct imsd_image {
	char id[64];
	char region[64];
	char status[16]; /* effective status at the time of reading */
	char owner[64];
	char imagetype[16];
	char visibility[16];
	int64_t size;    /* __image_size in bytes */
	int is_copy;     /* created by a copy job */
	double ready_at; /* copies: when the job ends */
	int deleting;    /* DELETE accepted, not yet gone */
	json_t *doc;     /* the full image object as served; owned */
} imsd_image;

/* Free doc and zero *img. */
void imsd_image_clear(imsd_image *img);

/* Look up a visible image by ID (in region, or any region when region is
 * NULL). Returns 1 and fills *img (caller clears) when found, 0 when not,
 * -1 on error. */
int imsd_image_get(imsd_db *db, const char *region, const char *id, double now, imsd_image *img,
                   hwims_error *err);

/* Insert a new image. doc is the image object (borrowed) with at least id,
 * name, __imagetype, visibility, owner, enterprise_project_id; "status" and
 * "region" members are ignored. For copies pass ready_at > 0 (and init_end,
 * fail); status is then derived; otherwise status is stored. */
int imsd_image_insert(imsd_db *db, const char *region, json_t *doc, const char *status,
                      double init_end, double ready_at, int fail, hwims_error *err);

/* Replace the stored object of image id with doc (borrowed; "status" and
 * "active_at" of copies are dropped before storing). */
int imsd_image_update(imsd_db *db, const imsd_image *img, json_t *doc, hwims_error *err);

/* Make the image vanish from queries at time at. */
int imsd_image_mark_deleted(imsd_db *db, const char *id, double at, hwims_error *err);

/* Number of visible private images owned by owner in region. */
int imsd_image_count_private(imsd_db *db, const char *region, const char *owner, double now,
                             int64_t *count, hwims_error *err);

typedef enum imsd_filter_type {
	IMSD_FILTER_STRING,
	IMSD_FILTER_BOOL,
	IMSD_FILTER_INT
} imsd_filter_type;

typedef struct imsd_image_filter {
	const char *key; /* an image object member, from a fixed list */
	imsd_filter_type type;
	const char *value; /* already validated for type */
} imsd_image_filter;

#define IMSD_MAX_FILTERS 24

typedef struct imsd_image_query {
	const char *id, *name, *imagetype, *status, *visibility, *owner, *eps;
	const char *marker;
	const char *tag_key, *tag_value; /* tag=key.value */
	imsd_image_filter filters[IMSD_MAX_FILTERS];
	size_t n_filters;
	int64_t limit;
	const char *sort_column; /* "seq", "name", "id", "size", "status" */
	int ascending;
} imsd_image_query;

/* Append {"images":[...]} for the query to out. */
int imsd_image_list(imsd_db *db, const char *region, const imsd_image_query *q, double now,
                    hwims_buf *out, hwims_error *err);

/* Append to arr one EPS resource object per visible image of owner (in
 * region, named project_name) bound to enterprise project eps. */
int imsd_image_eps_resources(imsd_db *db, const char *region, const char *owner, const char *eps,
                             double now, json_t *arr, hwims_error *err);

/* Insert the seed's images (first start only), filling realistic defaults
 * for the members the seed leaves out. */
int imsd_images_import_seed(imsd_db *db, const imsd_seed *seed, hwims_error *err);

#endif
