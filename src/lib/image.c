/* image.c - an IMS image object mapped onto the attribute table (see include/hwims/image.h). */
#include "hwims/image.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image_json.h"

/* One attribute's value; the type is the table row's. */
typedef struct slot {
	int is_null;
	char *s;
	int b;
	int64_t i;
} slot;

struct hwims_image {
	char *id;
	char *region;
	const hwims_attr *attrs; /* the static table */
	size_t n_attrs;
	slot *slots; /* one per table row */
	hwims_tags tags;
	int has_tags;
};

int hwims_data_origin_parse(const char *origin, char **region, char **source_image_id)
{
	*region = NULL;
	*source_image_id = NULL;
	if (!origin || strncmp(origin, "image,", 6) != 0)
		return HWIMS_ENOMATCH;
	const char *r = origin + 6;
	const char *comma = strchr(r, ',');
	if (!comma || comma == r || comma[1] == '\0' || strchr(comma + 1, ','))
		return HWIMS_ENOMATCH;
	*region = strndup(r, (size_t)(comma - r));
	*source_image_id = strdup(comma + 1);
	if (!*region || !*source_image_id) {
		free(*region);
		free(*source_image_id);
		*region = *source_image_id = NULL;
		return HWIMS_ERROR;
	}
	return 0;
}

/* Parse a whole decimal integer with optional sign and surrounding blanks. */
static int parse_int(const char *s, int64_t *out)
{
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Strings are what Terraform keeps for most attributes; numbers and booleans the API sometimes
 * sends instead are rendered the way the API renders them as strings. */
static int to_string(const json_t *v, slot *out)
{
	char buf[64];
	const char *text = NULL;
	char *dumped = NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		text = json_string_value(v);
		break;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		text = buf;
		break;
	case JSON_REAL:
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		text = buf;
		break;
	case JSON_TRUE:
		text = "true";
		break;
	case JSON_FALSE:
		text = "false";
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		/* e.g. __os_feature_list, documented as a string holding JSON */
		dumped = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		if (!dumped)
			return -1;
		out->s = dumped;
		out->is_null = 0;
		return 0;
	case JSON_NULL:
		return 0;
	}
	out->s = strdup(text);
	if (!out->s)
		return -1;
	out->is_null = 0;
	return 0;
}

static void to_bool(const json_t *v, slot *out)
{
	if (json_is_boolean(v)) {
		out->b = json_is_true(v);
		out->is_null = 0;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) {
			out->b = 1;
			out->is_null = 0;
		} else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0) {
			out->b = 0;
			out->is_null = 0;
		}
	} else if (json_is_integer(v)) {
		out->b = json_integer_value(v) != 0;
		out->is_null = 0;
	}
}

static void to_int(const json_t *v, slot *out)
{
	if (json_is_integer(v)) {
		out->i = (int64_t)json_integer_value(v);
		out->is_null = 0;
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9e18) {
			out->i = (int64_t)d;
			out->is_null = 0;
		}
	} else if (json_is_string(v)) {
		/* max_ram is a string of digits ("0") on the real API */
		if (parse_int(json_string_value(v), &out->i) == 0)
			out->is_null = 0;
	}
}

static int set_str(slot *s, const char *value)
{
	if (!value)
		return 0;
	s->s = strdup(value);
	if (!s->s)
		return -1;
	s->is_null = 0;
	return 0;
}

/* region, source_image_id, target_region, instance_id: computed from the origin and from where
 * the image lives. */
static int derive(hwims_image *img, const hwims_attr *a, slot *s, const json_t *obj)
{
	const char *origin = json_string_value(json_object_get(obj, "__data_origin"));
	char *o_region = NULL, *o_source = NULL;
	int rc = 0;
	if (hwims_data_origin_parse(origin, &o_region, &o_source) == HWIMS_ERROR)
		return -1;
	if (strcmp(a->name, "region") == 0) {
		rc = set_str(s, o_region ? o_region : img->region);
	} else if (strcmp(a->name, "source_image_id") == 0) {
		const char *parent = json_string_value(json_object_get(obj, "__originalimagename"));
		rc = set_str(s, o_source ? o_source : (parent && *parent ? parent : NULL));
	} else if (strcmp(a->name, "target_region") == 0) {
		if (o_region && strcmp(o_region, img->region) != 0)
			rc = set_str(s, img->region);
	} else if (strcmp(a->name, "instance_id") == 0) {
		/* only two-part "instance,<id>" origins name an instance, as in the Go provider */
		const char *id = "";
		if (origin && strncmp(origin, "instance,", 9) == 0 && !strchr(origin + 9, ','))
			id = origin + 9;
		rc = set_str(s, id);
	}
	free(o_region);
	free(o_source);
	return rc;
}

int image_from_object(const json_t *obj, const char *region, const hwims_tags *tags,
                      hwims_image **out, hwims_error *err)
{
	*out = NULL;
	hwims_image *img = NULL;
	if (!json_is_object(obj)) {
		hwims_error_set(err, HWIMS_ERR_INVALID,
		                "image object is not a JSON object: wrong type");
		goto fail;
	}
	const char *id = json_string_value(json_object_get(obj, "id"));
	if (!id || !*id) {
		hwims_error_set(err, HWIMS_ERR_INVALID, "image object has no \"id\"");
		goto fail;
	}
	img = calloc(1, sizeof(*img));
	if (!img)
		goto oom;
	img->attrs = hwims_attrs(&img->n_attrs);
	img->slots = calloc(img->n_attrs, sizeof(slot));
	img->id = strdup(id);
	img->region = strdup(region ? region : "");
	if (!img->slots || !img->id || !img->region)
		goto oom;
	if (tags) {
		if (hwims_tags_copy(&img->tags, tags, err) != 0)
			goto fail;
		img->has_tags = 1;
	}
	for (size_t k = 0; k < img->n_attrs; k++) {
		const hwims_attr *a = &img->attrs[k];
		slot *s = &img->slots[k];
		s->is_null = 1;
		if (a->flags & HWIMS_ATTR_DEPRECATED)
			continue; /* kept in the schema for old states, never set (as upstream) */
		if (a->source == HWIMS_SRC_DERIVED) {
			if (derive(img, a, s, obj) != 0)
				goto oom;
			continue;
		}
		if (a->source != HWIMS_SRC_IMAGE || !a->api_field)
			continue;
		const json_t *v = json_object_get(obj, a->api_field);
		if ((a->flags & HWIMS_ATTR_ZERO_DEFAULT) && (!v || json_is_null(v))) {
			s->i = 0;
			s->is_null = 0;
			continue;
		}
		if (!v)
			continue;
		switch (a->type) {
		case HWIMS_ATTR_STRING:
			if (to_string(v, s) != 0)
				goto oom;
			break;
		case HWIMS_ATTR_BOOL:
			to_bool(v, s);
			break;
		case HWIMS_ATTR_INT:
			to_int(v, s);
			break;
		case HWIMS_ATTR_STRING_MAP:
			break;
		}
	}
	*out = img;
	return 0;
oom:
	hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
fail:
	hwims_image_free(img);
	return -1;
}

int hwims_image_from_json(const char *json, size_t len, const char *region, const hwims_tags *tags,
                          hwims_image **out, hwims_error *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *obj = json_loadb(json, len, 0, &jerr);
	if (!obj)
		return hwims_error_set(err, HWIMS_ERR_INVALID,
		                       "image object is not a JSON object: %s", jerr.text);
	int rc = image_from_object(obj, region, tags, out, err);
	json_decref(obj);
	return rc;
}

void hwims_image_free(hwims_image *img)
{
	if (!img)
		return;
	if (img->slots) {
		for (size_t k = 0; k < img->n_attrs; k++)
			free(img->slots[k].s);
	}
	free(img->slots);
	free(img->id);
	free(img->region);
	hwims_tags_free(&img->tags);
	free(img);
}

const char *hwims_image_id(const hwims_image *img)
{
	return img->id;
}

const char *hwims_image_region(const hwims_image *img)
{
	return img->region;
}

int hwims_image_get(const hwims_image *img, const char *name, hwims_value *out, hwims_error *err)
{
	memset(out, 0, sizeof(*out));
	if (name && strcmp(name, "id") == 0) {
		out->type = HWIMS_ATTR_STRING;
		out->s = img->id;
		return 0;
	}
	for (size_t k = 0; name && k < img->n_attrs; k++) {
		const hwims_attr *a = &img->attrs[k];
		if (strcmp(a->name, name) != 0)
			continue;
		const slot *s = &img->slots[k];
		out->type = a->type;
		if (a->type == HWIMS_ATTR_STRING_MAP) {
			out->is_null = !img->has_tags;
			out->map = img->has_tags ? &img->tags : NULL;
			return 0;
		}
		out->is_null = s->is_null;
		if (!s->is_null) {
			out->s = s->s;
			out->b = s->b;
			out->i = s->i;
		}
		return 0;
	}
	return hwims_error_set_attr(err, name ? name : "", "no attribute named \"%s\"",
	                            name ? name : "(null)");
}

const char *hwims_image_str(const hwims_image *img, const char *name)
{
	hwims_value v;
	if (hwims_image_get(img, name, &v, NULL) != 0 || v.is_null || v.type != HWIMS_ATTR_STRING)
		return NULL;
	return v.s;
}

int hwims_image_bool(const hwims_image *img, const char *name, int *out)
{
	hwims_value v;
	if (hwims_image_get(img, name, &v, NULL) != 0 || v.is_null || v.type != HWIMS_ATTR_BOOL)
		return 0;
	*out = v.b;
	return 1;
}

int hwims_image_int(const hwims_image *img, const char *name, int64_t *out)
{
	hwims_value v;
	if (hwims_image_get(img, name, &v, NULL) != 0 || v.is_null || v.type != HWIMS_ATTR_INT)
		return 0;
	*out = v.i;
	return 1;
}

const hwims_tags *hwims_image_tags(const hwims_image *img)
{
	return img->has_tags ? &img->tags : NULL;
}
