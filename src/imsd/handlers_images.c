/* handlers_images.c - GET v2/cloudimages, PATCH v2/cloudimages/{id}, DELETE v2/images/{id}. */
#include "handlers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define MAX_LIMIT     1000
#define DEFAULT_LIMIT 500

/* Query parameters filtering on an image member, and the member's JSON type. */
static const struct {
	const char *name;
	imsd_filter_type type;
} FILTERS[] = {
    {"__isregistered", IMSD_FILTER_STRING},
    {"__whole_image", IMSD_FILTER_BOOL},
    {"__system__cmkid", IMSD_FILTER_STRING},
    {"protected", IMSD_FILTER_BOOL},
    {"container_format", IMSD_FILTER_STRING},
    {"disk_format", IMSD_FILTER_STRING},
    {"min_ram", IMSD_FILTER_INT},
    {"min_disk", IMSD_FILTER_INT},
    {"__os_bit", IMSD_FILTER_STRING},
    {"__os_type", IMSD_FILTER_STRING},
    {"__platform", IMSD_FILTER_STRING},
    {"__support_kvm", IMSD_FILTER_STRING},
    {"__support_xen", IMSD_FILTER_STRING},
    {"__support_largememory", IMSD_FILTER_STRING},
    {"__support_diskintensive", IMSD_FILTER_STRING},
    {"__support_highperformance", IMSD_FILTER_STRING},
    {"__support_xen_gpu_type", IMSD_FILTER_STRING},
    {"__support_kvm_gpu_type", IMSD_FILTER_STRING},
    {"__support_xen_hana", IMSD_FILTER_STRING},
    {"__support_kvm_infiniband", IMSD_FILTER_STRING},
    {"virtual_env_type", IMSD_FILTER_STRING},
    {"architecture", IMSD_FILTER_STRING},
};

static int one_of(const char *v, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strcmp(v, set[i]) == 0)
			return 1;
	return 0;
}

static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	if (!*s || strlen(s) > 19)
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Query values are kept in one arena so the query struct can point into it. */
#define ARENA 8192

void imsd_handle_list_images(imsd_ctx *c)
{
	static const char *const imagetypes[] = {"gold", "private", "shared", "market", NULL};
	static const char *const statuses[] = {"queued", "saving", "deleted",
	                                       "killed", "active", NULL};
	static const char *const visibilities[] = {"public", "private", "shared", NULL};
	static const char *const sort_keys[] = {"name", "id", "size", "status", "created_at", NULL};
	char arena[ARENA];
	size_t used = 0;
	char key[256], val[2048];
	const char *cur = c->query;
	imsd_image_query q;
	hwims_error err;
	int rc;

	memset(&q, 0, sizeof(q));
	q.limit = DEFAULT_LIMIT;
	while ((rc = imsd_query_next(&cur, key, sizeof(key), val, sizeof(val))) == 1) {
		size_t vlen = strlen(val) + 1;
		if (used + vlen > sizeof(arena)) {
			imsd_respond_ims_error(
			    c->resp, 400, "IMG.0001",
			    "The request message format is invalid: the query is "
			    "too long.");
			return;
		}
		char *v = memcpy(arena + used, val, vlen);
		used += vlen;
		long long n;

		if (strcmp(key, "id") == 0) {
			q.id = v;
		} else if (strcmp(key, "name") == 0) {
			q.name = v;
		} else if (strcmp(key, "__imagetype") == 0) {
			if (!one_of(v, imagetypes)) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0024",
				                       "The imagetype is invalid.");
				return;
			}
			q.imagetype = v;
		} else if (strcmp(key, "status") == 0) {
			if (!one_of(v, statuses)) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0001",
				                       "The image status %.32s is invalid.", v);
				return;
			}
			q.status = v;
		} else if (strcmp(key, "visibility") == 0) {
			if (!one_of(v, visibilities)) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0001",
				                       "The visibility %.32s is invalid.", v);
				return;
			}
			q.visibility = v;
		} else if (strcmp(key, "owner") == 0) {
			q.owner = v;
		} else if (strcmp(key, "enterprise_project_id") == 0) {
			q.eps = strcmp(v, "all_granted_eps") == 0 ? NULL : v;
		} else if (strcmp(key, "marker") == 0) {
			q.marker = v;
		} else if (strcmp(key, "limit") == 0) {
			if (parse_int(v, 1, MAX_LIMIT, &n)) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0001",
				                       "The limit must be an integer from 1 to %d.",
				                       MAX_LIMIT);
				return;
			}
			q.limit = n;
		} else if (strcmp(key, "sort_key") == 0) {
			if (!one_of(v, sort_keys)) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0001",
				                       "The sort_key %.32s is invalid.", v);
				return;
			}
			q.sort_column = strcmp(v, "created_at") == 0 ? "seq" : v;
		} else if (strcmp(key, "sort_dir") == 0) {
			if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0) {
				imsd_respond_ims_error(c->resp, 400, "IMG.0001",
				                       "The sort_dir must be asc or desc.");
				return;
			}
			q.ascending = strcmp(v, "asc") == 0;
		} else if (strcmp(key, "tag") == 0) {
			char *dot = strchr(v, '.');
			if (dot)
				*dot = '\0';
			q.tag_key = v;
			q.tag_value = dot ? dot + 1 : "";
		} else {
			for (size_t i = 0; i < sizeof(FILTERS) / sizeof(FILTERS[0]); i++) {
				if (strcmp(key, FILTERS[i].name) != 0)
					continue;
				if ((FILTERS[i].type == IMSD_FILTER_BOOL &&
				     strcmp(v, "true") != 0 && strcmp(v, "false") != 0) ||
				    (FILTERS[i].type == IMSD_FILTER_INT &&
				     parse_int(v, 0, 10000000, &n))) {
					imsd_respond_ims_error(c->resp, 400, "IMG.0001",
					                       "The value of %s is invalid.",
					                       FILTERS[i].name);
					return;
				}
				/* A repeated parameter replaces the earlier one. */
				size_t k = 0;
				while (k < q.n_filters && q.filters[k].key != FILTERS[i].name)
					k++;
				if (k == q.n_filters) {
					if (q.n_filters == IMSD_MAX_FILTERS)
						break;
					q.n_filters++;
				}
				q.filters[k].key = FILTERS[i].name;
				q.filters[k].type = FILTERS[i].type;
				q.filters[k].value = v;
			}
			/* Other parameters (flavor_id, member_status, created_at ...) are
			 * accepted and do not filter here. */
		}
	}
	if (rc < 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: malformed query "
		                       "string.");
		return;
	}
	imsd_respond_json(c->resp, 200, NULL);
	if (imsd_image_list(c->db, c->route->region->name, &q, c->now, &c->resp->body, &err))
		imsd_internal_error(c, &err);
}

static const char *const PATCHABLE[] = {"/name",
                                        "/__description",
                                        "/min_ram",
                                        "/max_ram",
                                        "/enterprise_project_id",
                                        "/__support_kvm",
                                        "/__support_xen",
                                        "/__support_largememory",
                                        "/__support_diskintensive",
                                        "/__support_highperformance",
                                        "/__support_xen_gpu_type",
                                        "/__support_kvm_gpu_type",
                                        "/__support_xen_hana",
                                        "/__support_kvm_infiniband",
                                        "/__support_fc_inject",
                                        "/__support_amd",
                                        "/__support_kvm_hi1822_hisriov",
                                        "/__support_kvm_hi1822_hivirtionet",
                                        "/__is_config_init",
                                        "/hw_vif_multiqueue_enabled",
                                        "/hw_firmware_type",
                                        NULL};

/* RAM bounds in MB: a number, or a string of digits as some clients send. */
static int ram_value(json_t *v, long long *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
	} else if (json_is_string(v)) {
		if (parse_int(json_string_value(v), 0, 1048576, out))
			return -1;
	} else {
		return -1;
	}
	return *out < 0 || *out > 1048576 ? -1 : 0;
}

/* What the value of a patchable member must be. */
typedef enum value_rule {
	RULE_TEXT,        /* any string */
	RULE_NAME,        /* an image name (imsd_check_name) */
	RULE_DESCRIPTION, /* a description (imsd_check_description) */
	RULE_RAM,         /* MB, a number or a string of digits (ram_value) */
	RULE_EPS,         /* a seeded enterprise project */
	RULE_FIRMWARE,    /* "bios" or "uefi" */
	RULE_FLAG         /* "true" or "false", as a string */
} value_rule;

static value_rule rule_of(const char *member)
{
	static const struct {
		const char *member;
		value_rule rule;
	} rules[] = {{"name", RULE_NAME},
	             {"__description", RULE_DESCRIPTION},
	             {"min_ram", RULE_RAM},
	             {"max_ram", RULE_RAM},
	             {"enterprise_project_id", RULE_EPS},
	             {"hw_firmware_type", RULE_FIRMWARE},
	             {"hw_vif_multiqueue_enabled", RULE_FLAG},
	             {"__is_config_init", RULE_FLAG}};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(member, rules[i].member) == 0)
			return rules[i].rule;
	/* The __support_ features are flags, except the GPU types, which name one. */
	if (strncmp(member, "__support_", 10) == 0 && !strstr(member, "gpu_type"))
		return RULE_FLAG;
	return RULE_TEXT;
}

/* The op and path of one operation, checked for shape, operation and patchability; on a bad
 * one answers and returns -1. */
static int parse_op(imsd_ctx *c, json_t *op, const char **o, const char **path)
{
	static const char *const members[] = {"op", "path", "value", NULL};
	static const char *const ops[] = {"add", "replace", "remove", NULL};
	int bad = 0;

	if (!json_is_object(op)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: each operation must "
		                       "be an object.");
		return -1;
	}
	if (imsd_reject_unknown(c, op, members))
		return -1;
	*o = imsd_member_str(c, op, "op", &bad);
	*path = bad ? NULL : imsd_member_str(c, op, "path", &bad);
	if (bad)
		return -1;
	if (!*o || !one_of(*o, ops)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: op must be add, "
		                       "replace or remove.");
		return -1;
	}
	if (!*path || !one_of(*path, PATCHABLE)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The attribute %.*s cannot be modified.", IMSD_EXCERPT,
		                       *path ? *path : "");
		return -1;
	}
	return 0;
}

static int remove_member(imsd_ctx *c, json_t *doc, const char *path, int exists)
{
	/* What every image has, so what cannot go. */
	static const char *const required[] = {"/name", "/min_ram", "/enterprise_project_id", NULL};

	if (one_of(path, required)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The attribute %s cannot be removed.", path);
		return -1;
	}
	if (!exists) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0035",
		                       "Attribute conflict: the image has no %s.", path);
		return -1;
	}
	json_object_del(doc, path + 1);
	return 0;
}

static int set_ram(imsd_ctx *c, json_t *doc, const char *path, json_t *value)
{
	const char *member = path + 1;
	char digits[32];
	long long n;

	if (ram_value(value, &n)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0055", "The memory size %s is invalid.",
		                       path);
		return -1;
	}
	snprintf(digits, sizeof(digits), "%lld", n);
	/* min_ram is served as a number, max_ram as a string (what clients expect). */
	json_object_set_new(doc, member,
	                    strcmp(member, "min_ram") == 0 ? json_integer(n) : json_string(digits));
	return 0;
}

/* Check string value s of path against rule; on a bad one answers and returns -1. */
static int check_text(imsd_ctx *c, value_rule rule, const char *path, const char *s)
{
	const char *code = NULL;
	char msg[IMSD_CHECK_MESSAGE_SIZE];

	switch (rule) {
	case RULE_NAME:
		code = imsd_check_name(s, msg, sizeof(msg));
		break;
	case RULE_DESCRIPTION:
		code = imsd_check_description(s, msg, sizeof(msg));
		break;
	case RULE_EPS:
		if (imsd_seed_eps(c->app->seed, s))
			return 0;
		imsd_respond_ims_error(c->resp, 400, "IMG.0155",
		                       "The enterprise project ID %.*s failed the check.",
		                       IMSD_EXCERPT, s);
		return -1;
	case RULE_FIRMWARE:
		if (strcmp(s, "bios") == 0 || strcmp(s, "uefi") == 0)
			return 0;
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "hw_firmware_type must be bios or uefi.");
		return -1;
	case RULE_FLAG:
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
			return 0;
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The value of %s must be \"true\" or \"false\".", path);
		return -1;
	case RULE_TEXT:
	case RULE_RAM:
		break;
	}
	if (code) {
		imsd_respond_ims_error(c->resp, 400, code, "%s", msg);
		return -1;
	}
	return 0;
}

/* Apply one operation to doc; on a bad one answers and returns -1. */
static int apply_op(imsd_ctx *c, json_t *doc, json_t *op)
{
	const char *o, *path, *member;
	json_t *value = json_object_get(op, "value");
	value_rule rule;

	if (parse_op(c, op, &o, &path))
		return -1;
	member = path + 1;
	rule = rule_of(member);
	int exists =
	    json_object_get(doc, member) != NULL && !json_is_null(json_object_get(doc, member));
	if (strcmp(o, "remove") == 0)
		return remove_member(c, doc, path, exists);
	if (!value) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: value is required.");
		return -1;
	}
	if (strcmp(o, "replace") == 0 && !exists) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0035",
		                       "Attribute conflict: the image has no %s to replace.", path);
		return -1;
	}
	if (rule == RULE_RAM)
		return set_ram(c, doc, path, value);
	if (!json_is_string(value)) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0001",
		    "The request message format is invalid: the value of %s must "
		    "be a string.",
		    path);
		return -1;
	}
	if (check_text(c, rule, path, json_string_value(value)))
		return -1;
	json_object_set_new(doc, member, json_string(json_string_value(value)));
	return 0;
}

void imsd_handle_patch_image(imsd_ctx *c)
{
	json_t *body = imsd_body_json(c, 1), *doc = NULL, *op;
	imsd_image img = {0};
	hwims_error err;
	size_t i;
	char now[32];

	if (!body || imsd_find_route_image(c, &img))
		goto done;
	if (json_array_size(body) == 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0007", "The request body is empty.");
		goto done;
	}
	if (strcmp(img.owner, c->route->region->project_id) != 0 ||
	    strcmp(img.imagetype, "private") != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0047",
		                       "Only the owner of image %s can modify it.", img.id);
		goto done;
	}
	if (strcmp(img.status, "active") != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0046",
		                       "The image %s is unavailable (status %s).", img.id,
		                       img.status);
		goto done;
	}
	/* All operations apply to a copy, stored only if every one is valid. */
	doc = json_deep_copy(img.doc);
	if (!doc) {
		imsd_internal_error(c, NULL);
		goto done;
	}
	json_array_foreach(body, i, op)
	{
		if (apply_op(c, doc, op))
			goto done;
	}
	long long min_ram = json_integer_value(json_object_get(doc, "min_ram"));
	json_t *mx = json_object_get(doc, "max_ram");
	long long max_ram = json_is_string(mx) ? strtoll(json_string_value(mx), NULL, 10) : 0;
	if (max_ram > 0 && min_ram > max_ram) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0055",
		    "The minimum memory (%lld MB) exceeds the maximum memory (%lld "
		    "MB).",
		    min_ram, max_ram);
		goto done;
	}
	imsd_format_time(c->now, now, sizeof(now));
	json_object_set_new(doc, "updated_at", json_string(now));
	if (imsd_image_update(c->db, &img, doc, &err)) {
		imsd_internal_error(c, &err);
		goto done;
	}
	imsd_respond_object(c->resp, 200, doc);
done:
	json_decref(doc);
	imsd_image_clear(&img);
	json_decref(body);
}

void imsd_handle_delete_image(imsd_ctx *c)
{
	imsd_image img = {0};
	hwims_error err;

	/* An optional body {"delete_backup": bool}; Terraform sends none. */
	if (c->req->body_len > 0) {
		static const char *const members[] = {"delete_backup", NULL};
		json_t *body = imsd_body_json(c, 0);
		if (!body)
			return;
		json_t *db = json_object_get(body, "delete_backup");
		if (imsd_reject_unknown(c, body, members)) {
			json_decref(body);
			return;
		}
		if (db && !json_is_boolean(db)) {
			json_decref(body);
			imsd_respond_ims_error(
			    c->resp, 400, "IMG.0001",
			    "The request message format is invalid: delete_backup "
			    "must be a boolean.");
			return;
		}
		json_decref(body);
	}
	if (imsd_find_route_image(c, &img))
		return;
	if (strcmp(img.visibility, "public") == 0 || strcmp(img.imagetype, "gold") == 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0094",
		                       "A public image cannot be deleted.");
	} else if (strcmp(img.owner, c->route->region->project_id) != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0092",
		                       "Only the owner of image %s can delete it.", img.id);
	} else if (json_is_true(json_object_get(img.doc, "protected"))) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0028", "The image %s is protected.",
		                       img.id);
	} else if (strcmp(img.status, "queued") == 0 || strcmp(img.status, "saving") == 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0090",
		                       "The image %s is being created and cannot be deleted.",
		                       img.id);
	} else if (!img.deleting && imsd_image_mark_deleted(
	                                c->db, img.id, c->now + 1.0 / c->app->time_scale, &err)) {
		imsd_internal_error(c, &err);
	} else {
		/* Gone from queries about a second (scaled) later, like the real service. */
		imsd_respond_json(c->resp, 204, NULL);
	}
	imsd_image_clear(&img);
}
