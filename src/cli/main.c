/* main.c - hwims: copy Huawei Cloud IMS images from a shell (docs/cli.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hwims/version.h"

static const char usage[] =
    "Usage: hwims <command> [flags]\n"
    "\n"
    "Copy Huawei Cloud IMS images within a region or to another region, and manage the\n"
    "copies: the same workflow as the Terraform resource huaweicloud_images_image_copy.\n"
    "\n"
    "Commands:\n"
    "  copy     copy an image (within the region, or to one or more --target-region) and\n"
    "           wait for it\n"
    "  show     show every attribute of a copy\n"
    "  list     find images (copies above all) in a region or in every region\n"
    "  update   change a copy's name, description, RAM bounds, tags or enterprise project\n"
    "  delete   delete a copy and wait until it is gone\n"
    "  job      show (or wait for) a copy job\n"
    "\n"
    "Flags every command takes:\n"
    "  --region REGION          the region (default: HW_REGION_NAME)\n"
    "  --endpoint SERVICE=URL   endpoint template for ims, iam or eps (repeatable; {region}\n"
    "                           is replaced); default HW_IMS_ENDPOINT / HW_IAM_ENDPOINT /\n"
    "                           HW_EPS_ENDPOINT, else the public Huawei Cloud endpoints\n"
    "  --output table|json      output format (default table)\n"
    "  --timeout DURATION       how long to wait, e.g. 90s, 10m, 1h30m\n"
    "  --help                   help for the command\n"
    "\n"
    "Credentials come from HW_ACCESS_KEY, HW_SECRET_KEY (and HW_SECURITY_TOKEN).\n"
    "Exit status: 0 done, 1 refused by the cloud or job failed, 2 bad usage or invalid\n"
    "input (nothing sent), 3 timed out, 130 interrupted.\n"
    "Run 'hwims <command> --help' for the command's flags.\n";

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(cli_ctx *, int, char **);
	} commands[] = {
	    {"copy", cli_cmd_copy},     {"show", cli_cmd_show},     {"list", cli_cmd_list},
	    {"update", cli_cmd_update}, {"delete", cli_cmd_delete}, {"job", cli_cmd_job},
	};
	opterr = 0; /* the sub-commands word their own flag errors */
	if (argc < 2) {
		fputs(usage, stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("hwims %s\n", HWIMS_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		cli_ctx ctx;
		memset(&ctx, 0, sizeof(ctx));
		ctx.command = commands[i].name;
		ctx.progress = isatty(STDERR_FILENO);
		int rc = commands[i].fn(&ctx, argc - 1, argv + 1);
		cli_disconnect(&ctx);
		return rc;
	}
	cli_print_line(stderr, "hwims: unknown command \"%s\"", argv[1]);
	fprintf(stderr, "\n%s", usage);
	return CLI_EXIT_USAGE;
}
