/* cmd_show.c - `hwims show`: the attributes of a copy (those with a value, or all). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "list_filters.h"

static const char help[] =
    "Usage: hwims show [REGION/]IMAGE_ID [flags]\n"
    "\n"
    "Print the attributes of an image copy that have a value, by the Terraform\n"
    "resource's attribute names. REGION is where the copy lives (for a cross-region\n"
    "copy, its target region); without it, --region or HW_REGION_NAME.\n"
    "\n"
    "Flags:\n"
    "  --region REGION          region the copy lives in\n"
    "  --all-attributes         every attribute (\"-\" or null when unset); by default\n"
    "                           only the attributes that have a value\n"
    "  --output table|json      output format (default table)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable)\n"
    "\n"
    "Exit status 1 when no such image exists.\n";

int cli_cmd_show(cli_ctx *ctx, int argc, char **argv)
{
	char *buf = NULL;
	const char *id;
	cli_output_all_attributes(cli_take_all_attributes(&argc, argv));
	int rc = cli_parse_image_args(ctx, argc, argv, help, &buf, &id);
	if (rc != 0 || !id) /* bad usage, or --help shown */
		return rc;
	if ((rc = cli_connect(ctx)) != 0)
		goto out;
	hwims_image *img = NULL;
	hwims_error err;
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	o.cancel = ctx->cancel;
	int got = hwims_image_copy_read(ctx->client, NULL, id, &o, &img, &err);
	if (got == HWIMS_ENOTFOUND) {
		hwims_error_set(&err, HWIMS_ERR_NOT_FOUND, "image %s not found in %s", id,
		                hwims_client_region(ctx->client));
		rc = cli_report_error(ctx, &err);
	} else if (got < 0) {
		rc = cli_report_error(ctx, &err);
	} else {
		cli_print_image(ctx, img);
		rc = CLI_EXIT_OK;
	}
	hwims_image_free(img);
out:
	free(buf);
	return rc;
}
