/*
 * list_filters.h - the filters of `hwims list` and `hwims show` (--all-attributes), and the
 * list query run in one region or in every region at once.
 */
#ifndef CLI_LIST_FILTERS_H
#define CLI_LIST_FILTERS_H

#include "cli.h"
#include "hwims/image_query.h"

/* The flags of `hwims list`, as getopt_long values after the common ones. */
enum {
	CLI_OPT_LIST_NAME = CLI_OPT_FIRST_COMMAND,
	CLI_OPT_LIST_REGEX,
	CLI_OPT_LIST_TAG,
	CLI_OPT_LIST_OS,
	CLI_OPT_LIST_ARCH,
	CLI_OPT_LIST_VISIBILITY,
	CLI_OPT_LIST_TYPE,
	CLI_OPT_LIST_SOURCE,
	CLI_OPT_LIST_ALL_REGIONS,
	CLI_OPT_LIST_ALL_ATTRIBUTES
};

/* getopt_long rows of those flags (no terminator: spliced before CLI_COMMON_OPTIONS). */
#define CLI_LIST_OPTIONS                                                                           \
	{"name", 1, NULL, CLI_OPT_LIST_NAME}, {"name-regex", 1, NULL, CLI_OPT_LIST_REGEX},         \
	    {"tag", 1, NULL, CLI_OPT_LIST_TAG}, {"os", 1, NULL, CLI_OPT_LIST_OS},                  \
	    {"architecture", 1, NULL, CLI_OPT_LIST_ARCH},                                          \
	    {"visibility", 1, NULL, CLI_OPT_LIST_VISIBILITY},                                      \
	    {"image-type", 1, NULL, CLI_OPT_LIST_TYPE},                                            \
	    {"source-image", 1, NULL, CLI_OPT_LIST_SOURCE},                                        \
	    {"all-regions", 0, NULL, CLI_OPT_LIST_ALL_REGIONS},                                    \
	{                                                                                          \
		"all-attributes", 0, NULL, CLI_OPT_LIST_ALL_ATTRIBUTES                             \
	}

/* What `hwims list` was asked. Strings borrowed from argv. */
typedef struct cli_list_args {
	hwims_image_query_options q; /* region left NULL: set per region */
	int all_regions;
	int all_attributes;
} cli_list_args;

/* Defaults of `hwims list`: private images (copies included) in any status, newest first. */
void cli_list_args_init(cli_list_args *a);

/* Take one flag (opt from getopt_long). Returns 1 when it was a list flag, else 0. */
int cli_list_option(cli_list_args *a, int opt, const char *arg);

/* Check the arguments before anything is sent ("--visibility all" means any visibility);
   reports bad usage (exit status returned) naming the flag, else 0. */
int cli_list_check(const cli_ctx *ctx, cli_list_args *a);

/* The images found in each region queried, in region order. */
typedef struct cli_list_found {
	hwims_image_results **per_region; /* owned */
	size_t n_regions;
} cli_list_found;

/* Query ctx's region (or, with all_regions, every region the credentials see, one thread
   each). Reports the first failure (exit status returned), else 0 with *found filled (free
   with cli_list_found_free). */
int cli_list_run(cli_ctx *ctx, const cli_list_args *a, cli_list_found *found);
void cli_list_found_free(cli_list_found *found);

/* Remove "--all-attributes" from argv (show takes only the common flags otherwise); returns
   1 when it was there. argc is updated. */
int cli_take_all_attributes(int *argc, char **argv);

#endif
