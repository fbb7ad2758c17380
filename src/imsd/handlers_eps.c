/* handlers_eps.c - EPS: list enterprise projects, resources-migrate, resources/filter. */
#include "handlers.h"

#include "eps_moves.h"

#include <string.h>

/* The largest page of resources/filter, and its size when the request names none (as the
 * service). */
#define EPS_PAGE_MAX 1000

/* EPS answers its own error shape; parse failures of the IMS helpers would use IMS's, so
 * EPS bodies are parsed here. */
static json_t *eps_body(imsd_ctx *c)
{
	json_error_t jerr;
	json_t *v = c->req->body_len
	                ? json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &jerr)
	                : NULL;

	if (!json_is_object(v)) {
		json_decref(v);
		imsd_respond_eps_error(c->resp, 400, "EPS.0001",
		                       "The request body is missing or is not a JSON object.");
		return NULL;
	}
	return v;
}

static int eps_unknown(imsd_ctx *c, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i]) {
			imsd_respond_eps_error(c->resp, 400, "EPS.0001", "Unknown parameter %.*s.",
			                       IMSD_EXCERPT, key);
			return 1;
		}
	}
	return 0;
}

/* The body of a call on the route's enterprise project (migrate, filter): NULL once it has
 * answered 404 EPS.0004 (no such project) or 400 EPS.0001 (no JSON object, or a member not in
 * allowed); else the body, which the caller decrefs. */
static json_t *eps_request(imsd_ctx *c, const char *const *allowed)
{
	json_t *body;

	if (!imsd_seed_eps(c->app->seed, c->route->eps_id)) {
		imsd_respond_eps_error(c->resp, 404, "EPS.0004",
		                       "The enterprise project %.*s does not exist.", IMSD_EXCERPT,
		                       c->route->eps_id);
		return NULL;
	}
	if (!(body = eps_body(c)))
		return NULL;
	if (eps_unknown(c, body, allowed)) {
		json_decref(body);
		return NULL;
	}
	return body;
}

void imsd_handle_eps_list(imsd_ctx *c)
{
	const imsd_seed *seed = c->app->seed;
	json_t *list = json_array(), *out;

	for (size_t i = 0; list && i < seed->n_eps; i++) {
		json_array_append_new(list,
		                      json_pack("{s:s,s:s,s:s,s:i,s:s}", "id", seed->eps[i].id,
		                                "name", seed->eps[i].name, "description", "",
		                                "status", 1, "type", "prod"));
	}
	out = json_pack("{s:o,s:i}", "enterprise_projects", list, "total_count", (int)seed->n_eps);
	imsd_respond_object(c->resp, 200, out);
	json_decref(out);
}

void imsd_handle_eps_migrate(imsd_ctx *c)
{
	static const char *const members[] = {"resource_type", "resource_id", "project_id",
	                                      "region_id",     "associated",  NULL};
	const imsd_seed *seed = c->app->seed;
	json_t *body = NULL;
	imsd_image img = {0};
	hwims_error err;
	const imsd_region *region;
	json_t *type, *id, *project, *assoc;
	int found;

	if (!(body = eps_request(c, members)))
		goto done;
	type = json_object_get(body, "resource_type");
	id = json_object_get(body, "resource_id");
	project = json_object_get(body, "project_id");
	assoc = json_object_get(body, "associated");
	if (!json_is_string(type) || !json_is_string(id) || !json_is_string(project) ||
	    (json_object_get(body, "region_id") &&
	     !json_is_string(json_object_get(body, "region_id"))) ||
	    (assoc && !json_is_boolean(assoc))) {
		imsd_respond_eps_error(
		    c->resp, 400, "EPS.0001",
		    "resource_type, resource_id and project_id must be strings.");
		goto done;
	}
	if (strcmp(json_string_value(type), "images") != 0) {
		imsd_respond_eps_error(c->resp, 400, "EPS.0001",
		                       "The resource type %.*s is not supported.",
		                       IMSD_EXCERPT_SHORT, json_string_value(type));
		goto done;
	}
	region = imsd_seed_region_by_project(seed, json_string_value(project));
	found = region
	            ? imsd_image_get(c->db, region->name, json_string_value(id), c->now, &img, &err)
	            : 0;
	if (found < 0) {
		imsd_internal_error(c, &err);
		goto done;
	}
	if (found == 0 || strcmp(img.owner, region->project_id) != 0) {
		imsd_respond_eps_error(
		    c->resp, 400, "EPS.0005", "The resource %.*s does not exist in project %.*s.",
		    IMSD_EXCERPT, json_string_value(id), IMSD_EXCERPT, json_string_value(project));
		goto done;
	}
	/* region_id names where the resource is: EPS looks for it there */
	const char *region_id = json_string_value(json_object_get(body, "region_id"));
	if (region_id && strcmp(region_id, region->name) != 0) {
		imsd_respond_eps_error(
		    c->resp, 400, "EPS.0005", "The resource %.*s does not exist in region %.*s.",
		    IMSD_EXCERPT, json_string_value(id), IMSD_EXCERPT_SHORT, region_id);
		goto done;
	}
	/* Accepted now, in effect later (eps_moves.h). */
	if (imsd_eps_move_add(c->db, img.id, c->route->eps_id,
	                      c->now + seed->eps_migration_s / c->app->time_scale, &err)) {
		imsd_internal_error(c, &err);
		goto done;
	}
	imsd_respond_json(c->resp, 204, NULL);
done:
	imsd_image_clear(&img);
	json_decref(body);
}

void imsd_handle_eps_filter(imsd_ctx *c)
{
	static const char *const members[] = {"limit",   "offset",         "projects",
	                                      "matches", "resource_types", NULL};
	const imsd_seed *seed = c->app->seed;
	json_t *body = NULL, *all = NULL, *page = NULL, *p, *projects, *types;
	hwims_error err;
	json_int_t limit = EPS_PAGE_MAX, offset = 0;
	size_t i;

	if (!(body = eps_request(c, members)))
		goto done;
	projects = json_object_get(body, "projects");
	types = json_object_get(body, "resource_types");
	if ((json_object_get(body, "limit") && !json_is_integer(json_object_get(body, "limit"))) ||
	    (json_object_get(body, "offset") &&
	     !json_is_integer(json_object_get(body, "offset"))) ||
	    (projects && !json_is_array(projects)) || !json_is_array(types)) {
		imsd_respond_eps_error(c->resp, 400, "EPS.0001",
		                       "limit/offset must be integers, projects and resource_types "
		                       "arrays.");
		goto done;
	}
	if (json_object_get(body, "limit"))
		limit = json_integer_value(json_object_get(body, "limit"));
	if (json_object_get(body, "offset"))
		offset = json_integer_value(json_object_get(body, "offset"));
	if (limit < 1 || limit > EPS_PAGE_MAX || offset < 0) {
		imsd_respond_eps_error(c->resp, 400, "EPS.0001",
		                       "limit must be 1 to %d and offset not negative.",
		                       EPS_PAGE_MAX);
		goto done;
	}
	all = json_array();
	int want_images = 0;
	json_array_foreach(types, i, p) want_images |=
	    json_is_string(p) && strcmp(json_string_value(p), "images") == 0;
	for (size_t r = 0; all && want_images && r < seed->n_regions; r++) {
		const imsd_region *reg = &seed->regions[r];
		int wanted = !projects || json_array_size(projects) == 0;
		json_array_foreach(projects, i, p) wanted |=
		    json_is_string(p) && strcmp(json_string_value(p), reg->project_id) == 0;
		if (wanted && imsd_image_eps_resources(c->db, reg->name, reg->project_id,
		                                       c->route->eps_id, c->now, all, &err)) {
			imsd_internal_error(c, &err);
			goto done;
		}
	}
	page = json_array();
	for (size_t k = (size_t)offset;
	     all && page && k < json_array_size(all) && k < (size_t)offset + (size_t)limit; k++)
		json_array_append(page, json_array_get(all, k));
	json_t *out = json_pack("{s:O,s:I,s:[]}", "resources", page, "total_count",
	                        (json_int_t)json_array_size(all), "errors");
	imsd_respond_object(c->resp, 200, out);
	json_decref(out);
done:
	json_decref(page);
	json_decref(all);
	json_decref(body);
}
