/*
 * cli_itest.h - helpers of the CLI integration tests: an imsd to run against,
 * build/bin/hwims run as a subprocess (optionally with stderr on a
 * pseudo-terminal, as a user at a terminal sees it), and checks of its exit
 * status and output.
 */
#ifndef CLI_ITEST_H
#define CLI_ITEST_H

#include "itest.h"

#define HWIMS_CLI HWIMS_BIN_DIR "/hwims"
#define UBUNTU    IMG_UBUNTU
#define LARGE     IMG_LARGE
#define KMS_KEY   "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
#define AGENCY    "ims_admin_agency"

typedef struct cli_env {
	itest t; /* imsd, and a client for direct calls to it */
	char *tmp;
	char ims[200], iam[200], eps[200];
} cli_env;

/* How to run the CLI. Zero-initialise: no fault, no signal, stderr to a file. */
typedef struct cli_run_opts {
	int closed;       /* point the IMS endpoint at a closed port */
	int interrupt_ms; /* > 0: send SIGINT this long after the start */
	/* > 0: stderr (and stdin) on a pseudo-terminal of pty_cols x pty_rows (stdout stays a
	   file); -1: a pseudo-terminal that reports no size (0 x 0) */
	int pty_cols, pty_rows;
	const char *columns;          /* COLUMNS in the CLI's environment, NULL: unset */
	int resize_ms, resize_cols;   /* > 0: make the terminal resize_cols wide after resize_ms */
	const char *const *extra_env; /* more NAME=VALUE entries, NULL-terminated, may be NULL */
} cli_run_opts;

typedef struct run_result {
	int status; /* exit status, or 128+signal */
	char *out, *err;
	size_t err_len;
	/* with resize_ms: the length of err 600 ms after the resize, when a redraw at the new
	   width has surely happened */
	size_t settled_at;
} run_result;

/* Run hwims with args (NULL-terminated, without argv[0]) against env's imsd. */
run_result cli_run(cli_env *env, const cli_run_opts *o, const char *const *args);
/* cli_run with only closed and interrupt_ms set. */
run_result run_cli(cli_env *env, int closed, int interrupt_ms, const char *const *args);
/* Run hwims with the arguments of prefix, then those of more (both NULL-terminated), and set
 *requests to the number of requests imsd got meanwhile. */
run_result run_cli_counted(cli_env *env, const char *const *prefix, const char *const *more,
                           long *requests);
void run_free(run_result *r);

/* Fail with both outputs unless the CLI exited with status. */
void expect_status(const run_result *r, int status);
/* stdout as JSON (caller decrefs); fails the test when it is not JSON. */
json_t *parse(const run_result *r);

/* cmocka group setup: imsd at time scale 100 (with the admin API), env in *state; *state NULL
   when hwims or imsd is not built (the tests then skip). extra: more imsd arguments. */
int cli_env_setup(void **state, const char *const *extra);
/* cli_env_setup without extra arguments. */
int cli_env_setup_default(void **state);
int cli_env_teardown(void **state);
/* The env of a test, or skip() when the group found nothing to run. */
cli_env *env_or_skip(void **state);

/* Count the requests imsd gets from now on (through a 1 ms latency fault with a budget):
   cli_requests_begin arms it, cli_requests_end returns the count and disarms it. */
void cli_requests_begin(cli_env *env);
long cli_requests_end(cli_env *env);

/* A loopback port that accepts connections (the kernel does, into the backlog) and never
   answers; *fd is the listening socket, which the caller closes. */
int cli_silent_port(int *fd);

#endif
