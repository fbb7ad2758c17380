/*
 * bench_wait.c - how soon the copy workflow notices a finished job, and how many API calls a
 * create costs, with adaptive polling (the library's default) or fixed polling (first look after
 * 10 s, then every 10 s, as the Go provider does).
 *
 * Usage: workflow_bench_wait BASE_URL adaptive|fixed NAME IMAGE_ID [TARGET_REGION]
 * Copies IMAGE_ID of cn-north-4 within its region, or to TARGET_REGION (with the seed's agency).
 * Prints one line: policy, job duration (s), detection delay (s), return delay (s), API calls,
 * job polls. Times come from one machine's clock: imsd's job end_time and this process's
 * wall clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cloud_api.h"
#include "hwims/client.h"
#include "hwims/config.h"
#include "hwims/image_copy.h"

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "2026-11-28T07:39:20.172Z" -> seconds since the epoch. */
static double parse_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int ms = 0;
	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) < 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (double)timegm(&tm) + ms / 1000.0;
}

static void on_progress(void *userdata, const hwims_progress *p)
{
	double *seen = userdata;
	if (p->job_state == HWIMS_JOB_SUCCESS && *seen == 0)
		*seen = wall_now();
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s BASE_URL adaptive|fixed NAME IMAGE_ID [TARGET_REGION]\n",
		        argv[0]);
		return 2;
	}
	char ims[256], iam[256], eps[256];
	snprintf(ims, sizeof(ims), "HW_IMS_ENDPOINT=%s/{region}/", argv[1]);
	snprintf(iam, sizeof(iam), "HW_IAM_ENDPOINT=%s/iam/", argv[1]);
	snprintf(eps, sizeof(eps), "HW_EPS_ENDPOINT=%s/eps/", argv[1]);
	char *const envp[] = {"HW_REGION_NAME=cn-north-4",
	                      "HW_ACCESS_KEY=HWIMSDEMOACCESSKEY01",
	                      "HW_SECRET_KEY=hwimsDemoSecretKey0123456789abcdefghijklm",
	                      ims,
	                      iam,
	                      eps,
	                      NULL};
	hwims_config cfg;
	hwims_config_args args;
	hwims_error err;
	hwims_client *c = NULL;
	hwims_config_args_init(&args);
	if (hwims_config_load(&cfg, &args, envp, &err) != 0 ||
	    hwims_client_new(&c, &cfg, NULL, &err) != 0) {
		fprintf(stderr, "bench_wait: %s\n", err.message);
		return 1;
	}
	hwims_config_free(&cfg);
	/* Resolve the project once, outside the measurement, as a long-lived provider would. */
	char *pid = NULL;
	if (api_project_id(c, NULL, NULL, &pid, &err) != 0) {
		fprintf(stderr, "bench_wait: %s\n", err.message);
		return 1;
	}
	free(pid);

	hwims_copy_spec spec = HWIMS_COPY_SPEC_INIT;
	hwims_copy_spec_set(&spec.source_image_id, argv[4], NULL);
	hwims_copy_spec_set(&spec.name, argv[3], NULL);
	if (argc == 6) {
		hwims_copy_spec_set(&spec.target_region, argv[5], NULL);
		hwims_copy_spec_set(&spec.agency_name, "ims_admin_agency", NULL);
	}
	double seen = 0;
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.progress = on_progress;
	o.progress_userdata = &seen;
	if (strcmp(argv[2], "fixed") == 0)
		o.fixed_poll_interval_ns = 10LL * 1000000000LL;
	uint64_t calls0 = hwims_client_calls(c);
	hwims_copy_result r;
	int rc = hwims_image_copy_create(c, &spec, &o, &r, &err);
	double returned = wall_now();
	uint64_t calls = hwims_client_calls(c) - calls0;
	if (rc != 0) {
		fprintf(stderr, "bench_wait: %s\n", err.message);
		return 1;
	}
	hwims_copy_job job;
	if (hwims_copy_job_get(c, NULL, r.job_id, NULL, &job, &err) != 0) {
		fprintf(stderr, "bench_wait: %s\n", err.message);
		return 1;
	}
	double begin = parse_time(job.begin_time), end = parse_time(job.end_time);
	printf("%s %.1f %.2f %.2f %llu %d\n", argv[2], end - begin, seen - end, returned - end,
	       (unsigned long long)calls, r.polls);
	hwims_copy_job_free(&job);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&spec);
	hwims_client_free(c);
	return 0;
}
