/* cmd_list.c - `hwims list`: the private images of a region. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: hwims list [--name NAME] [flags]\n"
    "\n"
    "List the private images (copies included) of a region.\n"
    "\n"
    "Flags:\n"
    "  --name NAME              only images with exactly this name\n"
    "  --region REGION          region to list (default HW_REGION_NAME)\n"
    "  --output table|json      output format (default table)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable)\n";

enum { OPT_NAME = CLI_OPT_FIRST_COMMAND };

int cli_cmd_list(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", 1, NULL, OPT_NAME}, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int c, help_shown = 0, rc;
	const char *name = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_NAME) {
			name = optarg;
			continue;
		}
		if (cli_common_option(ctx, c, optarg, help, &help_shown) <= 0)
			return c == '?' ? cli_bad_flag(ctx, argv) : CLI_EXIT_USAGE;
	}
	if (help_shown)
		return CLI_EXIT_OK;
	if (optind != argc)
		return cli_usage_error(ctx, "unexpected argument \"%s\"", argv[optind]);
	if ((rc = cli_connect(ctx)) != 0)
		return rc;
	hwims_image **images = NULL;
	size_t n = 0;
	hwims_error err;
	if (hwims_image_list(ctx->client, NULL, name, ctx->cancel, &images, &n, &err) != 0)
		return cli_report_error(ctx, &err);
	cli_print_images(ctx, images, n);
	for (size_t i = 0; i < n; i++)
		hwims_image_free(images[i]);
	free(images);
	return CLI_EXIT_OK;
}
