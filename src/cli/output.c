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

/* The job as one JSON object, keys in the order the table shows them. */
static json_t *job_json(const hwims_copy_job *job, const char *region)
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
	return o;
}

/* A JSON object's members as "key value" rows; strings as they are, reals as percentages,
   anything else as "-". */
static void print_rows(json_t *o, int key_width)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		if (json_is_string(v))
			printf("%-*s %s\n", key_width, key, json_string_value(v));
		else if (json_is_real(v))
			printf("%-*s %.0f%%\n", key_width, key, json_real_value(v));
		else
			printf("%-*s -\n", key_width, key);
	}
}

void cli_print_job(const cli_ctx *ctx, const hwims_copy_job *job, const char *region)
{
	json_t *o = job_json(job, region);
	if (ctx->format == CLI_OUT_JSON) {
		print_json(o);
		return;
	}
	print_rows(o, 12);
	json_decref(o);
}

/* {kind, code, message[, request_id][, fail_reason]}. */
static json_t *error_json(const hwims_copy_result *r, const hwims_error *err, int request_id)
{
	json_t *e = json_pack("{s:s, s:s, s:s}", "kind", hwims_error_kind_name(err->kind), "code",
	                      err->code, "message", err->message);
	if (request_id)
		json_object_set_new(e, "request_id",
		                    err->request_id[0] ? json_string(err->request_id)
		                                       : json_null());
	if (r->job_fail_reason)
		json_object_set_new(e, "fail_reason", json_string(r->job_fail_reason));
	return e;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void cli_print_partial(const cli_ctx *ctx, const hwims_copy_result *r, const hwims_error *err)
{
	if (ctx->format != CLI_OUT_JSON || (!r->job_id && !r->image_id))
		return;
	json_t *o =
	    json_pack("{s:o, s:o, s:o, s:s}", "job_id", string_or_null(r->job_id), "image_id",
	              string_or_null(r->image_id), "region", string_or_null(r->image_region),
	              "job_state", hwims_job_state_name(r->job_state));
	json_object_set_new(o, "error", error_json(r, err, 0));
	print_json(o);
}

void cli_explain_unfinished(const hwims_copy_result *r, const char *src, const char *indent)
{
	if (r->job_id) {
		fprintf(stderr, "%sThe copy job %s goes on in the cloud.\n", indent, r->job_id);
		fprintf(stderr, "%s  wait for it:     hwims job %s --region %s --wait\n", indent,
		        r->job_id, src);
	} else if (r->image_id) {
		fprintf(stderr,
		        "%sThe copy request got no answer, but image %s has the copy's name.\n",
		        indent, r->image_id);
		fprintf(stderr, "%s  look at it:      hwims show %s/%s\n", indent, r->image_region,
		        r->image_id);
	}
	if (r->image_id)
		fprintf(stderr, "%s  or delete it:    hwims delete %s/%s\n", indent,
		        r->image_region, r->image_id);
}

/* The job a --no-wait copy submitted, as `hwims job` would first show it. */
static hwims_copy_job submitted_job(const hwims_copy_result *r)
{
	hwims_copy_job job;
	memset(&job, 0, sizeof(job));
	job.job_id = r->job_id;
	job.status = "SUBMITTED";
	job.percent = -1;
	return job;
}

void cli_print_submitted(const cli_ctx *ctx, const hwims_copy_result *r, const char *src)
{
	hwims_copy_job job = submitted_job(r);
	cli_print_job(ctx, &job, src);
}

/* What a copy to one region that failed left behind. */
static json_t *failure_json(const cli_copy_outcome *o, const char *src)
{
	const hwims_copy_result *r = &o->result;
	json_t *j =
	    json_pack("{s:s, s:s, s:o, s:o, s:s}", "target_region", o->target_region, "region", src,
	              "job_id", string_or_null(r->job_id), "image_id", string_or_null(r->image_id),
	              "job_state", hwims_job_state_name(r->job_state));
	json_object_set_new(j, "error", error_json(r, &o->err, 1));
	return j;
}

void cli_print_copy_outcomes(const cli_ctx *ctx, const cli_copy_outcome *o, size_t n,
                             const char *src, int no_wait)
{
	if (ctx->format == CLI_OUT_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *j;
			if (o[i].rc != 0) {
				j = failure_json(&o[i], src);
			} else if (no_wait) {
				hwims_copy_job job = submitted_job(&o[i].result);
				j = job_json(&job, src);
				json_object_set_new(j, "target_region",
				                    json_string(o[i].target_region));
			} else {
				j = image_json(o[i].result.image);
			}
			json_array_append_new(a, j);
		}
		print_json(a);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		printf("%s== %s%s ==\n", i ? "\n" : "", o[i].target_region,
		       o[i].rc != 0 ? ": failed" : "");
		const hwims_copy_result *r = &o[i].result;
		if (o[i].rc != 0) {
			char text[HWIMS_ERROR_MESSAGE_MAX + 256];
			cli_format_error(&o[i].err, text, sizeof(text));
			printf("%-12s %s\n", "error", text);
			printf("%-12s %s\n", "job_id", r->job_id ? r->job_id : "-");
			printf("%-12s %s\n", "image_id", r->image_id ? r->image_id : "-");
			printf("%-12s %s\n", "job_state", hwims_job_state_name(r->job_state));
		} else if (no_wait) {
			cli_print_submitted(ctx, r, src);
		} else {
			cli_print_image(ctx, r->image);
		}
	}
}
