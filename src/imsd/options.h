/* options.h - imsd's command line. */
#ifndef IMSD_OPTIONS_H
#define IMSD_OPTIONS_H

#include <hwims/error.h>

#include "faults.h"

typedef struct imsd_options {
	char host[128];
	char port[16];
	const char *data_dir;       /* borrowed from argv */
	const char *seed_path;      /* borrowed, NULL = built-in */
	const char *default_region; /* borrowed, NULL = seed's first */
	double time_scale;
	int threads;
	double header_timeout_s; /* --header-timeout */
	int admin;
	int log_requests;
	int print_seed;
	int help;
	imsd_fault_settings faults;
} imsd_options;

/* Parse argv (argv[0] is skipped). HWIMS_ERR_USAGE with a message naming
 * the flag on bad input. */
int imsd_options_parse(int argc, char **argv, imsd_options *o, hwims_error *err);

/* The --help text. */
extern const char imsd_usage[];

#endif
