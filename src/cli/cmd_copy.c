/* cmd_copy.c - `hwims copy`: create a copy and wait for it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: hwims copy --source-image-id ID --name NAME [flags]\n"
    "\n"
    "Copy an image within its region, or to other regions with --target-region, wait\n"
    "for the copy job, set RAM bounds and tags on the copy, and print the copy. With\n"
    "several target regions the copies run at once and each is printed.\n"
    "\n"
    "Flags:\n"
    "  --source-image-id ID          the image to copy (required)\n"
    "  --name NAME                   name of the copy (required): 1-128 letters, digits,\n"
    "                                _ - . and spaces, not starting or ending with a space\n"
    "  --description TEXT            description of the copy (at most 1024 characters)\n"
    "  --region REGION               region of the source image (default HW_REGION_NAME)\n"
    "  --target-region REGION[,...]  copy to this region (a cross-region copy); repeat it\n"
    "                                or give a comma list to copy to several at once\n"
    "  --agency-name NAME            IAM agency for IMS (required with --target-region)\n"
    "  --vault-id ID                 CBR vault in the target region (full-ECS images)\n"
    "  --kms-key-id ID               encrypt the copy with this KMS key (within a region)\n"
    "  --enterprise-project-id ID    enterprise project of the copy (within a region)\n"
    "  --min-ram MB                  minimum memory of the copy\n"
    "  --max-ram MB                  maximum memory of the copy\n"
    "  --tag KEY=VALUE               tag the copy (repeatable)\n"
    "  --timeout DURATION            how long to wait for the copy job (default 60m)\n"
    "  --no-wait                     print the job ID as soon as the copy was accepted\n"
    "                                (not with --min-ram, --max-ram or --tag, which are set\n"
    "                                only once the job succeeded: use 'hwims update')\n"
    "  --output table|json           output format (default table)\n"
    "  --endpoint SERVICE=URL        endpoint template for ims, iam or eps (repeatable)\n"
    "\n"
    "If the wait times out (exit 3) or is interrupted (exit 130), the copy goes on in the\n"
    "cloud: the message names the job and the new image so you can wait for it with\n"
    "'hwims job' or remove it with 'hwims delete'. With several target regions the exit\n"
    "status is 0 only if every copy succeeded, and a summary names each region's images.\n";

enum {
	OPT_SOURCE = CLI_OPT_FIRST_COMMAND,
	OPT_NAME,
	OPT_DESCRIPTION,
	OPT_TARGET,
	OPT_AGENCY,
	OPT_VAULT,
	OPT_KMS,
	OPT_EPS,
	OPT_MIN_RAM,
	OPT_MAX_RAM,
	OPT_TAG,
	OPT_NO_WAIT
};

/* --min-ram, --max-ram and tags are set on the copy only after its job succeeded, which
 * --no-wait does not wait for: refuse them rather than make a copy without them. */
static int no_wait_conflicts(const cli_ctx *ctx, const hwims_copy_spec *spec)
{
	char flags[64] = "";
	if (spec->has_min_ram)
		strcat(flags, ", --min-ram");
	if (spec->has_max_ram)
		strcat(flags, ", --max-ram");
	if (spec->tags.count > 0)
		strcat(flags, ", --tag");
	if (!flags[0])
		return 0;
	return cli_usage_error(
	    ctx,
	    "--no-wait cannot honour %s: they are set on the copy only after its "
	    "job succeeded. Run without --no-wait, or set them with "
	    "'hwims update REGION/IMAGE_ID' once the copy is active",
	    flags + 2);
}

int cli_cmd_copy(cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"source-image-id", 1, NULL, OPT_SOURCE},
	    {"name", 1, NULL, OPT_NAME},
	    {"description", 1, NULL, OPT_DESCRIPTION},
	    {"target-region", 1, NULL, OPT_TARGET},
	    {"agency-name", 1, NULL, OPT_AGENCY},
	    {"vault-id", 1, NULL, OPT_VAULT},
	    {"kms-key-id", 1, NULL, OPT_KMS},
	    {"enterprise-project-id", 1, NULL, OPT_EPS},
	    {"min-ram", 1, NULL, OPT_MIN_RAM},
	    {"max-ram", 1, NULL, OPT_MAX_RAM},
	    {"tag", 1, NULL, OPT_TAG},
	    {"no-wait", 0, NULL, OPT_NO_WAIT},
	    CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	hwims_copy_spec spec = HWIMS_COPY_SPEC_INIT;
	cli_targets targets = {NULL, 0};
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	int rc = CLI_EXIT_USAGE, help_shown = 0, c;
	hwims_error err;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int common = cli_common_option(ctx, c, optarg, help, &help_shown);
		if (common < 0)
			goto out;
		if (common > 0)
			continue;
		char **field = NULL;
		switch (c) {
		case OPT_SOURCE:
			field = &spec.source_image_id;
			break;
		case OPT_NAME:
			field = &spec.name;
			break;
		case OPT_DESCRIPTION:
			field = &spec.description;
			break;
		case OPT_TARGET:
			if ((rc = cli_targets_add(ctx, &targets, optarg)) != 0)
				goto out;
			rc = CLI_EXIT_USAGE;
			continue;
		case OPT_AGENCY:
			field = &spec.agency_name;
			break;
		case OPT_VAULT:
			field = &spec.vault_id;
			break;
		case OPT_KMS:
			field = &spec.kms_key_id;
			break;
		case OPT_EPS:
			field = &spec.enterprise_project_id;
			break;
		case OPT_MIN_RAM:
		case OPT_MAX_RAM:
			if (cli_parse_int64(optarg, c == OPT_MIN_RAM ? &spec.min_ram
			                                             : &spec.max_ram) != 0) {
				rc = cli_usage_error(ctx, "--%s expects a number of MB, got \"%s\"",
				                     c == OPT_MIN_RAM ? "min-ram" : "max-ram",
				                     optarg);
				goto out;
			}
			*(c == OPT_MIN_RAM ? &spec.has_min_ram : &spec.has_max_ram) = 1;
			continue;
		case OPT_TAG:
			if ((rc = cli_tag_option(ctx, &spec.tags, optarg)) != 0)
				goto out;
			rc = CLI_EXIT_USAGE;
			continue;
		case OPT_NO_WAIT:
			o.no_wait = 1;
			continue;
		default:
			rc = cli_bad_flag(ctx, argv);
			goto out;
		}
		if (hwims_copy_spec_set(field, optarg, &err) != 0) {
			rc = cli_report_error(ctx, &err);
			goto out;
		}
	}
	if (help_shown) {
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (optind < argc) {
		rc = cli_usage_error(ctx, "unexpected argument \"%s\"", argv[optind]);
		goto out;
	}
	if (o.no_wait && (rc = no_wait_conflicts(ctx, &spec)) != 0)
		goto out;
	if (targets.count > 1) {
		rc = cli_copy_fanout(ctx, &spec, &targets, o.no_wait);
		goto out;
	}
	if (targets.count == 1 &&
	    hwims_copy_spec_set(&spec.target_region, targets.names[0], &err) != 0) {
		rc = cli_report_error(ctx, &err);
		goto out;
	}
	/* Check the input before connecting, so bad input never costs a request. */
	if (hwims_copy_spec_validate(&spec, ctx->region ? ctx->region : getenv("HW_REGION_NAME"),
	                             &err) != 0) {
		rc = cli_report_error(ctx, &err);
		goto out;
	}
	if ((rc = cli_connect(ctx)) != 0)
		goto out;
	cli_progress *p = cli_progress_start(ctx, "copying");
	o.create_timeout_ns = ctx->timeout_ns;
	o.cancel = ctx->cancel;
	o.progress = p ? cli_progress_update : NULL;
	o.progress_userdata = cli_progress_row_at(p, 0);
	o.watch_image_status = p != NULL;
	hwims_copy_result r;
	int ok = hwims_image_copy_create(ctx->client, &spec, &o, &r, &err);
	cli_progress_stop(p);
	const char *src = hwims_client_region(ctx->client);
	if (ok != 0) {
		/* in JSON, the document that says what the copy left carries the error */
		cli_print_partial(ctx, &r, &err);
		rc = cli_report_error_text(ctx, &err);
		if (err.kind != HWIMS_ERR_JOB_FAILED)
			cli_explain_unfinished(&r, src, "");
	} else if (o.no_wait) {
		cli_print_submitted(ctx, &r, src);
		rc = CLI_EXIT_OK;
	} else {
		cli_print_image(ctx, r.image);
		rc = CLI_EXIT_OK;
	}
	hwims_copy_result_free(&r);
out:
	cli_targets_free(&targets);
	hwims_copy_spec_free(&spec);
	return rc;
}
