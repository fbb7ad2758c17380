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

/* What the flags of one `hwims copy` set. */
typedef struct copy_args {
	hwims_copy_spec spec;
	cli_targets targets;
	int no_wait;
	int help_shown;
} copy_args;

/* The field of spec a plain text flag sets, or NULL when c is not one. */
static char **text_field(hwims_copy_spec *spec, int c)
{
	switch (c) {
	case OPT_SOURCE:
		return &spec->source_image_id;
	case OPT_NAME:
		return &spec->name;
	case OPT_DESCRIPTION:
		return &spec->description;
	case OPT_AGENCY:
		return &spec->agency_name;
	case OPT_VAULT:
		return &spec->vault_id;
	case OPT_KMS:
		return &spec->kms_key_id;
	case OPT_EPS:
		return &spec->enterprise_project_id;
	default:
		return NULL;
	}
}

/* --min-ram or --max-ram (c says which) from its text. */
static int ram_flag(cli_ctx *ctx, hwims_copy_spec *spec, int c, const char *text)
{
	int min = c == OPT_MIN_RAM;
	if (cli_parse_int64(text, min ? &spec->min_ram : &spec->max_ram) != 0)
		return cli_usage_error(ctx, "--%s expects a number of MB, got \"%s\"",
		                       min ? "min-ram" : "max-ram", text);
	*(min ? &spec->has_min_ram : &spec->has_max_ram) = 1;
	return 0;
}

/* One flag of the command (not a common one) into a; 0 or the exit status to end with. */
static int copy_flag(cli_ctx *ctx, copy_args *a, int c, const char *text, char **argv)
{
	hwims_error err;
	char **field = text_field(&a->spec, c);
	if (field) {
		if (hwims_copy_spec_set(field, text, &err) != 0)
			return cli_report_error(ctx, &err);
		return 0;
	}
	switch (c) {
	case OPT_TARGET:
		return cli_targets_add(ctx, &a->targets, text);
	case OPT_MIN_RAM:
	case OPT_MAX_RAM:
		return ram_flag(ctx, &a->spec, c, text);
	case OPT_TAG:
		return cli_tag_option(ctx, &a->spec.tags, text);
	case OPT_NO_WAIT:
		a->no_wait = 1;
		return 0;
	default:
		return cli_bad_flag(ctx, argv);
	}
}

/* Every flag and argument into a; 0 or the exit status to end with. */
static int parse_copy_args(cli_ctx *ctx, int argc, char **argv, copy_args *a)
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
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int common = cli_common_option(ctx, c, optarg, help, &a->help_shown);
		if (common < 0)
			return CLI_EXIT_USAGE;
		if (common == 0 && (rc = copy_flag(ctx, a, c, optarg, argv)) != 0)
			return rc;
	}
	if (a->help_shown)
		return 0;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument \"%s\"", argv[optind]);
	if (a->no_wait && (rc = no_wait_conflicts(ctx, &a->spec)) != 0)
		return rc;
	return 0;
}

/* The copy to one region (or within it), waited for with progress unless no_wait. */
static int copy_one(cli_ctx *ctx, const hwims_copy_spec *spec, int no_wait)
{
	hwims_error err;
	hwims_copy_options o = HWIMS_COPY_OPTIONS_INIT;
	o.no_wait = no_wait;
	/* Check the input before connecting, so bad input never costs a request. */
	if (hwims_copy_spec_validate(spec, ctx->region ? ctx->region : getenv("HW_REGION_NAME"),
	                             &err) != 0)
		return cli_report_error(ctx, &err);
	cli_warn_caution(ctx, spec);
	int rc = cli_connect(ctx);
	if (rc != 0)
		return rc;
	cli_progress *p = cli_progress_start(ctx, "copying");
	o.create_timeout_ns = ctx->timeout_ns;
	o.cancel = ctx->cancel;
	o.progress = p ? cli_progress_update : NULL;
	o.progress_userdata = cli_progress_row_at(p, 0);
	o.watch_image_status = p != NULL;
	hwims_copy_result r;
	int ok = hwims_image_copy_create(ctx->client, spec, &o, &r, &err);
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
	} else {
		cli_print_image(ctx, r.image);
	}
	hwims_copy_result_free(&r);
	return rc;
}

int cli_cmd_copy(cli_ctx *ctx, int argc, char **argv)
{
	copy_args a = {HWIMS_COPY_SPEC_INIT, {NULL, 0}, 0, 0};
	hwims_error err;
	int rc = parse_copy_args(ctx, argc, argv, &a);
	if (rc != 0 || a.help_shown)
		goto out;
	if (a.targets.count > 1) {
		rc = cli_copy_fanout(ctx, &a.spec, &a.targets, a.no_wait);
		goto out;
	}
	if (a.targets.count == 1 &&
	    hwims_copy_spec_set(&a.spec.target_region, a.targets.names[0], &err) != 0) {
		rc = cli_report_error(ctx, &err);
		goto out;
	}
	rc = copy_one(ctx, &a.spec, a.no_wait);
out:
	cli_targets_free(&a.targets);
	hwims_copy_spec_free(&a.spec);
	return rc;
}
