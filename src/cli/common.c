/* common.c - flags, configuration, client, signals and errors shared by every sub-command. */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hwims/duration.h"

extern char **environ;

int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...)
{
	hwims_error err;
	va_list ap;
	va_start(ap, fmt);
	hwims_error_vset(&err, HWIMS_ERR_USAGE, fmt, ap);
	va_end(ap);
	cli_report_error(ctx, &err);
	cli_print_line(stderr, "Run 'hwims %s --help' for usage.", ctx->command);
	return CLI_EXIT_USAGE;
}

int cli_bad_flag(const cli_ctx *ctx, char **argv)
{
	const char *flag = optind > 0 ? argv[optind - 1] : "?";
	return cli_usage_error(ctx, "unknown flag, or flag without its value: %s", flag);
}

static int endpoint_option(cli_ctx *ctx, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return cli_usage_error(
		    ctx, "--endpoint expects SERVICE=URL (ims, iam or eps), got \"%s\"", arg);
	for (int s = 0; s < HWIMS_SVC_COUNT; s++) {
		const char *name = hwims_service_name((hwims_service)s);
		if (strlen(name) == (size_t)(eq - arg) && strncmp(arg, name, strlen(name)) == 0) {
			ctx->endpoints[s] = eq + 1;
			return 0;
		}
	}
	return cli_usage_error(ctx, "--endpoint: unknown service \"%.*s\" (ims, iam or eps)",
	                       (int)(eq - arg), arg);
}

int cli_common_option(cli_ctx *ctx, int opt, const char *arg, const char *help, int *help_shown)
{
	hwims_error err;
	switch (opt) {
	case CLI_OPT_REGION:
		ctx->region = arg;
		return 1;
	case CLI_OPT_ENDPOINT:
		return endpoint_option(ctx, arg) == 0 ? 1 : -1;
	case CLI_OPT_OUTPUT:
		if (strcmp(arg, "table") == 0) {
			ctx->format = CLI_OUT_TABLE;
		} else if (strcmp(arg, "json") == 0) {
			ctx->format = CLI_OUT_JSON;
		} else {
			cli_usage_error(ctx, "--output must be table or json, not \"%s\"", arg);
			return -1;
		}
		return 1;
	case CLI_OPT_TIMEOUT:
		if (hwims_duration_parse(arg, &ctx->timeout_ns, &err) != 0) {
			cli_usage_error(ctx, "--timeout: %s", err.message);
			return -1;
		}
		if (ctx->timeout_ns <= 0) {
			cli_usage_error(ctx, "--timeout must be positive, not \"%s\"", arg);
			return -1;
		}
		return 1;
	case CLI_OPT_HELP:
		fputs(help, stdout);
		*help_shown = 1;
		return 1;
	}
	return 0;
}

int cli_tag_option(const cli_ctx *ctx, hwims_tags *tags, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return cli_usage_error(ctx, "--tag expects KEY=VALUE, got \"%s\"", arg);
	/* the key as long as given (128 Chinese characters are 384 bytes; validation judges it) */
	char *key = strndup(arg, (size_t)(eq - arg));
	hwims_error err;
	int rc = 0;
	if (!key)
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
	if (!key || hwims_tags_set(tags, key, eq + 1, &err) != 0)
		rc = cli_report_error(ctx, &err);
	free(key);
	return rc;
}

int cli_exit_status(hwims_error_kind kind)
{
	switch (kind) {
	case HWIMS_ERR_NONE:
		return CLI_EXIT_OK;
	case HWIMS_ERR_USAGE:
		return CLI_EXIT_USAGE;
	case HWIMS_ERR_TIMEOUT:
		return CLI_EXIT_TIMEOUT;
	case HWIMS_ERR_CANCELLED:
		return CLI_EXIT_INTERRUPTED;
	default:
		return CLI_EXIT_REFUSED;
	}
}

int cli_report_error_text(const cli_ctx *ctx, const hwims_error *err)
{
	char *text = cli_format_error(err);
	cli_print_line(stderr, "hwims %s: %s", ctx->command, text ? text : err->message);
	free(text);
	return cli_exit_status(err->kind);
}

int cli_report_error(const cli_ctx *ctx, const hwims_error *err)
{
	if (ctx->format == CLI_OUT_JSON) {
		json_t *doc = json_object();
		json_object_set_new(doc, "error", cli_error_json(err));
		cli_print_json(doc);
	}
	return cli_report_error_text(ctx, err);
}

static void *signal_watch(void *arg)
{
	cli_ctx *ctx = arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig;
	if (sigwait(&set, &sig) != 0)
		return NULL;
	/* First signal: stop waiting, report what was started. Second: leave at once. */
	hwims_cancel_trigger(ctx->cancel);
	if (sigwait(&set, &sig) == 0)
		_exit(CLI_EXIT_INTERRUPTED);
	return NULL;
}

int cli_connect(cli_ctx *ctx)
{
	hwims_config_args args;
	hwims_config cfg;
	hwims_error err;
	hwims_config_args_init(&args);
	args.region = ctx->region;
	for (int s = 0; s < HWIMS_SVC_COUNT; s++)
		args.endpoints[s] = ctx->endpoints[s];
	if (hwims_config_load(&cfg, &args, environ, &err) != 0)
		return cli_report_error(ctx, &err);
	if (!cfg.region) {
		hwims_config_free(&cfg);
		hwims_error_set_attr(&err, "region",
		                     "no region: use --region or set HW_REGION_NAME");
		return cli_report_error(ctx, &err);
	}
	int rc = hwims_client_new(&ctx->client, &cfg, NULL, &err);
	hwims_config_free(&cfg);
	if (rc != 0)
		return cli_report_error(ctx, &err);
	/* --timeout bounds the whole command: every request, retry and wait fits inside it. */
	int64_t deadline = ctx->timeout_ns > 0 ? hwims_cancel_now_ns() + ctx->timeout_ns : 0;
	if (hwims_cancel_new_child(&ctx->cancel, NULL, deadline, &err) != 0)
		return cli_report_error(ctx, &err);
	/* Signals go to the watcher thread only, which turns them into a cancellation. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&ctx->signal_thread, NULL, signal_watch, ctx) == 0)
		ctx->signal_thread_started = 1;
	return 0;
}

void cli_disconnect(cli_ctx *ctx)
{
	if (ctx->signal_thread_started) {
		pthread_cancel(ctx->signal_thread);
		pthread_join(ctx->signal_thread, NULL);
		ctx->signal_thread_started = 0;
	}
	hwims_client_free(ctx->client);
	ctx->client = NULL;
	hwims_cancel_free(ctx->cancel);
	ctx->cancel = NULL;
}

int cli_split_id(const char *text, char **buffer, const char **region, const char **id)
{
	*buffer = NULL;
	*region = NULL;
	*id = NULL;
	if (!text || !*text || strchr(text, ' '))
		return -1;
	char *copy = strdup(text);
	if (!copy)
		return -1;
	char *slash = strchr(copy, '/');
	if (slash) {
		if (slash == copy || slash[1] == '\0' || strchr(slash + 1, '/')) {
			free(copy);
			return -1;
		}
		*slash = '\0';
		*region = copy;
		*id = slash + 1;
	} else {
		*id = copy;
	}
	*buffer = copy;
	return 0;
}

int cli_image_operand(const cli_ctx *ctx, const char *text, char **buffer, const char **region,
                      const char **id)
{
	if (cli_split_id(text, buffer, region, id) != 0)
		return cli_usage_error(ctx, "\"%s\" is not IMAGE_ID or REGION/IMAGE_ID", text);
	return 0;
}

int cli_parse_image_args(cli_ctx *ctx, int argc, char **argv, const char *help, char **buffer,
                         const char **id)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int c, help_shown = 0, rc;
	const char *region;
	*buffer = NULL;
	*id = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(ctx, c, optarg, help, &help_shown) <= 0)
			return c == '?' ? cli_bad_flag(ctx, argv) : CLI_EXIT_USAGE;
	}
	if (help_shown)
		return CLI_EXIT_OK;
	if (optind != argc - 1)
		return cli_usage_error(ctx, "expected one IMAGE_ID");
	if ((rc = cli_image_operand(ctx, argv[optind], buffer, &region, id)) != 0)
		return rc;
	if (region)
		ctx->region = region;
	return 0;
}

void cli_warn_caution(const cli_ctx *ctx, const hwims_copy_spec *spec)
{
	hwims_error w;
	if (hwims_copy_spec_caution(spec, &w) == 1)
		cli_print_line(stderr, "hwims %s: warning: %s", ctx->command, w.message);
}
