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

/* The effective status of a row (copies derive it from the clock, ?1 being "now"). */
#define IMSD_STATUS_SQL                                                                            \
	"CASE WHEN ready_at IS NULL THEN status WHEN ?1 < init_end THEN 'queued' "                 \
	"WHEN ?1 < ready_at THEN 'saving' ELSE 'active' END"

/* How a condition's value is bound: as text, or as an integer (booleans are 1/0, which is what
 * json_extract gives for JSON true/false). */
typedef enum imsd_bind { IMSD_BIND_TEXT, IMSD_BIND_INT } imsd_bind;

/* One condition of a query: "lhs op ?". lhs and op are SQL text from the fixed tables of
 * handlers_images.c (never from the request), so the SQL text of a query depends only on which
 * conditions it has and the statement cache stays bounded; value is bound. */
typedef struct imsd_image_cond {
	const char *param; /* the query parameter it came from: a repeated one replaces it */
	const char *lhs;   /* a column or an expression over the row (status, doc, ...) */
	const char *op;    /* "=", "!=", "<", "<=", ">", ">=" */
	imsd_bind bind;
	const char *value;
} imsd_image_cond;

#define IMSD_MAX_CONDS 64

typedef struct imsd_image_query {
	imsd_image_cond conds[IMSD_MAX_CONDS];
	size_t n_conds;
	const char *tag_key, *tag_value; /* tag=key.value: the image has this tag */
	const char *marker;              /* a visible image of the region (checked by the caller) */
	int64_t limit;
	const char *sort_expr; /* SQL from a fixed table; NULL: creation order (seq) */
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
