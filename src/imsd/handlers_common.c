/* handlers_common.c - what the handlers share: body parsing, image lookup, query iteration. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

json_t *imsd_body_json(imsd_ctx *c, int want_array)
{
	const imsd_request *req = c->req;
	json_error_t jerr;
	json_t *v;
	size_t i = 0;

	while (i < req->body_len && (req->body[i] == ' ' || req->body[i] == '\t' ||
	                             req->body[i] == '\r' || req->body[i] == '\n'))
		i++;
	if (i == req->body_len) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0007", "The request body is empty.");
		return NULL;
	}
	/* jansson refuses invalid UTF-8, NUL in strings and (with the flag) duplicate keys. */
	v = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: %s (line %d, column "
		                       "%d).",
		                       jerr.text, jerr.line, jerr.column);
		return NULL;
	}
	if (want_array ? !json_is_array(v) : !json_is_object(v)) {
		json_decref(v);
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: the body must be a "
		                       "JSON %s.",
		                       want_array ? "array" : "object");
		return NULL;
	}
	return v;
}

int imsd_reject_unknown(imsd_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		int ok = 0;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				ok = 1;
		if (!ok) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0001",
			                       "The request message format is invalid: unknown "
			                       "parameter \"%.*s\".",
			                       IMSD_EXCERPT, key);
			return 1;
		}
	}
	return 0;
}

const char *imsd_member_str(imsd_ctx *c, json_t *obj, const char *key, int *bad)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: \"%s\" must be a "
		                       "string.",
		                       key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

void imsd_internal_error(imsd_ctx *c, const hwims_error *err)
{
	fprintf(stderr, "imsd: internal error (request %s): %s\n",
	        c->req->request_id ? c->req->request_id : "-", err ? err->message : "unknown");
	imsd_respond_ims_error(c->resp, 500, "IMG.0200",
	                       "An internal error occurred in the image service.");
}

int imsd_find_route_image(imsd_ctx *c, imsd_image *img)
{
	hwims_error err;
	int found =
	    imsd_image_get(c->db, c->route->region->name, c->route->image_id, c->now, img, &err);

	if (found < 0) {
		imsd_internal_error(c, &err);
		return -1;
	}
	if (found == 0) {
		const imsd_seed *seed = c->app->seed;
		imsd_respond_ims_error(c->resp, seed->missing_image_status,
		                       seed->missing_image_code,
		                       "The image ID %.*s in the request does not exist.",
		                       IMSD_EXCERPT, c->route->image_id);
		return -1;
	}
	return 0;
}

int imsd_query_next(const char **cursor, char *key, size_t keylen, char *val, size_t vallen)
{
	const char *p = *cursor;

	while (p && *p == '&')
		p++;
	if (!p || !*p) {
		*cursor = p;
		return 0;
	}
	const char *end = strchr(p, '&');
	size_t len = end ? (size_t)(end - p) : strlen(p);
	const char *eq = memchr(p, '=', len);
	size_t klen = eq ? (size_t)(eq - p) : len;

	*cursor = p + len;
	if (imsd_percent_decode(p, klen, key, keylen, 1) < 0)
		return -1;
	if (!eq) {
		val[0] = '\0';
		return 1;
	}
	if (imsd_percent_decode(eq + 1, len - klen - 1, val, vallen, 1) < 0)
		return -1;
	return 1;
}
