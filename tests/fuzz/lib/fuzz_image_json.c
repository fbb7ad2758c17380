/*
 * fuzz_image_json.c - an IMS image object mapped onto the attribute table
 * (hwims_image_from_json, hwims_image_get and the accessors, hwims_data_origin_parse).
 *
 * Input, line by line:
 *   REGION          where the image lives
 *   TAGS            "k=v;k2=v2" read with the image (empty line: tags not read)
 *   JSON            the rest: the image object as the API sends it
 *
 * What must hold:
 *  - a refusal is HWIMS_ERR_INVALID with no image; otherwise the image's ID is the
 *    object's "id" and its region the one given;
 *  - every row of the table reads back with the row's type; strings present are
 *    non-NULL; argument-only and deprecated attributes are null; `tags` is
 *    present exactly when tags were read, and equal to them;
 *  - the convenience accessors agree with hwims_image_get; unknown names are refused;
 *  - region/source_image_id/target_region follow `__data_origin` as the header says;
 *  - hwims_data_origin_parse splits "image,<region>,<id>" into parts that rebuild it.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "hwims/attrs.h"
#include "hwims/error.h"
#include "hwims/image.h"
#include "hwims/tags.h"

static void check_origin_parse(const char *origin)
{
	char *region = (char *)"x", *source = (char *)"x";
	int rc = hwims_data_origin_parse(origin, &region, &source);

	FUZZ_CHECK(rc == 0 || rc == HWIMS_ENOMATCH);
	if (rc == HWIMS_ENOMATCH) {
		FUZZ_CHECK(region == NULL && source == NULL);
		return;
	}
	FUZZ_CHECK(region && *region && source && *source);
	FUZZ_CHECK(!strchr(region, ',') && !strchr(source, ','));
	size_t n = strlen(region) + strlen(source) + 8;
	char *rebuilt = malloc(n);
	FUZZ_CHECK(rebuilt != NULL);
	snprintf(rebuilt, n, "image,%s,%s", region, source);
	FUZZ_CHECK(strcmp(rebuilt, origin) == 0);
	free(rebuilt);
	free(region);
	free(source);
}

static void parse_tags(char *text, hwims_tags *tags)
{
	char *save = NULL;
	for (char *kv = strtok_r(text, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = '\0';
		FUZZ_CHECK(hwims_tags_set(tags, kv, eq ? eq + 1 : "", NULL) == 0);
	}
}

static void check_attr(const hwims_image *img, const hwims_attr *a, const hwims_tags *tags)
{
	hwims_value v;
	hwims_error err;

	FUZZ_CHECK(hwims_image_get(img, a->name, &v, &err) == 0);
	FUZZ_CHECK(v.type == a->type);
	if (a->flags & (HWIMS_ATTR_DEPRECATED | HWIMS_ATTR_NOT_READ))
		FUZZ_CHECK(v.is_null);
	if (a->source == HWIMS_SRC_ARGUMENT)
		FUZZ_CHECK(v.is_null);

	const char *s = hwims_image_str(img, a->name);
	int b = -1;
	int64_t i = 0;
	int has_b = hwims_image_bool(img, a->name, &b);
	int has_i = hwims_image_int(img, a->name, &i);
	switch (a->type) {
	case HWIMS_ATTR_STRING:
		FUZZ_CHECK(v.is_null ? v.s == NULL : v.s != NULL);
		FUZZ_CHECK(s == v.s);
		FUZZ_CHECK(!has_b && !has_i);
		break;
	case HWIMS_ATTR_BOOL:
		FUZZ_CHECK(s == NULL && !has_i);
		FUZZ_CHECK(has_b == !v.is_null);
		FUZZ_CHECK(!has_b || ((b == 0 || b == 1) && b == v.b));
		break;
	case HWIMS_ATTR_INT:
		FUZZ_CHECK(s == NULL && !has_b);
		FUZZ_CHECK(has_i == !v.is_null);
		FUZZ_CHECK(!has_i || i == v.i);
		break;
	case HWIMS_ATTR_STRING_MAP:
		FUZZ_CHECK(s == NULL && !has_b && !has_i);
		FUZZ_CHECK(v.is_null == (tags == NULL));
		FUZZ_CHECK(v.is_null ? v.map == NULL : v.map != NULL);
		if (tags)
			FUZZ_CHECK(hwims_tags_equal(v.map, tags));
		break;
	}
}

static void check_derived(const hwims_image *img, const char *region)
{
	const char *origin = hwims_image_str(img, "data_origin");
	char *o_region = NULL, *o_source = NULL;

	if (hwims_data_origin_parse(origin, &o_region, &o_source) != 0) {
		FUZZ_CHECK(hwims_image_str(img, "target_region") == NULL);
		FUZZ_CHECK(strcmp(hwims_image_str(img, "region"), region) == 0);
		return;
	}
	FUZZ_CHECK(strcmp(hwims_image_str(img, "region"), o_region) == 0);
	FUZZ_CHECK(strcmp(hwims_image_str(img, "source_image_id"), o_source) == 0);
	const char *target = hwims_image_str(img, "target_region");
	if (strcmp(o_region, region) == 0)
		FUZZ_CHECK(target == NULL);
	else
		FUZZ_CHECK(target && strcmp(target, region) == 0);
	free(o_region);
	free(o_source);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in;
	hwims_tags tags = HWIMS_TAGS_INIT;
	hwims_image *img = (hwims_image *)&in; /* any non-NULL: must be reset on failure */
	hwims_error err;
	size_t json_len = 0;

	fuzz_input_init(&in, data, size);
	char *region = fuzz_input_field(&in, '\n', NULL);
	char *tag_text = fuzz_input_field(&in, '\n', NULL);
	int have_tags = tag_text[0] != '\0';
	if (have_tags)
		parse_tags(tag_text, &tags);
	/* Not NUL-terminated where the decoder reads it: an exact-size heap copy. */
	char *rest = fuzz_input_rest(&in, &json_len);
	char *json = malloc(json_len ? json_len : 1);
	FUZZ_CHECK(json != NULL);
	memcpy(json, rest, json_len);

	check_origin_parse(rest);
	if (hwims_image_from_json(json, json_len, region, have_tags ? &tags : NULL, &img, &err) !=
	    0) {
		FUZZ_CHECK(img == NULL);
		FUZZ_CHECK(err.kind == HWIMS_ERR_INVALID);
		goto done;
	}

	json_t *doc = json_loadb(json, json_len, 0, NULL);
	FUZZ_CHECK(json_is_object(doc));
	const char *id = json_string_value(json_object_get(doc, "id"));
	FUZZ_CHECK(id && strcmp(hwims_image_id(img), id) == 0);
	json_decref(doc);
	FUZZ_CHECK(strcmp(hwims_image_region(img), region) == 0);
	FUZZ_CHECK(strcmp(hwims_image_str(img, "id"), hwims_image_id(img)) == 0);
	FUZZ_CHECK((hwims_image_tags(img) != NULL) == have_tags);

	size_t n_attrs = 0;
	const hwims_attr *attrs = hwims_attrs(&n_attrs);
	for (size_t k = 0; k < n_attrs; k++)
		check_attr(img, &attrs[k], have_tags ? &tags : NULL);
	check_derived(img, region);

	hwims_value v;
	FUZZ_CHECK(hwims_image_get(img, "no_such_attribute", &v, &err) == -1);
	FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
	FUZZ_CHECK(hwims_image_get(img, NULL, &v, &err) == -1);
	FUZZ_CHECK(hwims_image_str(img, region) == NULL ||
	           hwims_image_get(img, region, &v, NULL) == 0);
	hwims_image_free(img);
done:
	free(json);
	free(rest);
	free(tag_text);
	free(region);
	hwims_tags_free(&tags);
	return 0;
}
