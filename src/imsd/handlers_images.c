/* handlers_images.c - GET v2/cloudimages, PATCH v2/cloudimages/{id}, DELETE v2/images/{id}. */
#include "handlers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

#define MAX_LIMIT     1000
#define DEFAULT_LIMIT 500

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

/* ---- GET v2/cloudimages: the query parameters, table-driven ----
 *
 * Every parameter the data sources (and the CLI) send has a row: how its value is checked and
 * which condition it adds. Values are validated before anything is queried, and a bad one gets
 * the error IMS gives (IMG.0024 for __imagetype, IMG.0001 otherwise). Unknown parameters are
 * ignored, as IMS ignores them. */

/* Query values are kept in one arena so the query struct can point into it. */
#define ARENA 8192

typedef struct list_req {
	imsd_ctx *c;
	imsd_image_query q;
	char arena[ARENA];
	size_t used;
	const char *visibility; /* for member_status, which needs visibility=shared */
	const char *member_status;
} list_req;

struct list_param;
typedef int (*list_parse_fn)(list_req *r, const struct list_param *p, char *v);

typedef struct list_param {
	const char *name;
	list_parse_fn parse;
	const char *lhs;            /* the condition's left-hand side, NULL for special ones */
	const char *const *allowed; /* NULL: any value */
	const char *code;           /* error code of a value not allowed; NULL: IMG.0001 */
} list_param;

static const char *const IMAGETYPES[] = {"gold", "private", "shared", "market", NULL};
static const char *const STATUSES[] = {"queued", "saving", "deleted", "killed", "active", NULL};
static const char *const VISIBILITIES[] = {"public", "private", "shared", NULL};
static const char *const OS_TYPES[] = {"Linux", "Windows", "Other", NULL};
static const char *const OS_BITS[] = {"32", "64", NULL};
static const char *const PLATFORMS[] = {
    "Windows",      "Ubuntu", "RedHat", "SUSE",   "CentOS",  "Debian", "OpenSUSE",
    "Oracle Linux", "Fedora", "Other",  "CoreOS", "EulerOS", NULL};
static const char *const ENV_TYPES[] = {"FusionCompute", "Ironic", "DataImage", "IsoImage", NULL};
static const char *const TRUE_FALSE[] = {"true", "false", NULL};
static const char *const MEMBER_STATUSES[] = {"accepted", "rejected", "pending", NULL};
static const char *const ARCHITECTURES[] = {"x86", "arm", NULL};
static const char *const CONTAINER_FORMATS[] = {"bare", NULL};
static const char *const DISK_FORMATS[] = {"vhd", "zvhd", "zvhd2", "raw", "qcow2", "iso", NULL};

static int list_bad(list_req *r, const char *code, const char *name)
{
	imsd_respond_ims_error(r->c->resp, 400, code ? code : "IMG.0001",
	                       "The value of the query parameter %s is invalid.", name);
	return -1;
}

/* Add (or, for a repeated parameter, replace) a condition. */
static int list_cond(list_req *r, const char *param, const char *lhs, const char *op,
                     imsd_bind bind, const char *value)
{
	size_t k = 0;

	while (k < r->q.n_conds && strcmp(r->q.conds[k].param, param) != 0)
		k++;
	if (k == r->q.n_conds) {
		if (k == IMSD_MAX_CONDS)
			return list_bad(r, NULL, param);
		r->q.n_conds++;
	}
	r->q.conds[k] = (imsd_image_cond){param, lhs, op, bind, value};
	return 0;
}

/* A string compared for equality, from a fixed set when the row has one. */
static int p_eq(list_req *r, const list_param *p, char *v)
{
	if (p->allowed && !one_of(v, p->allowed))
		return list_bad(r, p->code, p->name);
	return list_cond(r, p->name, p->lhs, "=", IMSD_BIND_TEXT, v);
}

/* A JSON boolean member (protected, __whole_image). */
static int p_bool(list_req *r, const list_param *p, char *v)
{
	if (!one_of(v, TRUE_FALSE))
		return list_bad(r, p->code, p->name);
	return list_cond(r, p->name, p->lhs, "=", IMSD_BIND_INT,
	                 strcmp(v, "true") == 0 ? "1" : "0");
}

/* A JSON integer member (min_ram, min_disk). */
static int p_int(list_req *r, const list_param *p, char *v)
{
	long long n;

	if (parse_int(v, 0, 10000000, &n))
		return list_bad(r, p->code, p->name);
	return list_cond(r, p->name, p->lhs, "=", IMSD_BIND_INT, v);
}

static int p_visibility(list_req *r, const list_param *p, char *v)
{
	r->visibility = v;
	return p_eq(r, p, v);
}

/* all_granted_eps (what the data sources send by default) means every enterprise project. */
static int p_eps(list_req *r, const list_param *p, char *v)
{
	if (strcmp(v, "all_granted_eps") == 0) {
		for (size_t k = 0; k < r->q.n_conds; k++)
			if (strcmp(r->q.conds[k].param, p->name) == 0)
				r->q.conds[k] = r->q.conds[--r->q.n_conds];
		return 0;
	}
	return p_eq(r, p, v);
}

static int p_marker(list_req *r, const list_param *p, char *v)
{
	(void)p;
	r->q.marker = v;
	return 0;
}

static int p_limit(list_req *r, const list_param *p, char *v)
{
	long long n;

	if (parse_int(v, 1, MAX_LIMIT, &n)) {
		(void)p;
		imsd_respond_ims_error(r->c->resp, 400, "IMG.0001",
		                       "The limit must be an integer from 1 to %d.", MAX_LIMIT);
		return -1;
	}
	r->q.limit = n;
	return 0;
}

/* sort_key: the SQL each key sorts by (created_at is the creation order). */
static int p_sort_key(list_req *r, const list_param *p, char *v)
{
	static const struct {
		const char *key, *expr;
	} keys[] = {
	    {"name", "name"},
	    {"id", "id"},
	    {"size", "size"},
	    {"status", "status"},
	    {"created_at", "seq"},
	    {"container_format", "json_extract(doc, '$.container_format')"},
	    {"disk_format", "json_extract(doc, '$.disk_format')"},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(v, keys[i].key) == 0) {
			r->q.sort_expr = keys[i].expr;
			return 0;
		}
	}
	return list_bad(r, p->code, p->name);
}

static int p_sort_dir(list_req *r, const list_param *p, char *v)
{
	if (strcmp(v, "asc") != 0 && strcmp(v, "desc") != 0)
		return list_bad(r, p->code, p->name);
	r->q.ascending = strcmp(v, "asc") == 0;
	return 0;
}

/* tag=key.value (the IMS form; the key ends at the first dot). */
static int p_tag(list_req *r, const list_param *p, char *v)
{
	char *dot = strchr(v, '.');

	if (!*v || dot == v)
		return list_bad(r, p->code, p->name);
	if (dot)
		*dot = '\0';
	r->q.tag_key = v;
	r->q.tag_value = dot ? dot + 1 : "";
	return 0;
}

/* architecture: IMS marks arm images with __support_arm=true; every other image is x86. */
static int p_architecture(list_req *r, const list_param *p, char *v)
{
	if (!one_of(v, ARCHITECTURES))
		return list_bad(r, p->code, p->name);
	return list_cond(r, p->name, p->lhs, strcmp(v, "arm") == 0 ? "=" : "!=", IMSD_BIND_TEXT,
	                 "true");
}

static int p_member_status(list_req *r, const list_param *p, char *v)
{
	if (!one_of(v, MEMBER_STATUSES))
		return list_bad(r, p->code, p->name);
	r->member_status = v;
	return list_cond(r, p->name, p->lhs, "=", IMSD_BIND_TEXT, v);
}

static char *list_keep(list_req *r, const char *text)
{
	size_t n = strlen(text) + 1;

	if (r->used + n > sizeof(r->arena))
		return NULL;
	char *v = memcpy(r->arena + r->used, text, n);
	r->used += n;
	return v;
}

/* created_at / updated_at = <op>:<time>, time as 2018-10-28T10:00:00Z or 2018-10-28 10:00:00,
 * compared with the image's RFC 3339 time (same width, so text order is time order). */
static int p_time(list_req *r, const list_param *p, char *v)
{
	static const struct {
		const char *name, *sql;
	} ops[] = {{"gt", ">"},   {"gte", ">="}, {"lt", "<"},
	           {"lte", "<="}, {"eq", "="},   {"neq", "!="}};
	char *colon = strchr(v, ':');
	unsigned y, mo, d, h, mi, sec;
	char sep, z = 'Z', t[32];
	int used = 0;

	if (!colon)
		return list_bad(r, p->code, p->name);
	*colon = '\0';
	const char *when = colon + 1;
	if (sscanf(when, "%4u-%2u-%2u%c%2u:%2u:%2u%n", &y, &mo, &d, &sep, &h, &mi, &sec, &used) !=
	        7 ||
	    (sep != 'T' && sep != ' ') || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return list_bad(r, p->code, p->name);
	if (!(sep == 'T' ? strcmp(when + used, "Z") == 0 : when[used] == '\0'))
		return list_bad(r, p->code, p->name);
	snprintf(t, sizeof(t), "%04u-%02u-%02uT%02u:%02u:%02u%c", y, mo, d, h, mi, sec, z);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(v, ops[i].name) != 0)
			continue;
		const char *kept = list_keep(r, t);
		return kept ? list_cond(r, p->name, p->lhs, ops[i].sql, IMSD_BIND_TEXT, kept)
		            : list_bad(r, p->code, p->name);
	}
	return list_bad(r, p->code, p->name);
}

/* max_ram as an integer, 0 (no limit) as the largest. */
#define MAX_RAM_EXPR                                                                               \
	"CASE WHEN CAST(IFNULL(json_extract(doc, '$.max_ram'), '0') AS INTEGER) = 0 "              \
	"THEN 9223372036854775807 ELSE CAST(json_extract(doc, '$.max_ram') AS INTEGER) END"

/* flavor_id: the public images an ECS flavor of the seed can boot (IMS filters public images
 * by flavor): system-disk images of the flavor's architecture whose RAM bounds admit it. */
static int p_flavor(list_req *r, const list_param *p, char *v)
{
	const imsd_flavor *f = imsd_seed_flavor(r->c->app->seed, v);
	char ram[24];

	if (!f) {
		imsd_respond_ims_error(r->c->resp, 400, "IMG.0001", "The flavor %.64s is invalid.",
		                       v);
		return -1;
	}
	snprintf(ram, sizeof(ram), "%d", f->ram_mb);
	const char *kept = list_keep(r, ram);
	if (!kept)
		return list_bad(r, p->code, p->name);
	if (list_cond(r, "flavor_id:type", "imagetype", "=", IMSD_BIND_TEXT, "gold") ||
	    list_cond(r, "flavor_id:env", "json_extract(doc, '$.virtual_env_type')", "=",
	              IMSD_BIND_TEXT, "FusionCompute") ||
	    list_cond(r, "flavor_id:arch", "IFNULL(json_extract(doc, '$.__support_arm'), 'false')",
	              f->arm ? "=" : "!=", IMSD_BIND_TEXT, "true") ||
	    list_cond(r, "flavor_id:min", "IFNULL(json_extract(doc, '$.min_ram'), 0)",
	              "<=", IMSD_BIND_INT, kept))
		return -1;
	return list_cond(r, "flavor_id:max", MAX_RAM_EXPR, ">=", IMSD_BIND_INT, kept);
}

#define J(member) "json_extract(doc, '$." member "')"
/* A "true"/"false" feature string, absent meaning false. */
#define FEATURE(member)                                                                            \
	{                                                                                          \
		member, p_eq, "IFNULL(" J(member) ", 'false')", TRUE_FALSE, NULL                   \
	}
#define STRING(member)                                                                             \
	{                                                                                          \
		member, p_eq, J(member), NULL, NULL                                                \
	}

static const list_param LIST_PARAMS[] = {
    {"id", p_eq, "id", NULL, NULL},
    {"name", p_eq, "name", NULL, NULL},
    {"__imagetype", p_eq, "imagetype", IMAGETYPES, "IMG.0024"},
    {"status", p_eq, IMSD_STATUS_SQL, STATUSES, NULL},
    {"visibility", p_visibility, "visibility", VISIBILITIES, NULL},
    {"owner", p_eq, "owner", NULL, NULL},
    {"enterprise_project_id", p_eps, "eps", NULL, NULL},
    {"marker", p_marker, NULL, NULL, NULL},
    {"limit", p_limit, NULL, NULL, NULL},
    {"sort_key", p_sort_key, NULL, NULL, NULL},
    {"sort_dir", p_sort_dir, NULL, NULL, NULL},
    {"tag", p_tag, NULL, NULL, NULL},
    {"architecture", p_architecture, "IFNULL(" J("__support_arm") ", 'false')", NULL, NULL},
    {"member_status", p_member_status, J("member_status"), NULL, NULL},
    {"flavor_id", p_flavor, NULL, NULL, NULL},
    {"created_at", p_time, J("created_at"), NULL, NULL},
    {"updated_at", p_time, J("updated_at"), NULL, NULL},
    {"__whole_image", p_bool, "IFNULL(" J("__whole_image") ", 0)", NULL, NULL},
    {"protected", p_bool, J("protected"), NULL, NULL},
    {"min_ram", p_int, J("min_ram"), NULL, NULL},
    {"min_disk", p_int, J("min_disk"), NULL, NULL},
    {"__isregistered", p_eq, J("__isregistered"), TRUE_FALSE, NULL},
    {"__system__cmkid", p_eq, J("__system__cmkid"), NULL, NULL},
    {"container_format", p_eq, J("container_format"), CONTAINER_FORMATS, NULL},
    {"disk_format", p_eq, J("disk_format"), DISK_FORMATS, NULL},
    {"__os_bit", p_eq, J("__os_bit"), OS_BITS, NULL},
    {"__os_type", p_eq, J("__os_type"), OS_TYPES, NULL},
    {"__platform", p_eq, J("__platform"), PLATFORMS, NULL},
    {"__os_version", p_eq, J("__os_version"), NULL, NULL},
    {"virtual_env_type", p_eq, J("virtual_env_type"), ENV_TYPES, NULL},
    FEATURE("__support_kvm"),
    FEATURE("__support_xen"),
    FEATURE("__support_largememory"),
    FEATURE("__support_diskintensive"),
    FEATURE("__support_highperformance"),
    FEATURE("__support_xen_hana"),
    FEATURE("__support_kvm_infiniband"),
    FEATURE("__support_arm"),
    FEATURE("__support_amd"),
    FEATURE("__support_fc_inject"),
    STRING("__support_xen_gpu_type"),
    STRING("__support_kvm_gpu_type"),
    STRING("__support_agent_list"),
};

static const list_param *list_param_find(const char *name)
{
	for (size_t i = 0; i < sizeof(LIST_PARAMS) / sizeof(LIST_PARAMS[0]); i++)
		if (strcmp(LIST_PARAMS[i].name, name) == 0)
			return &LIST_PARAMS[i];
	return NULL;
}

/* Checks across parameters, once all are read: member_status only means something for shared
 * images, and a marker must be an image of this region's query. */
static int list_check(list_req *r)
{
	imsd_image img;
	hwims_error err;

	if (r->member_status && (!r->visibility || strcmp(r->visibility, "shared") != 0)) {
		imsd_respond_ims_error(r->c->resp, 400, "IMG.0001",
		                       "member_status can only be used with visibility=shared.");
		return -1;
	}
	if (!r->q.marker)
		return 0;
	int found =
	    imsd_image_get(r->c->db, r->c->route->region->name, r->q.marker, r->c->now, &img, &err);
	imsd_image_clear(&img);
	if (found < 0) {
		imsd_internal_error(r->c, &err);
		return -1;
	}
	if (found == 0) {
		imsd_respond_ims_error(r->c->resp, 400, "IMG.0001",
		                       "The marker %.64s is not an image of this region.",
		                       r->q.marker);
		return -1;
	}
	return 0;
}

/* Read every parameter into r; on a bad one the answer is filled and -1 returned. */
static int list_parse(list_req *r)
{
	char key[256], val[2048];
	const char *cur = r->c->query;
	int rc;

	while ((rc = imsd_query_next(&cur, key, sizeof(key), val, sizeof(val))) == 1) {
		const list_param *p = list_param_find(key);
		if (!p)
			continue;
		char *v = list_keep(r, val);
		if (!v) {
			imsd_respond_ims_error(
			    r->c->resp, 400, "IMG.0001",
			    "The request message format is invalid: the query is "
			    "too long.");
			return -1;
		}
		if (p->parse(r, p, v))
			return -1;
	}
	if (rc < 0) {
		imsd_respond_ims_error(r->c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: malformed query "
		                       "string.");
		return -1;
	}
	return list_check(r);
}

void imsd_handle_list_images(imsd_ctx *c)
{
	list_req *r = calloc(1, sizeof(*r));
	hwims_error err;

	if (!r) {
		imsd_internal_error(c, NULL);
		return;
	}
	r->c = c;
	r->q.limit = DEFAULT_LIMIT;
	if (list_parse(r) == 0) {
		imsd_respond_json(c->resp, 200, NULL);
		if (imsd_image_list(c->db, c->route->region->name, &r->q, c->now, &c->resp->body,
		                    &err))
			imsd_internal_error(c, &err);
	}
	free(r);
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
