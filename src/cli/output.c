/* output.c - how results look: a table for people, JSON keyed by the resource's attribute
 * names for scripts. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One attribute as JSON, typed per the attribute table; NULL for JSON null. */
static json_t *value_json(const hwims_value *v)
{
	if (v->is_null)
		return json_null();
	switch (v->type) {
	case HWIMS_ATTR_STRING:
		return json_string(v->s);
	case HWIMS_ATTR_BOOL:
		return json_boolean(v->b);
	case HWIMS_ATTR_INT:
		return json_integer((json_int_t)v->i);
	case HWIMS_ATTR_STRING_MAP: {
		json_t *o = json_object();
		for (size_t i = 0; v->map && i < v->map->count; i++)
			json_object_set_new(o, v->map->items[i].key,
			                    json_string(v->map->items[i].value));
		return o;
	}
	}
	return json_null();
}

static json_t *image_json(const hwims_image *img)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(hwims_image_id(img)));
	size_t n;
	const hwims_attr *attrs = hwims_attrs(&n);
	for (size_t i = 0; i < n; i++) {
		hwims_value v;
		if (hwims_image_get(img, attrs[i].name, &v, NULL) == 0)
			json_object_set_new(o, attrs[i].name, value_json(&v));
	}
	return o;
}

static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(j);
}

/* The value as text for a table cell. */
static void value_text(const hwims_value *v, char *buf, size_t len)
{
	if (v->is_null) {
		snprintf(buf, len, "-");
		return;
	}
	switch (v->type) {
	case HWIMS_ATTR_STRING:
		snprintf(buf, len, "%s", v->s);
		break;
	case HWIMS_ATTR_BOOL:
		snprintf(buf, len, "%s", v->b ? "true" : "false");
		break;
	case HWIMS_ATTR_INT:
		snprintf(buf, len, "%lld", (long long)v->i);
		break;
	case HWIMS_ATTR_STRING_MAP: {
		size_t off = 0;
		buf[0] = '\0';
		for (size_t i = 0; v->map && i < v->map->count && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%s=%s", i ? ", " : "",
			                        v->map->items[i].key, v->map->items[i].value);
		break;
	}
	}
}

void cli_print_image(const cli_ctx *ctx, const hwims_image *img)
{
	if (ctx->format == CLI_OUT_JSON) {
		print_json(image_json(img));
		return;
	}
	size_t n;
	const hwims_attr *attrs = hwims_attrs(&n);
	printf("%-34s %s\n", "id", hwims_image_id(img));
	for (size_t i = 0; i < n; i++) {
		hwims_value v;
		char text[2048];
		if (attrs[i].flags & HWIMS_ATTR_DEPRECATED)
			continue; /* always empty; JSON keeps it for scripts that expect it */
		if (hwims_image_get(img, attrs[i].name, &v, NULL) != 0)
			continue;
		value_text(&v, text, sizeof(text));
		printf("%-34s %s\n", attrs[i].name, text);
	}
}

void cli_print_images(const cli_ctx *ctx, hwims_image *const *images, size_t count)
{
	if (ctx->format == CLI_OUT_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; i < count; i++)
			json_array_append_new(a, image_json(images[i]));
		print_json(a);
		return;
	}
	printf("%-36s  %-32s  %-7s  %-12s  %s\n", "ID", "NAME", "STATUS", "SIZE", "CREATED");
	for (size_t i = 0; i < count; i++) {
		const char *name = hwims_image_str(images[i], "name");
		const char *status = hwims_image_str(images[i], "status");
		const char *size = hwims_image_str(images[i], "image_size");
		const char *created = hwims_image_str(images[i], "created_at");
		printf("%-36s  %-32s  %-7s  %-12s  %s\n", hwims_image_id(images[i]),
		       name ? name : "-", status ? status : "-", size ? size : "-",
		       created ? created : "-");
	}
	if (count == 0)
		printf("(no images)\n");
}

void cli_print_job(const cli_ctx *ctx, const hwims_copy_job *job, const char *region)
{
	json_t *o = json_object();
	json_object_set_new(o, "job_id", json_string(job->job_id ? job->job_id : ""));
	json_object_set_new(o, "region", region ? json_string(region) : json_null());
	json_object_set_new(o, "job_type",
	                    job->job_type ? json_string(job->job_type) : json_null());
	json_object_set_new(o, "status", job->status ? json_string(job->status) : json_null());
	json_object_set_new(o, "percent",
	                    job->percent >= 0 ? json_real(job->percent) : json_null());
	json_object_set_new(o, "image_id",
	                    job->image_id ? json_string(job->image_id) : json_null());
	json_object_set_new(o, "error_code",
	                    job->error_code ? json_string(job->error_code) : json_null());
	json_object_set_new(o, "fail_reason",
	                    job->fail_reason ? json_string(job->fail_reason) : json_null());
	json_object_set_new(o, "begin_time",
	                    job->begin_time ? json_string(job->begin_time) : json_null());
	json_object_set_new(o, "end_time",
	                    job->end_time ? json_string(job->end_time) : json_null());
	if (ctx->format == CLI_OUT_JSON) {
		print_json(o);
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		if (json_is_string(v))
			printf("%-12s %s\n", key, json_string_value(v));
		else if (json_is_real(v))
			printf("%-12s %.0f%%\n", key, json_real_value(v));
		else
			printf("%-12s -\n", key);
	}
	json_decref(o);
}

void cli_print_partial(const cli_ctx *ctx, const hwims_copy_result *r, const hwims_error *err)
{
	if (ctx->format != CLI_OUT_JSON || (!r->job_id && !r->image_id))
		return;
	json_t *o = json_pack("{s:o, s:o, s:o, s:s}", "job_id",
	                      r->job_id ? json_string(r->job_id) : json_null(), "image_id",
	                      r->image_id ? json_string(r->image_id) : json_null(), "region",
	                      r->image_region ? json_string(r->image_region) : json_null(),
	                      "job_state", hwims_job_state_name(r->job_state));
	json_t *e = json_pack("{s:s, s:s, s:s}", "kind", hwims_error_kind_name(err->kind), "code",
	                      err->code, "message", err->message);
	if (r->job_fail_reason)
		json_object_set_new(e, "fail_reason", json_string(r->job_fail_reason));
	json_object_set_new(o, "error", e);
	print_json(o);
}
