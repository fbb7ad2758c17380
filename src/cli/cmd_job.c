/* cmd_job.c - `hwims job`: look at (or wait for) a copy job. */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char help[] =
    "Usage: hwims job JOB_ID [--wait] [flags]\n"
    "\n"
    "Show a copy job: its state, progress, the new image's ID once known, and why it\n"
    "failed if it did. With --wait, wait until it succeeds or fails (exit 1 if it fails).\n"
    "\n"
    "Flags:\n"
    "  --region REGION          the region the copy was submitted in (the source region)\n"
    "  --wait                   wait for the job to finish\n"
    "  --timeout DURATION       how long to wait (default 60m)\n"
    "  --output table|json      output format (default table)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable)\n";

enum { OPT_WAIT = CLI_OPT_FIRST_COMMAND };

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int cli_cmd_job(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"wait", 0, NULL, OPT_WAIT}, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int c, help_shown = 0, wait = 0, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_WAIT) {
			wait = 1;
			continue;
		}
		if (cli_common_option(ctx, c, optarg, help, &help_shown) <= 0)
			return c == '?' ? cli_bad_flag(ctx, argv) : CLI_EXIT_USAGE;
	}
	if (help_shown)
		return CLI_EXIT_OK;
	if (optind != argc - 1 || !argv[optind][0])
		return cli_usage_error(ctx, "expected one JOB_ID");
	const char *job_id = argv[optind];
	if ((rc = cli_connect(ctx)) != 0)
		return rc;
	int64_t timeout = ctx->timeout_ns > 0 ? ctx->timeout_ns : 3600LL * 1000000000LL;
	int64_t deadline = now_ns() + timeout;
	int64_t step_ms = 1000;
	cli_progress *p = wait ? cli_progress_start(ctx, "waiting") : NULL;
	hwims_copy_job job;
	hwims_error err;
	for (;;) {
		if (hwims_copy_job_get(ctx->client, NULL, job_id, ctx->cancel, &job, &err) != 0) {
			cli_progress_stop(p);
			hwims_copy_job_free(&job);
			return cli_report_error(ctx, &err);
		}
		int done = job.state == HWIMS_JOB_SUCCESS || job.state == HWIMS_JOB_FAIL;
		if (!wait || done)
			break;
		hwims_progress pr;
		memset(&pr, 0, sizeof(pr));
		pr.job_id = job_id;
		pr.job_state = job.state;
		pr.image_id = job.image_id;
		pr.percent = job.percent;
		cli_progress_update(cli_progress_row_at(p, 0), &pr);
		hwims_copy_job_free(&job);
		/* The sleep ends at --timeout's deadline (the token carries it) or on a signal. */
		int stopped = hwims_cancel_sleep(ctx->cancel, step_ms);
		if (hwims_cancel_timed_out(ctx->cancel) || now_ns() >= deadline) {
			cli_progress_stop(p);
			hwims_error_set(&err, HWIMS_ERR_TIMEOUT, "job %s did not finish in time",
			                job_id);
			return cli_report_error(ctx, &err);
		}
		if (stopped) {
			cli_progress_stop(p);
			hwims_error_set(&err, HWIMS_ERR_CANCELLED,
			                "interrupted while waiting for job %s", job_id);
			return cli_report_error(ctx, &err);
		}
		step_ms = step_ms * 3 / 2 > 10000 ? 10000 : step_ms * 3 / 2;
	}
	cli_progress_stop(p);
	int failed = wait && job.state == HWIMS_JOB_FAIL;
	if (failed) {
		hwims_error_set(&err, HWIMS_ERR_JOB_FAILED, "job %s failed: %s", job_id,
		                job.fail_reason ? job.fail_reason : "no reason given");
		snprintf(err.code, sizeof(err.code), "%s", job.error_code ? job.error_code : "");
	}
	/* in JSON the job's document carries the error: one document either way */
	cli_print_job(ctx, &job, hwims_client_region(ctx->client), failed ? &err : NULL);
	rc = failed ? cli_report_error_text(ctx, &err) : CLI_EXIT_OK;
	hwims_copy_job_free(&job);
	return rc;
}
