/* progress.c - live status lines on a terminal while copy or delete waits: one line for one
 * operation, one line per target region for a copy to several regions.
 *
 * The workflow reports only when it polls (every few seconds), so a ticker
 * thread redraws the lines four times a second to keep the elapsed times
 * moving. Every redraw measures the terminal again and cuts each line to its
 * width: a line that wrapped would break the redraw in place, which moves the
 * cursor up by the number of lines it wrote.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* What one line shows. Guarded by the board's mutex. */
struct cli_progress_row {
	cli_progress *board;
	char label[64];
	hwims_phase phase;
	char job_state[16];
	char image_status[32];
	char image_id[64];
	double percent;
	int slot_waits;
	struct timespec retry_at; /* WAIT_SLOT: when the next submit goes out */
	/* once the operation ended: its outcome, and the elapsed time frozen */
	int done;
	double done_s;
	char outcome[HWIMS_ERROR_MESSAGE_MAX + 128];
};

struct cli_progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t ticker;
	int stop;
	struct timespec start;
	int label_width;
	size_t drawn; /* lines on the screen from the last redraw, 0 before the first */
	size_t n;
	cli_progress_row rows[];
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* snprintf at the end of what buf holds; stops quietly when full. */
static void append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* The text of one line, before it is cut to the terminal's width. Caller holds mu. */
static void compose(const cli_progress *b, const cli_progress_row *r, char *buf, size_t len)
{
	buf[0] = '\0';
	append(buf, len, "%-*s %6.1fs", b->label_width, r->label,
	       r->done ? r->done_s : seconds_since(&b->start));
	if (r->done) {
		append(buf, len, "  %s", r->outcome);
		return;
	}
	if (r->phase == HWIMS_PHASE_WAIT_SLOT) {
		double in = -seconds_since(&r->retry_at);
		append(buf, len, "  waiting for a cross-region slot (%d refusal%s, ", r->slot_waits,
		       r->slot_waits == 1 ? "" : "s");
		if (in > 0)
			append(buf, len, "retry in %.0fs)", in < 1 ? 1 : in + 0.5);
		else
			append(buf, len, "retrying)");
		return;
	}
	if (r->job_state[0])
		append(buf, len, "  job %s", r->job_state);
	if (r->percent >= 0)
		append(buf, len, " %3.0f%%", r->percent);
	if (r->image_id[0])
		append(buf, len, "  image %s", r->image_id);
	if (r->image_status[0])
		append(buf, len, " (%s)", r->image_status);
}

/* Rows the screen can show: all of them unless the terminal is shorter (one line is kept for
 * the cursor), when the last one shown sums up the rest. */
static size_t visible_rows(const cli_progress *b)
{
	int lines = cli_term_lines(STDERR_FILENO);
	if (lines <= 1 || b->n < (size_t)lines)
		return b->n;
	return (size_t)lines - 1;
}

/* Redraw every line in place. Caller holds mu. */
static void draw(cli_progress *b)
{
	int cols = cli_term_columns(STDERR_FILENO);
	/* The last column stays free: a character there makes some terminals wrap at once. */
	size_t width = cols > 1 ? (size_t)cols - 1 : 1;
	size_t shown = visible_rows(b);
	char text[sizeof(b->rows[0].outcome) + 256], line[sizeof(text)];
	if (b->drawn > 1)
		fprintf(stderr, "\033[%zuA", b->drawn - 1);
	for (size_t i = 0; i < shown; i++) {
		if (i + 1 == shown && shown < b->n) {
			size_t done = 0;
			for (size_t j = i; j < b->n; j++)
				done += b->rows[j].done != 0;
			snprintf(text, sizeof(text), "... %zu more (%zu finished)", b->n - i, done);
		} else {
			compose(b, &b->rows[i], text, sizeof(text));
		}
		cli_fit_text(text, width, line, sizeof(line));
		fprintf(stderr, "\r\033[K%s%s", line, i + 1 < shown ? "\n" : "");
	}
	/* fewer lines than last time (the window got shorter): clear what is left below */
	if (shown < b->drawn)
		fputs("\033[J", stderr);
	fflush(stderr);
	b->drawn = shown;
}

static void *tick(void *arg)
{
	cli_progress *b = arg;
	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		draw(b);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&b->cv, &b->mu, &until);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

cli_progress *cli_progress_start_rows(const cli_ctx *ctx, const char *const *labels, size_t n)
{
	if (!ctx->progress || n == 0)
		return NULL;
	cli_progress *b = calloc(1, sizeof(*b) + n * sizeof(b->rows[0]));
	if (!b)
		return NULL;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->n = n;
	for (size_t i = 0; i < n; i++) {
		cli_progress_row *r = &b->rows[i];
		r->board = b;
		r->percent = -1;
		snprintf(r->label, sizeof(r->label), "%s", labels[i]);
		int w = (int)strlen(r->label);
		if (w > b->label_width)
			b->label_width = w;
	}
	clock_gettime(CLOCK_MONOTONIC, &b->start);
	if (pthread_create(&b->ticker, NULL, tick, b) != 0) {
		pthread_cond_destroy(&b->cv);
		pthread_mutex_destroy(&b->mu);
		free(b);
		return NULL;
	}
	return b;
}

cli_progress *cli_progress_start(const cli_ctx *ctx, const char *verb)
{
	return cli_progress_start_rows(ctx, &verb, 1);
}

cli_progress_row *cli_progress_row_at(cli_progress *b, size_t i)
{
	return b && i < b->n ? &b->rows[i] : NULL;
}

void cli_progress_update(void *userdata, const hwims_progress *pr)
{
	cli_progress_row *r = userdata;
	if (!r)
		return;
	cli_progress *b = r->board;
	pthread_mutex_lock(&b->mu);
	r->phase = pr->phase;
	snprintf(r->job_state, sizeof(r->job_state), "%s",
	         pr->job_id ? hwims_job_state_name(pr->job_state) : "");
	if (pr->job_id && pr->job_state == HWIMS_JOB_UNKNOWN)
		snprintf(r->job_state, sizeof(r->job_state), "submitted");
	snprintf(r->image_status, sizeof(r->image_status), "%s",
	         pr->image_status ? pr->image_status : "");
	snprintf(r->image_id, sizeof(r->image_id), "%s", pr->image_id ? pr->image_id : "");
	r->percent = pr->percent;
	r->slot_waits = pr->slot_waits;
	clock_gettime(CLOCK_MONOTONIC, &r->retry_at);
	int64_t at_ns = (int64_t)r->retry_at.tv_nsec + (pr->retry_in_ns > 0 ? pr->retry_in_ns : 0);
	r->retry_at.tv_sec += (time_t)(at_ns / 1000000000);
	r->retry_at.tv_nsec = (long)(at_ns % 1000000000);
	draw(b);
	pthread_mutex_unlock(&b->mu);
}

void cli_progress_finish(cli_progress_row *r, const char *outcome)
{
	if (!r)
		return;
	cli_progress *b = r->board;
	pthread_mutex_lock(&b->mu);
	r->done = 1;
	r->done_s = seconds_since(&b->start);
	snprintf(r->outcome, sizeof(r->outcome), "%s", outcome);
	draw(b);
	pthread_mutex_unlock(&b->mu);
}

void cli_progress_stop(cli_progress *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	pthread_join(b->ticker, NULL);
	if (b->drawn) {
		if (b->drawn > 1)
			fprintf(stderr, "\033[%zuA", b->drawn - 1);
		fputs("\r\033[J", stderr);
		fflush(stderr);
	}
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}
