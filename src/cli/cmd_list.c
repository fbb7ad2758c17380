/* cmd_list.c - `hwims list`: find images (copies above all) in a region or in all of them. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "list_filters.h"

static const char help[] =
    "Usage: hwims list [flags]\n"
    "\n"
    "List images: by default the private images (copies included, in any status) of a\n"
    "region, newest first. The filters are those of the data source\n"
    "huaweicloud_images_images; each given filter must match.\n"
    "\n"
    "Flags:\n"
    "  --name NAME              exactly this name\n"
    "  --name-regex REGEX       names matching a POSIX extended regular expression\n"
    "                           (anywhere in the name unless anchored with ^ or $)\n"
    "  --tag KEY=VALUE          images with this tag\n"
    "  --os OS                  operating system platform (Ubuntu, CentOS, Windows, ...)\n"
    "  --architecture ARCH      x86 or arm\n"
    "  --visibility VISIBILITY  private (default), public, shared, market or all\n"
    "  --image-type TYPE        FusionCompute, DataImage, Ironic or IsoImage\n"
    "  --source-image ID        copies of this image only\n"
    "  --all-regions            every region the credentials can see, queried at once\n"
    "  --all-attributes         with --output json, every attribute (null when unset);\n"
    "                           by default only the attributes that have a value\n"
    "  --region REGION          region to list (default HW_REGION_NAME)\n"
    "  --output table|json      output format (default table: one row per image, with\n"
    "                           the region it lives in)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable)\n";

/* Parse the flags into *a. Returns -1 to go on, else the exit status (0: --help shown). */
static int parse(cli_ctx *ctx, int argc, char **argv, cli_list_args *a)
{
	static const struct option opts[] = {
	    CLI_LIST_OPTIONS, CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int c, help_shown = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_list_option(a, c, optarg))
			continue;
		if (cli_common_option(ctx, c, optarg, help, &help_shown) <= 0)
			return c == '?' ? cli_bad_flag(ctx, argv) : CLI_EXIT_USAGE;
	}
	if (help_shown)
		return CLI_EXIT_OK;
	if (optind != argc)
		return cli_usage_error(ctx, "unexpected argument \"%s\"", argv[optind]);
	int rc = cli_list_check(ctx, a);
	return rc ? rc : -1;
}

int cli_cmd_list(cli_ctx *ctx, int argc, char **argv)
{
	cli_list_args a;
	cli_list_found found;

	cli_list_args_init(&a);
	int rc = parse(ctx, argc, argv, &a);
	if (rc >= 0)
		return rc;
	if ((rc = cli_connect(ctx)) != 0 || (rc = cli_list_run(ctx, &a, &found)) != 0)
		return rc;
	/* One table or one JSON array for every region, in region order. */
	size_t total = 0;
	for (size_t r = 0; r < found.n_regions; r++)
		total += hwims_image_results_count(found.per_region[r]);
	const hwims_image **all = calloc(total + 1, sizeof(*all));
	if (!all) {
		cli_list_found_free(&found);
		hwims_error err;
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		return cli_report_error(ctx, &err);
	}
	size_t k = 0;
	for (size_t r = 0; r < found.n_regions; r++)
		for (size_t i = 0; i < hwims_image_results_count(found.per_region[r]); i++)
			all[k++] = hwims_image_results_image(found.per_region[r], i);
	cli_output_all_attributes(a.all_attributes);
	cli_print_images(ctx, (hwims_image *const *)all, k);
	free(all);
	cli_list_found_free(&found);
	return CLI_EXIT_OK;
}
