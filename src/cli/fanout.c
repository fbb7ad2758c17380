/* fanout.c - `hwims copy` to several target regions at once.
 *
 * Each region gets the command's spec with its own target_region and a thread
 * of its own running the whole workflow (hwims_image_copy_create) on the one
 * shared client, which is thread-safe. No limit is added here: IMS refuses
 * cross-region copies beyond its concurrency quota (IMG.0060), and the library
 * waits such a refusal out itself, so the regions over the quota simply start
 * later. Every spec is validated before the first request, so bad input for one
 * region sends nothing for any.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int has_target(const cli_targets *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->count; i++)
		if (strlen(t->names[i]) == len && strncmp(t->names[i], name, len) == 0)
			return 1;
	return 0;
}

int cli_targets_add(const cli_ctx *ctx, cli_targets *t, const char *value)
{
	if (!*value)
		return 0;
	for (const char *p = value;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		/* "a, b" as a shell user might write it */
		while (len > 0 && *p == ' ')
			p++, len--;
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			return cli_usage_error(ctx, "--target-region \"%s\" has an empty region",
			                       value);
		if (has_target(t, p, len))
			return cli_usage_error(ctx, "--target-region %.*s is given twice", (int)len,
			                       p);
		char **grown = realloc(t->names, (t->count + 1) * sizeof(*grown));
		char *name = strndup(p, len);
		if (grown)
			t->names = grown;
		if (!grown || !name) {
			free(name);
			hwims_error err;
			hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
			return cli_report_error(ctx, &err);
		}
		t->names[t->count++] = name;
		if (!end)
			return 0;
		p = end + 1;
	}
}

void cli_targets_free(cli_targets *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->names[i]);
	free(t->names);
	t->names = NULL;
	t->count = 0;
}

/* One region's copy: what its thread needs, and what it leaves. */
typedef struct task {
	cli_copy_outcome *out;
	hwims_client *client;
	hwims_copy_options opts;
	cli_progress_row *row;
	pthread_t thread;
	int started;
} task;

/* How a finished region's progress line ends. */
static void finish_row(const task *t)
{
	char text[HWIMS_ERROR_MESSAGE_MAX + 256];
	const hwims_copy_result *r = &t->out->result;
	const hwims_error *e = &t->out->err;
	if (!t->row)
		return;
	if (t->out->rc != 0 && (e->kind == HWIMS_ERR_TIMEOUT || e->kind == HWIMS_ERR_CANCELLED)) {
		/* the line is short: what is left in the cloud matters more than the message */
		const char *what = e->kind == HWIMS_ERR_TIMEOUT ? "timed out" : "interrupted";
		if (r->job_id)
			snprintf(text, sizeof(text), "%s, job %s  image %s", what,
			         hwims_job_state_name(r->job_state),
			         r->image_id ? r->image_id : "not known yet");
		else
			snprintf(text, sizeof(text), "%s before IMS accepted the copy", what);
	} else if (t->out->rc != 0) {
		/* the code first, so a line cut to the terminal still says what happened */
		snprintf(text, sizeof(text), "failed%s%s%s: %s", e->code[0] ? " (" : "", e->code,
		         e->code[0] ? ")" : "", e->message);
	} else if (t->opts.no_wait) {
		snprintf(text, sizeof(text), "submitted job %s", r->job_id);
	} else {
		const char *status = hwims_image_str(r->image, "status");
		snprintf(text, sizeof(text), "%s %s", status ? status : "done",
		         hwims_image_id(r->image));
	}
	cli_progress_finish(t->row, text);
}

static void *copy_one(void *arg)
{
	task *t = arg;
	t->out->rc = hwims_image_copy_create(t->client, &t->out->spec, &t->opts, &t->out->result,
	                                     &t->out->err);
	finish_row(t);
	return NULL;
}

/* Exit status of the whole fan-out: an interruption outweighs a timeout, which outweighs a
 * refusal. A failure after requests went out is never "bad usage" (2 means nothing was sent). */
static int fanout_status(const cli_copy_outcome *o, size_t n)
{
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		if (o[i].rc == 0)
			continue;
		int s = cli_exit_status(o[i].err.kind);
		if (s == CLI_EXIT_INTERRUPTED)
			return s;
		if (s == CLI_EXIT_TIMEOUT || status == CLI_EXIT_TIMEOUT)
			status = CLI_EXIT_TIMEOUT;
		else
			status = CLI_EXIT_REFUSED;
	}
	return status;
}

/* On stderr, after a region failed: every region, what it made and what to do about the rest. */
static void summarize(const cli_ctx *ctx, const cli_copy_outcome *o, size_t n, const char *src)
{
	size_t failed = 0;
	int width = 0;
	for (size_t i = 0; i < n; i++) {
		failed += o[i].rc != 0;
		int w = (int)strlen(o[i].target_region);
		width = w > width ? w : width;
	}
	cli_print_line(stderr, "hwims %s: %zu of %zu target regions failed", ctx->command, failed,
	               n);
	for (size_t i = 0; i < n; i++) {
		const hwims_copy_result *r = &o[i].result;
		if (o[i].rc == 0) {
			if (r->image)
				cli_print_line(stderr, "  %-*s  copied: image %s", width,
				               o[i].target_region, hwims_image_id(r->image));
			else
				cli_print_line(stderr, "  %-*s  submitted: job %s", width,
				               o[i].target_region, r->job_id);
			continue;
		}
		char *why = cli_format_error(&o[i].err);
		cli_print_line(stderr, "  %-*s  failed: %s", width, o[i].target_region,
		               why ? why : o[i].err.message);
		free(why);
		if (o[i].err.kind != HWIMS_ERR_JOB_FAILED)
			cli_explain_unfinished(r, src, "      ");
		else if (r->image_id)
			cli_print_line(
			    stderr,
			    "      The failed job made image %s/%s; check with: hwims show %s/%s",
			    r->image_region, r->image_id, r->image_region, r->image_id);
	}
}

int cli_copy_fanout(cli_ctx *ctx, const hwims_copy_spec *base, const cli_targets *targets,
                    int no_wait)
{
	size_t n = targets->count;
	cli_copy_outcome *out = calloc(n, sizeof(*out));
	task *tasks = calloc(n, sizeof(*tasks));
	int rc = CLI_EXIT_USAGE;
	hwims_error err;
	if (!out || !tasks) {
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		rc = cli_report_error(ctx, &err);
		goto done;
	}
	cli_warn_caution(ctx, base);
	/* Every region's spec first, and all of them checked, before connecting. */
	const char *default_region = ctx->region ? ctx->region : getenv("HW_REGION_NAME");
	for (size_t i = 0; i < n; i++) {
		out[i].target_region = targets->names[i];
		if (hwims_copy_spec_copy(&out[i].spec, base, &err) != 0 ||
		    hwims_copy_spec_set(&out[i].spec.target_region, targets->names[i], &err) != 0) {
			rc = cli_report_error(ctx, &err);
			goto done;
		}
		if (hwims_copy_spec_validate(&out[i].spec, default_region, &err) != 0) {
			hwims_error_prefix(&err, "target region %s", targets->names[i]);
			rc = cli_report_error(ctx, &err);
			goto done;
		}
	}
	if ((rc = cli_connect(ctx)) != 0)
		goto done;
	cli_progress *board = cli_progress_start_rows(ctx, (const char *const *)targets->names, n);
	for (size_t i = 0; i < n; i++) {
		task *t = &tasks[i];
		t->out = &out[i];
		t->client = ctx->client;
		t->row = cli_progress_row_at(board, i);
		t->opts.create_timeout_ns = ctx->timeout_ns;
		t->opts.cancel = ctx->cancel;
		t->opts.no_wait = no_wait;
		t->opts.progress = t->row ? cli_progress_update : NULL;
		t->opts.progress_userdata = t->row;
		t->opts.watch_image_status = t->row != NULL;
		t->started = pthread_create(&t->thread, NULL, copy_one, t) == 0;
	}
	/* A thread that could not be made still copies its region, here, once the others run. */
	for (size_t i = 0; i < n; i++) {
		if (tasks[i].started)
			pthread_join(tasks[i].thread, NULL);
		else
			copy_one(&tasks[i]);
	}
	cli_progress_stop(board);
	const char *src = hwims_client_region(ctx->client);
	cli_print_copy_outcomes(ctx, out, n, src, no_wait);
	rc = fanout_status(out, n);
	if (rc != CLI_EXIT_OK)
		summarize(ctx, out, n, src);
done:
	for (size_t i = 0; out && i < n; i++) {
		hwims_copy_spec_free(&out[i].spec);
		hwims_copy_result_free(&out[i].result);
	}
	free(out);
	free(tasks);
	return rc;
}
