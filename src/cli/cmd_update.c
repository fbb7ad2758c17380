/* cmd_update.c - `hwims update`: change what can change in place. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: hwims update [REGION/]IMAGE_ID [flags]\n"
    "\n"
    "Change a copy in place: only what the flags change is sent. REGION is where the copy\n"
    "lives (default --region or HW_REGION_NAME). Prints the copy afterwards.\n"
    "\n"
    "Flags:\n"
    "  --name NAME                   new name\n"
    "  --description TEXT            new description\n"
    "  --min-ram MB                  new minimum memory\n"
    "  --max-ram MB                  new maximum memory\n"
    "  --tag KEY=VALUE               add or change a tag (repeatable)\n"
    "  --untag KEY                   remove a tag (repeatable)\n"
    "  --enterprise-project-id ID    move the copy to this enterprise project\n"
    "  --timeout DURATION            how long to wait for an enterprise project move\n"
    "  --output table|json           output format (default table)\n"
    "  --endpoint SERVICE=URL        endpoint template for ims, iam or eps (repeatable)\n";

enum {
	OPT_NAME = CLI_OPT_FIRST_COMMAND,
	OPT_DESCRIPTION,
	OPT_MIN_RAM,
	OPT_MAX_RAM,
	OPT_TAG,
	OPT_UNTAG,
	OPT_EPS
};

typedef struct change {
	int opt;
	const char *arg;
} change;

/* Apply the flags, in the order given, to spec. */
static int apply(cli_ctx *ctx, hwims_copy_spec *spec, const change *ch, size_t n)
{
	hwims_error err;
	for (size_t i = 0; i < n; i++) {
		const char *a = ch[i].arg;
		int rc = 0;
		int64_t v;
		switch (ch[i].opt) {
		case OPT_NAME:
			rc = hwims_copy_spec_set(&spec->name, a, &err);
			break;
		case OPT_DESCRIPTION:
			rc = hwims_copy_spec_set(&spec->description, a, &err);
			break;
		case OPT_EPS:
			rc = hwims_copy_spec_set(&spec->enterprise_project_id, a, &err);
			break;
		case OPT_MIN_RAM:
		case OPT_MAX_RAM:
			if (cli_parse_int64(a, &v) != 0)
				return cli_usage_error(
				    ctx, "--%s expects a number of MB, got \"%s\"",
				    ch[i].opt == OPT_MIN_RAM ? "min-ram" : "max-ram", a);
			if (ch[i].opt == OPT_MIN_RAM) {
				spec->has_min_ram = 1;
				spec->min_ram = v;
			} else {
				spec->has_max_ram = 1;
				spec->max_ram = v;
			}
			break;
		case OPT_TAG:
			if ((rc = cli_tag_option(ctx, &spec->tags, a)) != 0)
				return rc;
			break;
		case OPT_UNTAG:
			hwims_tags_remove(&spec->tags, a);
			break;
		}
		if (rc != 0)
			return cli_report_error(ctx, &err);
	}
	return 0;
}

/* The flags of the command into ch (*n of them, at most argc); 0 or the exit status to end
 * with (CLI_EXIT_OK after --help, with *help_shown set). */
static int parse_changes(cli_ctx *ctx, int argc, char **argv, change *ch, size_t *n,
                         int *help_shown)
{
	static const struct option opts[] = {
	    {"name", 1, NULL, OPT_NAME},
	    {"description", 1, NULL, OPT_DESCRIPTION},
	    {"min-ram", 1, NULL, OPT_MIN_RAM},
	    {"max-ram", 1, NULL, OPT_MAX_RAM},
	    {"tag", 1, NULL, OPT_TAG},
	    {"untag", 1, NULL, OPT_UNTAG},
	    {"enterprise-project-id", 1, NULL, OPT_EPS},
	    CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c >= CLI_OPT_FIRST_COMMAND) {
			ch[*n].opt = c;
			ch[*n].arg = optarg;
			(*n)++;
			continue;
		}
		if (cli_common_option(ctx, c, optarg, help, help_shown) <= 0)
			return c == '?' ? cli_bad_flag(ctx, argv) : CLI_EXIT_USAGE;
	}
	if (*help_shown)
		return CLI_EXIT_OK;
	if (optind != argc - 1)
		return cli_usage_error(ctx, "expected one IMAGE_ID");
	if (*n == 0)
		return cli_usage_error(ctx, "nothing to change: give at least one of --name, "
		                            "--description, --min-ram, --max-ram, --tag, --untag, "
		                            "--enterprise-project-id");
	return 0;
}

/* The changes applied to a scratch spec and validated, so bad input sends nothing. */
static int check_changes(cli_ctx *ctx, const change *ch, size_t n)
{
	hwims_copy_spec scratch = HWIMS_COPY_SPEC_INIT;
	hwims_error err;
	hwims_copy_spec_set(&scratch.source_image_id, "x", NULL);
	hwims_copy_spec_set(&scratch.name, "x", NULL);
	int rc = apply(ctx, &scratch, ch, n);
	if (rc == 0 && hwims_copy_spec_validate(&scratch, NULL, &err) != 0)
		rc = cli_report_error(ctx, &err);
	hwims_copy_spec_free(&scratch);
	return rc;
}

/* The copy id (in the client's region) updated with the changes and printed: its current
 * state is what import recovers from the copy itself. */
static int update_copy(cli_ctx *ctx, const char *id, const change *ch, size_t n)
{
	hwims_copy_spec old = HWIMS_COPY_SPEC_INIT, new_ = HWIMS_COPY_SPEC_INIT;
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	hwims_error err;
	hwims_image *img = NULL;
	char *import_id = NULL;
	int rc = CLI_EXIT_OK;
	o.cancel = ctx->cancel;
	o.update_timeout_ns = ctx->timeout_ns;
	/* as long as the ID given: a fixed buffer would cut it and import another image's ID */
	hwims_buf ib = HWIMS_BUF_INIT;
	if (hwims_buf_printf(&ib, "%s/%s", hwims_client_region(ctx->client), id) != 0 ||
	    !(import_id = hwims_buf_detach(&ib))) {
		hwims_buf_free(&ib);
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		return cli_report_error(ctx, &err);
	}
	if (hwims_image_copy_import(ctx->client, import_id, &o, &old, NULL, &err) != 0 ||
	    hwims_copy_spec_copy(&new_, &old, &err) != 0) {
		rc = cli_report_error(ctx, &err);
		goto out;
	}
	if ((rc = apply(ctx, &new_, ch, n)) != 0)
		goto out;
	if (hwims_image_copy_update(ctx->client, &old, &new_, id, &o, &img, &err) != 0) {
		rc = cli_report_error(ctx, &err);
		goto out;
	}
	if (img)
		cli_print_image(ctx, img);
out:
	hwims_image_free(img);
	hwims_copy_spec_free(&old);
	hwims_copy_spec_free(&new_);
	free(import_id);
	return rc;
}

int cli_cmd_update(cli_ctx *ctx, int argc, char **argv)
{
	/* at most one change per argument: as many as the command line holds */
	change *ch = calloc((size_t)argc, sizeof(*ch));
	size_t n = 0;
	int help_shown = 0, rc;
	char *buf = NULL;
	const char *region, *id;
	hwims_error err;
	if (!ch) {
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		return cli_report_error(ctx, &err);
	}
	rc = parse_changes(ctx, argc, argv, ch, &n, &help_shown);
	if (rc != 0 || help_shown)
		goto out;
	if ((rc = cli_image_operand(ctx, argv[optind], &buf, &region, &id)) != 0 ||
	    (rc = check_changes(ctx, ch, n)) != 0)
		goto out;
	if (region)
		ctx->region = region;
	if ((rc = cli_connect(ctx)) != 0)
		goto out;
	rc = update_copy(ctx, id, ch, n);
out:
	free(buf);
	free(ch);
	return rc;
}
