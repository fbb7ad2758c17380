/* progress.c - a live status line on a terminal while copy or delete waits.
 *
 * The workflow reports only when it polls (every few seconds), so a ticker
 * thread redraws the line four times a second to keep the elapsed time moving.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct cli_progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t ticker;
	int stop;
	const char *verb;
	struct timespec start;
	char job_state[16];
	char image_status[32];
	char image_id[64];
	double percent;
	int drawn;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Caller holds mu. */
static void draw(cli_progress *p)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%s %6.1fs", p->verb, seconds_since(&p->start));
	if (p->job_state[0] && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  job %s", p->job_state);
	if (p->percent >= 0 && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %3.0f%%", p->percent);
	if (p->image_id[0] && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  image %s", p->image_id);
	if (p->image_status[0] && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " (%s)", p->image_status);
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	p->drawn = 1;
}

static void *tick(void *arg)
{
	cli_progress *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		draw(p);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &until);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

cli_progress *cli_progress_start(const cli_ctx *ctx, const char *verb)
{
	if (!ctx->progress)
		return NULL;
	cli_progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->verb = verb;
	p->percent = -1;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	if (pthread_create(&p->ticker, NULL, tick, p) != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return p;
}

void cli_progress_update(void *userdata, const hwims_progress *pr)
{
	cli_progress *p = userdata;
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	snprintf(p->job_state, sizeof(p->job_state), "%s",
	         pr->job_id ? hwims_job_state_name(pr->job_state) : "");
	if (pr->job_id && pr->job_state == HWIMS_JOB_UNKNOWN)
		snprintf(p->job_state, sizeof(p->job_state), "submitted");
	snprintf(p->image_status, sizeof(p->image_status), "%s",
	         pr->image_status ? pr->image_status : "");
	snprintf(p->image_id, sizeof(p->image_id), "%s", pr->image_id ? pr->image_id : "");
	p->percent = pr->percent;
	draw(p);
	pthread_mutex_unlock(&p->mu);
}

void cli_progress_stop(cli_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->ticker, NULL);
	if (p->drawn) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
