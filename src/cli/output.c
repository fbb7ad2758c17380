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
		return cli_json_text(v->s);
	case HWIMS_ATTR_BOOL:
		return json_boolean(v->b);
	case HWIMS_ATTR_INT:
		return json_integer((json_int_t)v->i);
	case HWIMS_ATTR_STRING_MAP: {
		json_t *o = json_object();
		for (size_t i = 0; v->map && i < v->map->count; i++)
			json_object_set_new(o, v->map->items[i].key,
			                    cli_json_text(v->map->items[i].value));
		return o;
	}
	}
	return json_null();
}

/* 0 after cli_output_all_attributes(0): attributes without a value are left out. */
static int all_attributes = 1;

void cli_output_all_attributes(int all)
{
	all_attributes = all;
}

/* Whether v is worth showing when only attributes with a value are: not null, not "", not an
   empty map. */
static int shown(const hwims_value *v)
{
	if (all_attributes)
		return 1;
	if (v->is_null)
		return 0;
	if (v->type == HWIMS_ATTR_STRING)
		return v->s && *v->s;
	return v->type != HWIMS_ATTR_STRING_MAP || (v->map && v->map->count > 0);
}

static json_t *image_json(const hwims_image *img)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", cli_json_text(hwims_image_id(img)));
	size_t n;
	const hwims_attr *attrs = hwims_attrs(&n);
	for (size_t i = 0; i < n; i++) {
		hwims_value v;
		if (hwims_image_get(img, attrs[i].name, &v, NULL) == 0 && shown(&v))
			json_object_set_new(o, attrs[i].name, value_json(&v));
	}
	return o;
}

void cli_print_json(json_t *j)
{
	char *text = j ? cli_json_dumps(j) : NULL;
	/* out of memory: still one JSON document, so a script reading it fails clearly */
	printf("%s\n", text ? text : "null");
	fflush(stdout);
	free(text);
	json_decref(j);
}

/* The value as text for a table cell (appended to b, as long as the value is: 20 tags of 255
 * Chinese characters are 15 KB). Returns 0, -1 out of memory. */
static int value_text(const hwims_value *v, hwims_buf *b)
{
	if (v->is_null)
		return hwims_buf_puts(b, "-");
	switch (v->type) {
	case HWIMS_ATTR_STRING:
		return hwims_buf_puts(b, v->s ? v->s : "");
	case HWIMS_ATTR_BOOL:
		return hwims_buf_puts(b, v->b ? "true" : "false");
	case HWIMS_ATTR_INT:
		return hwims_buf_printf(b, "%lld", (long long)v->i);
	case HWIMS_ATTR_STRING_MAP:
		for (size_t i = 0; v->map && i < v->map->count; i++)
			if (hwims_buf_printf(b, "%s%s=%s", i ? ", " : "", v->map->items[i].key,
			                     v->map->items[i].value) != 0)
				return -1;
		return hwims_buf_append(b, "", 0);
	}
	return hwims_buf_puts(b, "-");
}

void cli_print_image(const cli_ctx *ctx, const hwims_image *img)
{
	if (ctx->format == CLI_OUT_JSON) {
		cli_print_json(image_json(img));
		return;
	}
	size_t n;
	const hwims_attr *attrs = hwims_attrs(&n);
	cli_print_line(stdout, "%-34s %s", "id", hwims_image_id(img));
	for (size_t i = 0; i < n; i++) {
		hwims_value v;
		hwims_buf text = HWIMS_BUF_INIT;
		if (attrs[i].flags & HWIMS_ATTR_DEPRECATED)
			continue; /* always empty; JSON keeps it for scripts that expect it */
		if (hwims_image_get(img, attrs[i].name, &v, NULL) != 0 || !shown(&v))
			continue;
		int rc = value_text(&v, &text);
		cli_print_line(stdout, "%-34s %s", attrs[i].name,
		               rc == 0 ? text.data : "(out of memory)");
		hwims_buf_free(&text);
	}
}

void cli_print_images(const cli_ctx *ctx, hwims_image *const *images, size_t count)
{
	if (ctx->format == CLI_OUT_JSON) {
		json_t *a = json_array();
		for (size_t i = 0; i < count; i++) {
			json_t *o = image_json(images[i]);
			/* "region" is the copy's source region; this is where the image is */
			json_object_set_new(o, "lives_in",
			                    cli_json_text(hwims_image_region(images[i])));
			json_array_append_new(a, o);
		}
		cli_print_json(a);
		return;
	}
	cli_print_line(stdout, "%-14s  %-36s  %-32s  %-7s  %-12s  %s", "REGION", "ID", "NAME",
	               "STATUS", "SIZE", "CREATED");
	for (size_t i = 0; i < count; i++) {
		const char *name = hwims_image_str(images[i], "name");
		const char *status = hwims_image_str(images[i], "status");
		const char *size = hwims_image_str(images[i], "image_size");
		const char *created = hwims_image_str(images[i], "created_at");
		cli_print_line(stdout, "%-14s  %-36s  %-32s  %-7s  %-12s  %s",
		               hwims_image_region(images[i]), hwims_image_id(images[i]),
		               name ? name : "-", status ? status : "-", size ? size : "-",
		               created ? created : "-");
	}
	if (count == 0)
		cli_print_line(stdout, "(no images)");
}

/* The job as one JSON object, keys in the order the table shows them. */
static json_t *job_json(const hwims_copy_job *job, const char *region)
{
	json_t *o = json_object();
	json_object_set_new(o, "job_id", cli_json_text(job->job_id ? job->job_id : ""));
	json_object_set_new(o, "region", cli_json_text(region));
	json_object_set_new(o, "job_type", cli_json_text(job->job_type));
	json_object_set_new(o, "status", cli_json_text(job->status));
	json_object_set_new(o, "percent",
	                    job->percent >= 0 ? json_real(job->percent) : json_null());
	json_object_set_new(o, "image_id", cli_json_text(job->image_id));
	json_object_set_new(o, "error_code", cli_json_text(job->error_code));
	json_object_set_new(o, "fail_reason", cli_json_text(job->fail_reason));
	json_object_set_new(o, "begin_time", cli_json_text(job->begin_time));
	json_object_set_new(o, "end_time", cli_json_text(job->end_time));
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
			cli_print_line(stdout, "%-*s %s", key_width, key, json_string_value(v));
		else if (json_is_real(v))
			cli_print_line(stdout, "%-*s %.0f%%", key_width, key, json_real_value(v));
		else if (!json_is_object(v))
			cli_print_line(stdout, "%-*s -", key_width, key);
	}
}

void cli_print_job(const cli_ctx *ctx, const hwims_copy_job *job, const char *region,
                   const hwims_error *err)
{
	json_t *o = job_json(job, region);
	if (err)
		json_object_set_new(o, "error", cli_error_json(err));
	if (ctx->format == CLI_OUT_JSON) {
		cli_print_json(o);
		return;
	}
	print_rows(o, 12);
	json_decref(o);
}

char *cli_format_error(const hwims_error *err)
{
	hwims_buf b = HWIMS_BUF_INIT;
	int rc = hwims_buf_puts(&b, err->message);
	if (rc == 0 && err->code[0] && !strstr(err->message, err->code))
		rc = hwims_buf_printf(&b, " [%s]", err->code);
	if (rc == 0 && err->request_id[0])
		rc = hwims_buf_printf(&b, " (request %s)", err->request_id);
	if (rc != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	return hwims_buf_detach(&b);
}

json_t *cli_error_json(const hwims_error *err)
{
	json_t *e = json_object();
	json_object_set_new(e, "kind", json_string(hwims_error_kind_name(err->kind)));
	json_object_set_new(e, "code", cli_json_text(err->code));
	json_object_set_new(e, "message", cli_json_text(err->message));
	json_object_set_new(e, "request_id",
	                    cli_json_text(err->request_id[0] ? err->request_id : NULL));
	json_object_set_new(e, "attribute",
	                    cli_json_text(err->attribute[0] ? err->attribute : NULL));
	return e;
}

/* cli_error_json, with the failed job's reason when there is one. */
static json_t *copy_error_json(const hwims_copy_result *r, const hwims_error *err)
{
	json_t *e = cli_error_json(err);
	if (r->job_fail_reason)
		json_object_set_new(e, "fail_reason", cli_json_text(r->job_fail_reason));
	return e;
}

void cli_print_partial(const cli_ctx *ctx, const hwims_copy_result *r, const hwims_error *err)
{
	if (ctx->format != CLI_OUT_JSON)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "job_id", cli_json_text(r->job_id));
	json_object_set_new(o, "image_id", cli_json_text(r->image_id));
	json_object_set_new(o, "region", cli_json_text(r->image_region));
	json_object_set_new(o, "job_state", json_string(hwims_job_state_name(r->job_state)));
	json_object_set_new(o, "error", copy_error_json(r, err));
	cli_print_json(o);
}

void cli_explain_unfinished(const hwims_copy_result *r, const char *src, const char *indent)
{
	if (r->job_id) {
		cli_print_line(stderr, "%sThe copy job %s goes on in the cloud.", indent,
		               r->job_id);
		cli_print_line(stderr, "%s  wait for it:     hwims job %s --region %s --wait",
		               indent, r->job_id, src);
	} else if (r->image_id) {
		cli_print_line(
		    stderr, "%sThe copy request got no answer, but image %s has the copy's name.",
		    indent, r->image_id);
		cli_print_line(stderr, "%s  look at it:      hwims show %s/%s", indent,
		               r->image_region, r->image_id);
	}
	if (r->image_id)
		cli_print_line(stderr, "%s  or delete it:    hwims delete %s/%s", indent,
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
	cli_print_job(ctx, &job, src, NULL);
}

/* What a copy to one region that failed left behind. */
static json_t *failure_json(const cli_copy_outcome *o, const char *src)
{
	const hwims_copy_result *r = &o->result;
	json_t *j = json_object();
	json_object_set_new(j, "target_region", cli_json_text(o->target_region));
	json_object_set_new(j, "region", cli_json_text(src));
	json_object_set_new(j, "job_id", cli_json_text(r->job_id));
	json_object_set_new(j, "image_id", cli_json_text(r->image_id));
	json_object_set_new(j, "job_state", json_string(hwims_job_state_name(r->job_state)));
	json_object_set_new(j, "error", copy_error_json(r, &o->err));
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
				                    cli_json_text(o[i].target_region));
			} else {
				j = image_json(o[i].result.image);
			}
			json_array_append_new(a, j);
		}
		cli_print_json(a);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			cli_print_line(stdout, "%s", "");
		cli_print_line(stdout, "== %s%s ==", o[i].target_region,
		               o[i].rc != 0 ? ": failed" : "");
		const hwims_copy_result *r = &o[i].result;
		if (o[i].rc != 0) {
			char *text = cli_format_error(&o[i].err);
			cli_print_line(stdout, "%-12s %s", "error", text ? text : o[i].err.message);
			free(text);
			cli_print_line(stdout, "%-12s %s", "job_id", r->job_id ? r->job_id : "-");
			cli_print_line(stdout, "%-12s %s", "image_id",
			               r->image_id ? r->image_id : "-");
			cli_print_line(stdout, "%-12s %s", "job_state",
			               hwims_job_state_name(r->job_state));
		} else if (no_wait) {
			cli_print_submitted(ctx, r, src);
		} else {
			cli_print_image(ctx, r->image);
		}
	}
}
