/* image_query.c - finding images: server-side filters, every page, then what only the client
 * can do (see hwims/image_query.h). */
#include "hwims/image_query.h"

#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "base.h"
#include "cloud_api.h"
#include "hwims/buf.h"
#include "ims_query.h"

struct hwims_image_results {
	char *region;
	size_t count;
	json_t **objects;     /* owned references, the images as IMS returned them */
	hwims_image **images; /* owned, the attribute-table views */
	char ***texts;        /* per image, per member: the member as text (lazily NULL) */
};

static int set(const char *s)
{
	return s && *s;
}

static int one_of(const char *v, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return 1;
	return 0;
}

/* ---- validation: before anything is sent ---- */

static const char *const VISIBILITIES[] = {"public", "private", "market", "shared", NULL};
static const char *const IMAGE_TYPES[] = {"FusionCompute", "DataImage", "Ironic", "IsoImage", NULL};
static const char *const ARCHITECTURES[] = {"x86", "arm", NULL};
static const char *const SORT_KEYS[] = {"name", "container_format", "disk_format", "status", "id",
                                        "size", "created_at",       NULL};
static const char *const DIRECTIONS[] = {"asc", "desc", NULL};

/* The arguments whose values come from a fixed set. */
static const struct {
	const char *attribute;
	size_t offset;
	const char *const *allowed;
} CHOICES[] = {
    {"visibility", offsetof(hwims_image_query_options, visibility), VISIBILITIES},
    {"image_type", offsetof(hwims_image_query_options, image_type), IMAGE_TYPES},
    {"architecture", offsetof(hwims_image_query_options, architecture), ARCHITECTURES},
    {"sort_key", offsetof(hwims_image_query_options, sort_key), SORT_KEYS},
    {"sort_direction", offsetof(hwims_image_query_options, sort_direction), DIRECTIONS},
};

static int check_choices(const hwims_image_query_options *o, hwims_error *err)
{
	for (size_t i = 0; i < sizeof(CHOICES) / sizeof(CHOICES[0]); i++) {
		const char *v = *(const char *const *)((const char *)o + CHOICES[i].offset);
		if (!set(v) || one_of(v, CHOICES[i].allowed))
			continue;
		hwims_buf list = HWIMS_BUF_INIT;
		for (size_t k = 0; CHOICES[i].allowed[k]; k++)
			hwims_buf_printf(&list, "%s%s", k ? ", " : "", CHOICES[i].allowed[k]);
		hwims_error_set_attr(err, CHOICES[i].attribute, "%s \"%.64s\" is not one of %s",
		                     CHOICES[i].attribute, v, list.data ? list.data : "");
		hwims_buf_free(&list);
		return -1;
	}
	return 0;
}

static int check_regex(const char *re, hwims_error *err)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		char why[128];
		regerror(rc, &rx, why, sizeof(why));
		return hwims_error_set_attr(err, "name_regex",
		                            "name_regex is not a POSIX extended regular "
		                            "expression: %s",
		                            why);
	}
	regfree(&rx);
	return 0;
}

int hwims_image_query_validate(const hwims_image_query_options *o, hwims_error *err)
{
	if (!o || o->version != HWIMS_IMAGE_QUERY_VERSION)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "image query options of an unknown version (initialise them "
		                       "with HWIMS_IMAGE_QUERY_OPTIONS_INIT)");
	if (set(o->name) && set(o->name_regex))
		return hwims_error_set_attr(err, "name_regex",
		                            "name and name_regex cannot be used together");
	if (check_choices(o, err) || (set(o->name_regex) && check_regex(o->name_regex, err)))
		return -1;
	if (set(o->tag) && (!strchr(o->tag, '=') || o->tag[0] == '='))
		return hwims_error_set_attr(err, "tag", "tag \"%.64s\" is not in Key=Value form",
		                            o->tag);
	if (o->page_size < 0 || o->page_size > 1000)
		return hwims_error_set_attr(err, "page_size", "the page size must be 1 to 1000");
	return 0;
}

/* ---- the server-side part ---- */

#define MAX_PARAMS 24

/* The query parameters for o; *tag_text is the "key.value" tag (caller frees) when the tag
   can be filtered by the service. Returns how many were written. */
static size_t server_params(const hwims_image_query_options *o, api_param *p, char **tag_text)
{
	size_t n = 0;
	const char *vis = o->visibility;
#define PARAM(name, value)                                                                         \
	do {                                                                                       \
		if (set(value))                                                                    \
			p[n++] = (api_param){name, value};                                         \
	} while (0)

	PARAM("status", !o->status ? "active" : strcmp(o->status, "*") == 0 ? NULL : o->status);
	PARAM("enterprise_project_id",
	      set(o->enterprise_project_id) ? o->enterprise_project_id : "all_granted_eps");
	PARAM("id", o->image_id);
	PARAM("name", o->name);
	PARAM("virtual_env_type", o->image_type);
	PARAM("__whole_image", o->is_whole_image ? "true" : NULL);
	PARAM("__imagetype", set(vis) && strcmp(vis, "public") == 0 ? "gold" : vis);
	PARAM("owner", o->owner);
	PARAM("flavor_id", o->flavor_id);
	PARAM("__platform", o->os);
	PARAM("__os_version", o->os_version);
	PARAM("architecture", o->architecture);
	PARAM("sort_key", set(o->sort_key) ? o->sort_key : "name");
	PARAM("sort_dir", set(o->sort_direction) ? o->sort_direction : "asc");
	*tag_text = NULL;
	/* tag=key.value: the service splits at the first dot, so only a key without one can be
	   filtered there; other keys are checked against each image's tags. */
	if (set(o->tag)) {
		const char *eq = strchr(o->tag, '=');
		size_t klen = (size_t)(eq - o->tag);
		if (!memchr(o->tag, '.', klen) && (*tag_text = strdup(o->tag)) != NULL) {
			(*tag_text)[klen] = '.';
			PARAM("tag", *tag_text);
		}
	}
#undef PARAM
	return n;
}

/* ---- the client-side part ---- */

static const char *member_str(json_t *img, const char *key)
{
	return json_string_value(json_object_get(img, key));
}

/* A copy of source: __originalimagename, or the source of an "image,<region>,<id>" origin. */
static int is_copy_of(json_t *img, const char *source)
{
	const char *orig = member_str(img, "__originalimagename");
	char *region = NULL, *id = NULL;
	int yes = orig && strcmp(orig, source) == 0;

	if (!yes && hwims_data_origin_parse(member_str(img, "__data_origin"), &region, &id) == 1)
		yes = strcmp(id, source) == 0;
	free(region);
	free(id);
	return yes;
}

/* What the filtering needs besides the options. */
typedef struct query_ctx {
	const hwims_image_query_options *o;
	hwims_client *c;
	const char *region, *project_id;
	hwims_cancel *cancel;
	regex_t rx;
	int have_rx;
	int tag_on_client; /* the tag could not be filtered by the service */
} query_ctx;

/* 1 when the image has the tag "Key=Value" of the options (read through the tags API). */
static int has_tag(query_ctx *q, json_t *img, int *yes, hwims_error *err)
{
	const char *eq = strchr(q->o->tag, '=');
	char *key = strndup(q->o->tag, (size_t)(eq - q->o->tag));
	hwims_tags tags = {0};

	if (!key)
		return error_oom(err);
	int rc = api_tags_get(q->c, q->region, q->project_id, member_str(img, "id"), q->cancel,
	                      &tags, err);
	const char *v = rc == 0 ? hwims_tags_get(&tags, key) : NULL;
	*yes = v && strcmp(v, eq + 1) == 0;
	hwims_tags_free(&tags);
	free(key);
	/* an image deleted since the list was read matches nothing */
	return rc == HWIMS_ENOTFOUND ? 0 : rc;
}

/* *keep = whether img passes the client-side filters. */
static int client_match(query_ctx *q, json_t *img, int *keep, hwims_error *err)
{
	const hwims_image_query_options *o = q->o;
	const char *name = member_str(img, "name");
	const char *agents = member_str(img, "__support_agent_list");

	*keep = 0;
	if (q->have_rx && (!name || regexec(&q->rx, name, 0, NULL, 0) != 0))
		return 0;
	if (set(o->support_agent_list) && (!agents || strcmp(agents, o->support_agent_list) != 0))
		return 0;
	if (set(o->source_image_id) && !is_copy_of(img, o->source_image_id))
		return 0;
	if (q->tag_on_client)
		return has_tag(q, img, keep, err);
	*keep = 1;
	return 0;
}

/* The value an image sorts by for key, as text or (numeric keys) a number. */
static int compare_by(json_t *a, json_t *b, const char *key)
{
	if (strcmp(key, "size") == 0) {
		const char *sa = member_str(a, "__image_size"), *sb = member_str(b, "__image_size");
		long long x = sa ? strtoll(sa, NULL, 10) : 0, y = sb ? strtoll(sb, NULL, 10) : 0;
		return (x > y) - (x < y);
	}
	const char *sa = member_str(a, key), *sb = member_str(b, key);
	return strcmp(sa ? sa : "", sb ? sb : "");
}

/* Stable insertion sort (results are small; the service already sent them nearly in order). */
static void sort_images(json_t **v, size_t n, const char *key, int desc)
{
	for (size_t i = 1; i < n; i++) {
		json_t *x = v[i];
		size_t j = i;
		while (j > 0) {
			int c = compare_by(v[j - 1], x, key);
			if (!(desc ? c < 0 : c > 0))
				break;
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* The index of the most recent image: latest updated_at, then latest created_at, then the
   first in order. RFC 3339 UTC times of one width compare as text. */
static size_t most_recent(json_t **v, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++) {
		int c = compare_by(v[i], v[best], "updated_at");
		if (c > 0 || (c == 0 && compare_by(v[i], v[best], "created_at") > 0))
			best = i;
	}
	return best;
}

/* ---- results ---- */

void hwims_image_results_free(hwims_image_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		json_decref(r->objects[i]);
		hwims_image_free(r->images[i]);
	}
	free(r->objects);
	free(r->images);
	free(r->region);
	free(r);
}

/* A member's text for numbers and booleans, kept beside the object under a name no IMS member
   has, so reading it later changes nothing (results are read from several threads). */
#define TEXTS_KEY "\x01texts"

static int add_texts(json_t *img)
{
	json_t *texts = json_object();
	const char *key;
	json_t *v;

	if (!texts)
		return -1;
	json_object_foreach(img, key, v)
	{
		char t[32];
		if (json_is_boolean(v))
			snprintf(t, sizeof(t), "%s", json_is_true(v) ? "true" : "false");
		else if (json_is_integer(v))
			snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(t, sizeof(t), "%.17g", json_real_value(v));
		else
			continue;
		if (json_object_set_new(texts, key, json_string(t))) {
			json_decref(texts);
			return -1;
		}
	}
	return json_object_set_new(img, TEXTS_KEY, texts);
}

/* Build the results from the kept images (references taken). */
static int make_results(const char *region, json_t **v, size_t n, hwims_image_results **out,
                        hwims_error *err)
{
	hwims_image_results *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r || !(r->region = strdup(region)) ||
	    !(r->objects = calloc(n + 1, sizeof(json_t *))) ||
	    !(r->images = calloc(n + 1, sizeof(hwims_image *)))) {
		hwims_image_results_free(r);
		return error_oom(err);
	}
	for (size_t i = 0; i < n; i++) {
		char *text = json_dumps(v[i], JSON_COMPACT);
		json_t *copy = json_deep_copy(v[i]);
		int rc = text && copy ? hwims_image_from_json(text, strlen(text), region, NULL,
		                                              &r->images[r->count], err)
		                      : error_oom(err);
		free(text);
		if (rc == 0 && add_texts(copy) != 0)
			rc = error_oom(err);
		if (rc != 0) {
			json_decref(copy);
			hwims_image_free(r->images[r->count]);
			hwims_image_results_free(r);
			return -1;
		}
		r->objects[r->count++] = copy;
	}
	*out = r;
	return 0;
}

size_t hwims_image_results_count(const hwims_image_results *r)
{
	return r ? r->count : 0;
}

const char *hwims_image_results_region(const hwims_image_results *r)
{
	return r->region;
}

const hwims_image *hwims_image_results_image(const hwims_image_results *r, size_t i)
{
	return i < r->count ? r->images[i] : NULL;
}

const char *hwims_image_results_member(const hwims_image_results *r, size_t i, const char *member)
{
	if (i >= r->count || !member || strcmp(member, TEXTS_KEY) == 0)
		return NULL;
	json_t *v = json_object_get(r->objects[i], member);
	if (json_is_string(v))
		return json_string_value(v);
	return member_str(json_object_get(r->objects[i], TEXTS_KEY), member);
}

static const hwims_query_attr QUERY_ATTRS[] = {
    {"id", HWIMS_ATTR_STRING, "id", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The ID of the image."},
    {"name", HWIMS_ATTR_STRING, "name", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The name of the image."},
    {"image_type", HWIMS_ATTR_STRING, "virtual_env_type", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "Where the image is used: `FusionCompute`, `DataImage`, `Ironic` or `IsoImage`."},
    {"visibility", HWIMS_ATTR_STRING, "__imagetype", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The visibility of the image: `public`, `private`, `market` or `shared`."},
    {"owner", HWIMS_ATTR_STRING, "owner", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The owner (project ID) of the image."},
    {"os", HWIMS_ATTR_STRING, "__platform", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The OS type of the image."},
    {"architecture", HWIMS_ATTR_STRING, "__support_arm", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The architecture of the image: `x86` or `arm`."},
    {"enterprise_project_id", HWIMS_ATTR_STRING, "enterprise_project_id",
     HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY, "The enterprise project of the image."},
    {"os_version", HWIMS_ATTR_STRING, "__os_version", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The operating system version of the image."},
    {"file", HWIMS_ATTR_STRING, "file", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The image file's download and upload link."},
    {"schema", HWIMS_ATTR_STRING, "schema", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The image view."},
    {"status", HWIMS_ATTR_STRING, "status", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The status of the image: `active`."},
    {"description", HWIMS_ATTR_STRING, "__description", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The description of the image."},
    {"protected", HWIMS_ATTR_BOOL, "protected", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "Whether the image is protected; a protected image cannot be deleted."},
    {"container_format", HWIMS_ATTR_STRING, "container_format",
     HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY, "The format of the image's container."},
    {"min_ram_mb", HWIMS_ATTR_INT, "min_ram", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The least memory the image needs to run, in MB."},
    {"max_ram_mb", HWIMS_ATTR_INT, "max_ram", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The most memory the image supports, in MB."},
    {"min_disk_gb", HWIMS_ATTR_INT, "min_disk", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The least disk space the image needs, in GB (Linux: 10 to 1,024; Windows: 20 to 1,024)."},
    {"disk_format", HWIMS_ATTR_STRING, "disk_format", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The image format: `zvhd2`, `vhd`, `zvhd`, `raw`, `qcow2` or `iso`."},
    {"data_origin", HWIMS_ATTR_STRING, "__data_origin", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "Where the image comes from: `server_backup,<backup_id>`, `instance,<instance_id>`, "
     "`server_backup,<vault_id>`, `volume,<volume_id>`, `file,<image_url>` or "
     "`image,<region>,<image_id>`."},
    {"backup_id", HWIMS_ATTR_STRING, "__backup_id", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The backup ID of a whole image in its CBR vault."},
    {"size_bytes", HWIMS_ATTR_INT, "__image_size", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The size of the image file, in bytes."},
    {"active_at", HWIMS_ATTR_STRING, "active_at", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "When the image became active, in RFC 3339 format."},
    {"created_at", HWIMS_ATTR_STRING, "created_at", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "When the image was created, in RFC 3339 format."},
    {"updated_at", HWIMS_ATTR_STRING, "updated_at", HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "When the image was last updated, in RFC 3339 format."},
    {"__support_agent_list", HWIMS_ATTR_STRING, "__support_agent_list", HWIMS_QUERY_IN_MANY,
     "The agents the image supports: `hss` (host security), `ces` (host monitoring) or `hss,ces`; "
     "empty when none."},
};

static const hwims_query_arg QUERY_ARGS[] = {
    {"region", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The region to look in. If omitted, the provider's region is used."},
    {"most_recent", HWIMS_ATTR_BOOL, HWIMS_QUERY_IN_ONE,
     "When the query finds several images, take the one updated last (ties: the one created last) "
     "instead of failing. Defaults to `false`."},
    {"image_id", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The ID of the image."},
    {"name", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The exact name of the image. Cannot be used with `name_regex`."},
    {"name_regex", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "A POSIX extended regular expression (`regcomp(3)` with `REG_EXTENDED`, not Go's RE2 syntax) "
     "the image's name must match, anywhere in the name unless anchored with `^` and `$`. Applied "
     "to what the service returns. Cannot be used with `name`."},
    {"image_type", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "Where the image is used: `FusionCompute` (system disk), `DataImage` (data disk), `Ironic` "
     "(bare metal server) or `IsoImage` (ISO)."},
    {"is_whole_image", HWIMS_ATTR_BOOL, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "Only whole-server images when `true`. Defaults to `false`."},
    {"visibility", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The visibility of the image: `public`, `private`, `market` or `shared`."},
    {"owner", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The owner (project ID) of the image."},
    {"flavor_id", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "An ECS flavor ID: only the images usable with it. One flavor; BMS flavors are not "
     "supported."},
    {"sort_key", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The field to sort by: `name` (the default), `container_format`, `disk_format`, `status`, "
     "`id`, `size` or `created_at`."},
    {"sort_direction", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "`asc` (ascending, the default) or `desc` (descending)."},
    {"os", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The OS type: `Windows`, `Ubuntu`, `RedHat`, `SUSE`, `CentOS`, `Debian`, `OpenSUSE`, `Oracle "
     "Linux`, `Fedora`, `Other`, `CoreOS` or `EulerOS`."},
    {"architecture", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The architecture: `x86` or `arm`."},
    {"tag", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "A tag the image has, in `Key=Value` form."},
    {"enterprise_project_id", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_ONE | HWIMS_QUERY_IN_MANY,
     "The enterprise project of the image. If omitted, every enterprise project is searched."},
    {"__support_agent_list", HWIMS_ATTR_STRING, HWIMS_QUERY_IN_MANY,
     "The agents the image must support: `hss` (host security), `ces` (host monitoring) or "
     "`hss,ces`."},
};

const hwims_query_arg *hwims_query_args(size_t *count)
{
	*count = sizeof(QUERY_ARGS) / sizeof(QUERY_ARGS[0]);
	return QUERY_ARGS;
}

const hwims_query_attr *hwims_query_attrs(size_t *count)
{
	*count = sizeof(QUERY_ATTRS) / sizeof(QUERY_ATTRS[0]);
	return QUERY_ATTRS;
}

/* text as a whole decimal integer. */
static int whole_int(const char *text, int64_t *out)
{
	char *end;

	if (!text || !*text)
		return 0;
	long long v = strtoll(text, &end, 10);
	if (*end)
		return 0;
	*out = v;
	return 1;
}

int hwims_image_results_attr(const hwims_image_results *r, size_t i, const char *name,
                             hwims_value *out, hwims_error *err)
{
	size_t k = 0, n = sizeof(QUERY_ATTRS) / sizeof(QUERY_ATTRS[0]);

	while (k < n && strcmp(QUERY_ATTRS[k].name, name) != 0)
		k++;
	if (k == n || i >= r->count)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "no image attribute %s", name);
	memset(out, 0, sizeof(*out));
	out->type = QUERY_ATTRS[k].type;
	const char *text = hwims_image_results_member(r, i, QUERY_ATTRS[k].member);
	if (strcmp(name, "architecture") == 0)
		text = text && strcmp(text, "true") == 0 ? "arm" : "x86";
	else if (strcmp(name, "visibility") == 0 && text && strcmp(text, "gold") == 0)
		text = "public";
	out->is_null = !text;
	if (out->type == HWIMS_ATTR_STRING)
		out->s = text;
	else if (out->type == HWIMS_ATTR_INT)
		out->is_null = !whole_int(text, &out->i);
	else if (text && (strcasecmp(text, "true") == 0 || strcasecmp(text, "false") == 0))
		out->b = strcasecmp(text, "true") == 0;
	else
		out->is_null = 1;
	return 0;
}

int hwims_image_results_pick_one(const hwims_image_results *r, size_t *index, hwims_error *err)
{
	size_t n = hwims_image_results_count(r);

	if (n == 0)
		return hwims_error_set(err, HWIMS_ERR_NOT_FOUND,
		                       "your query returned no results: change the search criteria "
		                       "and try again");
	if (n > 1)
		return hwims_error_set_attr(
		    err, "most_recent",
		    "your query returned %zu images: use more specific search "
		    "criteria, or set most_recent = true to take the most "
		    "recently updated one",
		    n);
	*index = 0;
	return 0;
}

/* ---- the query ---- */

/* Keep, in the order given, the images of all that pass the client-side filters. *kept is an
   array of borrowed references into all (caller frees the array). */
static int filter_all(query_ctx *q, json_t *all, json_t ***kept, size_t *n, hwims_error *err)
{
	size_t i;
	json_t *img;

	*n = 0;
	*kept = calloc(json_array_size(all) + 1, sizeof(json_t *));
	if (!*kept)
		return error_oom(err);
	json_array_foreach(all, i, img)
	{
		int keep;
		if (client_match(q, img, &keep, err) != 0)
			return -1;
		if (keep)
			(*kept)[(*n)++] = img;
	}
	return 0;
}

/* Everything after the service answered: filter, sort, most_recent, build the results. */
static int finish(query_ctx *q, json_t *all, hwims_image_results **out, hwims_error *err)
{
	const hwims_image_query_options *o = q->o;
	json_t **kept = NULL;
	size_t n = 0;
	int rc = filter_all(q, all, &kept, &n, err);

	if (rc == 0) {
		sort_images(kept, n, set(o->sort_key) ? o->sort_key : "name",
		            set(o->sort_direction) && strcmp(o->sort_direction, "desc") == 0);
		if (o->most_recent && n > 1) {
			kept[0] = kept[most_recent(kept, n)];
			n = 1;
		}
		rc = make_results(q->region, kept, n, out, err);
	}
	free(kept);
	return rc;
}

int hwims_image_query(hwims_client *c, const hwims_image_query_options *o, hwims_cancel *cancel,
                      hwims_image_results **out, hwims_error *err)
{
	query_ctx q = {.o = o, .c = c, .cancel = cancel};
	api_param params[MAX_PARAMS];
	char *tag_text = NULL, *pid = NULL;
	json_t *all = NULL;

	*out = NULL;
	if (hwims_image_query_validate(o, err) != 0)
		return -1;
	q.region = set(o->region) ? o->region : hwims_client_region(c);
	if (!q.region)
		return hwims_error_set_attr(err, "region", "no region given and none configured");
	size_t n = server_params(o, params, &tag_text);
	q.tag_on_client = set(o->tag) && !tag_text;
	if (set(o->name_regex)) {
		q.have_rx = regcomp(&q.rx, o->name_regex, REG_EXTENDED | REG_NOSUB) == 0;
		if (!q.have_rx) { /* it compiled in validate: only memory can fail now */
			free(tag_text);
			return error_oom(err);
		}
	}
	int rc = api_project_id(c, q.region, cancel, &pid, err);
	q.project_id = pid;
	if (rc == 0)
		rc = api_image_query(c, q.region, pid, params, n, o->page_size, cancel, &all, err);
	if (rc == 0)
		rc = finish(&q, all, out, err);
	if (q.have_rx)
		regfree(&q.rx);
	json_decref(all);
	free(tag_text);
	free(pid);
	return rc;
}
