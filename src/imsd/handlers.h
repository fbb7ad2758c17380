/*
 * handlers.h - one function per API operation, and what they share. A
 * handler always fills ctx->resp; it never fails otherwise.
 */
#ifndef IMSD_HANDLERS_H
#define IMSD_HANDLERS_H

#include <jansson.h>

#include "images.h"
#include "imsd.h"
#include "jobs.h"
#include "router.h"
#include "tags.h"

/* How much of a value the client sent an error message quotes back, as printf precision
 * ("%.*s"): enough to recognise it, never a whole (possibly long) body or query value. Enum-like
 * values get the short one. */
#define IMSD_EXCERPT       64
#define IMSD_EXCERPT_SHORT 32

typedef struct imsd_ctx {
	imsd_app *app;
	const imsd_request *req;
	const imsd_route *route;
	imsd_response *resp;
	imsd_db *db; /* borrowed connection for this request */
	double now;
	const char *query; /* raw query string without '?', or NULL */
} imsd_ctx;

/* handlers_common.c */
/* Parse the body as JSON: an object (want_array 0) or an array (1). On
 * failure answers 400 (IMG.0007 empty, IMG.0001 malformed/wrong type) and
 * returns NULL. Caller decrefs. */
json_t *imsd_body_json(imsd_ctx *c, int want_array);
/* Answer 400 IMG.0001 and return 1 when obj has a member not in allowed
 * (NULL-terminated); else 0. */
int imsd_reject_unknown(imsd_ctx *c, json_t *obj, const char *const *allowed);
/* The string member key of obj: NULL if absent or null; answers 400 IMG.0001
 * and sets *bad when present with another type. */
const char *imsd_member_str(imsd_ctx *c, json_t *obj, const char *key, int *bad);
/* Answer 500 for an internal error (the message is logged, not sent). */
void imsd_internal_error(imsd_ctx *c, const hwims_error *err);
/* The image the route names (route->image_id), visible in the route's region, into *img
 * (caller clears with imsd_image_clear). Returns 0; or answers 404 IMG.0027 (no such image) or
 * 500 and returns -1. Shared by PATCH, DELETE and the tag calls. */
int imsd_find_route_image(imsd_ctx *c, imsd_image *img);

/* Iterate the raw query: decodes the next "key=value" into key/val. Returns 1
 * for a parameter, 0 at the end, -1 for a malformed one. */
int imsd_query_next(const char **cursor, char *key, size_t keylen, char *val, size_t vallen);

/* handlers_copy.c */
void imsd_handle_copy(imsd_ctx *c, int cross_region);
/* handlers_jobs.c */
void imsd_handle_job(imsd_ctx *c, int with_progress);
/* handlers_images.c */
void imsd_handle_list_images(imsd_ctx *c);
void imsd_handle_patch_image(imsd_ctx *c);
void imsd_handle_delete_image(imsd_ctx *c);
/* handlers_tags.c */
void imsd_handle_tags_get(imsd_ctx *c);
void imsd_handle_tags_action(imsd_ctx *c);
/* handlers_iam.c */
void imsd_handle_iam_projects(imsd_ctx *c);
void imsd_handle_iam_domains(imsd_ctx *c);
/* POST v3.0/OS-CREDENTIAL/securitytokens with the assume_role method: 201 and temporary
   credentials for a seeded agency of the seed's domain (404 otherwise), living duration_seconds
   (default 900; security_tokens.min_duration_seconds of the seed up to 86400, else 400). */
void imsd_handle_iam_securitytokens(imsd_ctx *c);
/* The ECS metadata service's GET openstack/latest/securitykey: temporary credentials living
   the seed's security_tokens.metadata_duration_seconds. Unauthenticated, as the real one. */
void imsd_handle_metadata_securitykey(imsd_ctx *c);
/* handlers_eps.c */
void imsd_handle_eps_list(imsd_ctx *c);
void imsd_handle_eps_migrate(imsd_ctx *c);
void imsd_handle_eps_filter(imsd_ctx *c);
/* handlers_admin.c */
void imsd_handle_admin_faults(imsd_ctx *c);

#endif
