/*
 * cli.h - what the sub-commands of the hwims CLI share: the parsed common
 * flags, the client built from them, cancellation on SIGINT/SIGTERM, output
 * and progress helpers, and the exit codes.
 */
#ifndef CLI_H
#define CLI_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "hwims/buf.h"
#include "hwims/client.h"
#include "hwims/config.h"
#include "hwims/image_copy.h"

/* Exit statuses (docs/cli.md). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_REFUSED = 1,      /* the cloud refused, or the job failed */
	CLI_EXIT_USAGE = 2,        /* bad usage or invalid input: nothing was sent */
	CLI_EXIT_TIMEOUT = 3,      /* a wait timed out */
	CLI_EXIT_INTERRUPTED = 130 /* SIGINT/SIGTERM */
};

typedef enum cli_format { CLI_OUT_TABLE, CLI_OUT_JSON } cli_format;

/* Flags every sub-command accepts, and the state built from them. */
typedef struct cli_ctx {
	const char *command;                    /* "copy", ... */
	const char *region;                     /* --region, NULL when not given */
	const char *endpoints[HWIMS_SVC_COUNT]; /* --endpoint SERVICE=URL */
	cli_format format;                      /* --output */
	int64_t timeout_ns;                     /* --timeout, 0 = the operation's default */
	int progress;                           /* show live progress (stderr is a terminal) */
	hwims_client *client;                   /* after cli_connect */
	hwims_cancel *cancel;                   /* triggered by SIGINT/SIGTERM */
	pthread_t signal_thread;                /* waits for SIGINT/SIGTERM */
	int signal_thread_started;
} cli_ctx;

/* Long options every sub-command takes, as getopt_long values. */
enum {
	CLI_OPT_REGION = 1000,
	CLI_OPT_ENDPOINT,
	CLI_OPT_OUTPUT,
	CLI_OPT_TIMEOUT,
	CLI_OPT_HELP,
	CLI_OPT_FIRST_COMMAND /* sub-commands number their own options from here */
};

#define CLI_COMMON_OPTIONS                                                                         \
	{"region", 1, NULL, CLI_OPT_REGION}, {"endpoint", 1, NULL, CLI_OPT_ENDPOINT},              \
	    {"output", 1, NULL, CLI_OPT_OUTPUT}, {"help", 0, NULL, CLI_OPT_HELP},                  \
	{                                                                                          \
		"timeout", 1, NULL, CLI_OPT_TIMEOUT                                                \
	}

/* Handle a common option (opt from getopt_long). Returns 1 when handled, 0 when it is not a
   common option, -1 on bad usage (message printed). CLI_OPT_HELP prints help and sets
   *help_shown. */
int cli_common_option(cli_ctx *ctx, int opt, const char *arg, const char *help, int *help_shown);

/* Print "hwims <command>: <message>" and a hint to --help on stderr, and with --output json the
   error document (as cli_report_error, kind "usage"); returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* getopt_long returned '?': name the flag that is unknown or lacks its value. Returns
   CLI_EXIT_USAGE. */
int cli_bad_flag(const cli_ctx *ctx, char **argv);

/* Load the configuration (flags > HW_* environment > defaults) and create ctx->client and
   ctx->cancel. Reports the error (cli_report_error) and returns its exit status on failure,
   else 0. */
int cli_connect(cli_ctx *ctx);

/* Free what cli_connect made. */
void cli_disconnect(cli_ctx *ctx);

/* Exit status for an error kind. */
int cli_exit_status(hwims_error_kind kind);

/* Report err as the command's outcome: "hwims <command>: <message>" on stderr and, with
   --output json, the error document {"error": {...}} (cli_error_json) on stdout, the run's one
   JSON document. Returns cli_exit_status(err->kind). A command that prints a document of its own
   holding the error (copy, job --wait) uses cli_report_error_text instead. */
int cli_report_error(const cli_ctx *ctx, const hwims_error *err);
/* Only the stderr line of cli_report_error; returns cli_exit_status(err->kind). */
int cli_report_error_text(const cli_ctx *ctx, const hwims_error *err);
/* Warn on stderr (whatever the output format: stdout stays the result) when spec passes the
   rules but not the limits every IMS API page states (hwims_copy_spec_caution). */
void cli_warn_caution(const cli_ctx *ctx, const hwims_copy_spec *spec);

/* Split "[REGION/]ID": *region gets the region part (or NULL), *id the ID; pointers into a
   copy the caller frees with free(*buffer). Returns 0, or -1 when malformed. */
int cli_split_id(const char *text, char **buffer, const char **region, const char **id);

/* cli_split_id for the "[REGION/]IMAGE_ID" operand text: when it is malformed, print the usage
   error and return CLI_EXIT_USAGE (with *buffer NULL), else 0. */
int cli_image_operand(const cli_ctx *ctx, const char *text, char **buffer, const char **region,
                      const char **id);

/* Parse the arguments of a sub-command whose flags are only the common ones and whose one
   operand is "[REGION/]IMAGE_ID" (show, delete). Returns 0 with *id set, pointing into a copy the
   caller frees with free(*buffer), and ctx->region set to REGION when given; 0 with *id NULL
   when --help was shown (nothing left to do); CLI_EXIT_USAGE on bad usage (message printed,
   *buffer NULL). */
int cli_parse_image_args(cli_ctx *ctx, int argc, char **argv, const char *help, char **buffer,
                         const char **id);

/* --tag KEY=VALUE: set the tag in tags. Bad usage or a refused tag is reported (exit status
   returned), else 0. */
int cli_tag_option(const cli_ctx *ctx, hwims_tags *tags, const char *arg);

/* ---- fanout.c ---- */

/* The target regions given to `copy` (--target-region, repeated or comma-separated), in the
   order given. Owned strings; free with cli_targets_free. */
typedef struct cli_targets {
	char **names;
	size_t count;
} cli_targets;

/* Add the regions of one --target-region value ("a" or "a,b"). An empty value adds none (as
   before: a copy within the region); an empty item in a list or a region given twice is bad
   usage (message printed, CLI_EXIT_USAGE), else 0. */
int cli_targets_add(const cli_ctx *ctx, cli_targets *t, const char *value);
void cli_targets_free(cli_targets *t);

/* How the copy to one target region ended. */
typedef struct cli_copy_outcome {
	const char *target_region; /* borrowed from the cli_targets */
	hwims_copy_spec spec;      /* owned: the command's spec with this target_region */
	hwims_copy_result result;  /* owned: as far as the workflow got */
	hwims_error err;           /* when rc != 0 */
	int rc;                    /* hwims_image_copy_create's return */
} cli_copy_outcome;

/* `copy` to every region of targets at once (count >= 2), each with base (not validated yet)
   and its own target_region: validate them all first (nothing is sent if one is invalid), then
   one thread per region on ctx's client, with one progress line each on a terminal. Prints the
   results (cli_print_copy_outcomes) and, when a region failed, a summary of every region on
   stderr. Returns the exit status: 0 when all succeeded, else the worst of them
   (interrupted, timed out, refused). Connects ctx itself. */
int cli_copy_fanout(cli_ctx *ctx, const hwims_copy_spec *base, const cli_targets *targets,
                    int no_wait);

/* ---- output.c ---- */

/* The image as a table of attribute/value rows, or one JSON object keyed by attribute name. */
void cli_print_image(const cli_ctx *ctx, const hwims_image *img);
/* From now on print only the attributes that have a value (all 0), or every one (1, the
   default), in cli_print_image and cli_print_images. */
void cli_output_all_attributes(int all);
/* Images as a table (REGION, ID, NAME, STATUS, ...; REGION where each lives) or a JSON array of
   objects with "lives_in" the region each lives in. */
void cli_print_images(const cli_ctx *ctx, hwims_image *const *images, size_t count);
/* A job as a table or a JSON object; err (may be NULL) is why the command failed on it, added to
   the JSON object as "error". */
void cli_print_job(const cli_ctx *ctx, const hwims_copy_job *job, const char *region,
                   const hwims_error *err);
/* err as one line of text: the message, then the API's code when the message lacks it and the
   request ID: "<message> [IMG.0060] (request <id>)". Caller frees with free(); NULL out of
   memory. */
char *cli_format_error(const hwims_error *err);
/* err as the "error" member of every JSON document that reports a failure: {kind, code,
   message, request_id, attribute}, code "" when the service gave none, request_id and
   attribute null when there are none. Caller decrefs. */
json_t *cli_error_json(const hwims_error *err);
/* Print j (consumed: decref'd) as one JSON document on stdout (cli_json_dumps). */
void cli_print_json(json_t *j);
/* What a copy that failed left behind (job and image IDs, either may be null, the region and
   job state) with its error, as the JSON document on stdout in JSON mode; nothing in table
   mode. */
void cli_print_partial(const cli_ctx *ctx, const hwims_copy_result *r, const hwims_error *err);
/* The job a --no-wait copy submitted (r->job_id), as `hwims job` first shows it, with src the
   region it was submitted in. */
void cli_print_submitted(const cli_ctx *ctx, const hwims_copy_result *r, const char *src);
/* On stderr, each line after indent: a copy that did not finish goes on in the cloud, with the
   commands to wait for it or delete it (nothing when neither job nor image is known). src is the
   source region (where the job is queried). */
void cli_explain_unfinished(const hwims_copy_result *r, const char *src, const char *indent);
/* The results of a copy to several regions, in order: JSON, one array with per region the image
   object (as cli_print_image), the job (no_wait) or what the failed copy left (target_region,
   region, job_id, image_id, job_state, error); a table, one block per region. src is the source
   region. */
void cli_print_copy_outcomes(const cli_ctx *ctx, const cli_copy_outcome *o, size_t n,
                             const char *src, int no_wait);

/* ---- number.c ---- */

/* Parse an integer flag value (whole string). */
int cli_parse_int64(const char *text, int64_t *out);

/* ---- term.c ---- */

/* Columns of the terminal on fd (TIOCGWINSZ), else $COLUMNS, else 80. Cheap enough to ask at
   every redraw, which is how a resized window is followed. */
int cli_term_columns(int fd);
/* Lines of the terminal on fd, else $LINES, else 0 (not known). */
int cli_term_lines(int fd);
/* Append text (NULL: nothing) to out as it may be shown on a terminal: every C0 control and DEL
   as \xHH (newline, carriage return and tab as \n, \r, \t), every C1 control as \u00HH, each
   byte that is not UTF-8 as \xHH, and the backslash as \\, so what is shown reads back
   unambiguously and cannot move the cursor, clear the screen or set the window title. The rest
   (printable UTF-8, Chinese included) is kept. Returns 0, or -1 out of memory (out then holds a
   part of it). */
int cli_escape(hwims_buf *out, const char *text);
/* Print one line on f: the printf-style text, passed through cli_escape whole, then a newline.
   Every text line of the CLI's table output and messages goes through here; fmt itself holds
   no control characters (a line break is a second call). Returns 0, or -1. */
int cli_print_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy text into out (out_size bytes, always NUL-terminated when out_size > 0), passed through
   cli_escape and cut to at most columns terminal columns: never in the middle of a UTF-8
   sequence, and a double-width character that would not fit whole is left out. Returns the
   columns the result takes. */
size_t cli_fit_text(const char *text, size_t columns, char *out, size_t out_size);
/* text as a new JSON string (NULL: JSON null). Text that is not UTF-8, which jansson refuses,
   has each stray byte replaced by U+FFFD, so a value is never lost. Caller decrefs. */
json_t *cli_json_text(const char *text);
/* j as indented JSON text in its members' order, with DEL and the C1 controls, which jansson
   writes raw and a terminal may obey, escaped as \u00HH: still the same JSON. Caller frees with
   free(); NULL out of memory. */
char *cli_json_dumps(const json_t *j);

/* ---- progress.c ---- */

typedef struct cli_progress cli_progress;
typedef struct cli_progress_row cli_progress_row;

/* Start live progress on stderr: one line per label (labels copied), redrawn in place and cut to
   the terminal's width. NULL when ctx->progress is off (or out of memory). Free with
   cli_progress_stop. */
cli_progress *cli_progress_start_rows(const cli_ctx *ctx, const char *const *labels, size_t n);
/* One line labelled verb ("copying"). */
cli_progress *cli_progress_start(const cli_ctx *ctx, const char *verb);
/* Line i, to pass as the userdata of cli_progress_update; NULL when p is NULL. Owned by p. */
cli_progress_row *cli_progress_row_at(cli_progress *p, size_t i);
/* The hwims_progress_fn to pass with a cli_progress_row as userdata (NULL userdata: no-op).
   Rows of one cli_progress may be updated from different threads. */
void cli_progress_update(void *userdata, const hwims_progress *p);
/* The operation of row r ended: the line shows outcome ("active <id>", "failed: ...") and its
   elapsed time stops. Safe on NULL. */
void cli_progress_finish(cli_progress_row *r, const char *outcome);
/* Erase the lines and stop. Safe on NULL. */
void cli_progress_stop(cli_progress *p);

/* ---- sub-commands ---- */
int cli_cmd_copy(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_show(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_list(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_update(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_delete(cli_ctx *ctx, int argc, char **argv);
int cli_cmd_job(cli_ctx *ctx, int argc, char **argv);

#endif
