/* cmd_delete.c - `hwims delete`: delete a copy and wait until it is gone. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: hwims delete [REGION/]IMAGE_ID [flags]\n"
    "\n"
    "Delete an image copy and wait until queries no longer return it. An image that is\n"
    "already gone counts as deleted. REGION is where the copy lives (default --region or\n"
    "HW_REGION_NAME).\n"
    "\n"
    "Flags:\n"
    "  --region REGION          region the copy lives in\n"
    "  --timeout DURATION       how long to wait for the deletion (default 3m)\n"
    "  --output table|json      output format (default table)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable)\n";

int cli_cmd_delete(cli_ctx *ctx, int argc, char **argv)
{
	char *buf = NULL;
	const char *id;
	int rc = cli_parse_image_args(ctx, argc, argv, help, &buf, &id);
	if (rc != 0 || !id) /* bad usage, or --help shown */
		return rc;
	if ((rc = cli_connect(ctx)) != 0)
		goto out;
	cli_progress *p = cli_progress_start(ctx, "deleting");
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	o.delete_timeout_ns = ctx->timeout_ns;
	o.cancel = ctx->cancel;
	o.progress = p ? cli_progress_update : NULL;
	o.progress_userdata = cli_progress_row_at(p, 0);
	hwims_error err;
	int ok = hwims_image_copy_delete(ctx->client, NULL, id, &o, &err);
	cli_progress_stop(p);
	const char *where = hwims_client_region(ctx->client);
	if (ok != 0) {
		rc = cli_report_error(ctx, &err);
		if (err.kind == HWIMS_ERR_TIMEOUT || err.kind == HWIMS_ERR_CANCELLED)
			cli_print_line(
			    stderr, "Image %s/%s may still be listed; check with: hwims show %s/%s",
			    where, id, where, id);
		goto out;
	}
	if (ctx->format == CLI_OUT_JSON) {
		json_t *j = json_object();
		json_object_set_new(j, "id", cli_json_text(id));
		json_object_set_new(j, "region", cli_json_text(where));
		json_object_set_new(j, "deleted", json_true());
		cli_print_json(j);
	} else {
		cli_print_line(stdout, "deleted %s/%s", where, id);
	}
	rc = CLI_EXIT_OK;
out:
	free(buf);
	return rc;
}
