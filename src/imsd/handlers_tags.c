/* handlers_tags.c - GET v2/{project_id}/images/{id}/tags and POST .../tags/action. */
#include "handlers.h"

#include <string.h>

#include "validate.h"

/* Project and image checks shared by both calls; 0 when the image may be tagged. */
static int tag_target(imsd_ctx *c, imsd_image *img)
{
	if (strcmp(c->route->project_id, c->route->region->project_id) != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0067",
		                       "The project ID %.*s is incorrect for region %s.",
		                       IMSD_EXCERPT, c->route->project_id, c->route->region->name);
		return -1;
	}
	return imsd_find_route_image(c, img);
}

void imsd_handle_tags_get(imsd_ctx *c)
{
	imsd_image img = {0};
	hwims_error err;

	if (tag_target(c, &img))
		return;
	json_t *o = imsd_tags_json(c->db, img.id, &err);
	if (o)
		imsd_respond_object(c->resp, 200, o);
	else
		imsd_internal_error(c, &err);
	json_decref(o);
	imsd_image_clear(&img);
}

/* Check the tag list; on a bad one answers and returns -1. */
static int check_tags(imsd_ctx *c, json_t *tags, int create)
{
	const imsd_seed *seed = c->app->seed;
	static const char *const members[] = {"key", "value", NULL};
	json_t *t;
	size_t i;
	char msg[IMSD_CHECK_MESSAGE_SIZE];
	const char *code;

	if (!json_is_array(tags) || json_array_size(tags) == 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: tags must be a "
		                       "non-empty array.");
		return -1;
	}
	json_array_foreach(tags, i, t)
	{
		int bad = 0;
		if (!json_is_object(t)) {
			imsd_respond_ims_error(
			    c->resp, 400, "IMG.0115",
			    "Invalid tag: each tag must be an object with key and "
			    "value.");
			return -1;
		}
		if (imsd_reject_unknown(c, t, members))
			return -1;
		const char *k = imsd_member_str(c, t, "key", &bad);
		const char *v = bad ? NULL : imsd_member_str(c, t, "value", &bad);
		if (bad)
			return -1;
		if (!k || (create && !v)) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0115",
			                       "Invalid tag: key%s is required.",
			                       create ? " and value" : "");
			return -1;
		}
		code = imsd_check_tag(k, v ? v : "", create, seed->tag_key_max, seed->tag_value_max,
		                      msg, sizeof(msg));
		if (code) {
			imsd_respond_ims_error(c->resp, 400, code, "%s", msg);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(
			        json_string_value(json_object_get(json_array_get(tags, j), "key")),
			        k) == 0) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0115",
				                       "Invalid tag: the key %.*s is repeated.",
				                       IMSD_EXCERPT, k);
				return -1;
			}
		}
	}
	return 0;
}

void imsd_handle_tags_action(imsd_ctx *c)
{
	static const char *const members[] = {"action", "tags", NULL};
	json_t *body = imsd_body_json(c, 0), *tags, *t;
	imsd_image img = {0};
	hwims_error err;
	const char *action;
	int bad = 0, create;
	int64_t count = 0, added = 0;
	size_t i;

	if (!body || imsd_reject_unknown(c, body, members))
		goto done;
	action = imsd_member_str(c, body, "action", &bad);
	if (bad)
		goto done;
	if (!action || (strcmp(action, "create") != 0 && strcmp(action, "delete") != 0)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: action must be "
		                       "create or delete.");
		goto done;
	}
	create = strcmp(action, "create") == 0;
	tags = json_object_get(body, "tags");
	if (check_tags(c, tags, create) || tag_target(c, &img))
		goto done;
	if (strcmp(img.owner, c->route->region->project_id) != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0047",
		                       "Only the owner of image %s can tag it.", img.id);
		goto done;
	}
	if (imsd_db_begin(c->db, &err))
		goto fail;
	if (create) {
		if (imsd_tags_count(c->db, img.id, &count, &err))
			goto fail;
		json_array_foreach(tags, i, t)
		{
			const char *k = json_string_value(json_object_get(t, "key"));
			int exists = imsd_tag_exists(c->db, img.id, k, &err);
			if (exists < 0)
				goto fail;
			added += !exists;
		}
		if (count + added > c->app->seed->tag_max) {
			imsd_db_rollback(c->db);
			imsd_respond_ims_error(c->resp, 400, "IMG.0116",
			                       "Too many tags: an image can have at most %d tags.",
			                       c->app->seed->tag_max);
			goto done;
		}
	}
	json_array_foreach(tags, i, t)
	{
		const char *k = json_string_value(json_object_get(t, "key"));
		json_t *v = json_object_get(t, "value");
		if (create ? imsd_tag_put(c->db, img.id, k, json_string_value(v), &err)
		           : imsd_tag_delete(c->db, img.id, k, &err))
			goto fail;
	}
	if (imsd_db_commit(c->db, &err))
		goto fail;
	imsd_respond_json(c->resp, 204, NULL);
	goto done;
fail:
	imsd_db_rollback(c->db);
	imsd_internal_error(c, &err);
done:
	imsd_image_clear(&img);
	json_decref(body);
}
