/* faults.c - fault injection settings and decisions (see faults.h). */
#include "faults.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void imsd_fault_settings_defaults(imsd_fault_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->retry_after_s = 1;
	s->budget = -1;
}

void imsd_faults_init(imsd_faults *f)
{
	struct timespec ts;

	pthread_mutex_init(&f->lock, NULL);
	imsd_fault_settings_defaults(&f->s);
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Any non-zero start will do; the rates are statistical, not reproducible. */
	f->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
	if (f->rng == 0)
		f->rng = 0x9e3779b97f4a7c15ULL;
}

void imsd_faults_destroy(imsd_faults *f)
{
	pthread_mutex_destroy(&f->lock);
}

void imsd_faults_set(imsd_faults *f, const imsd_fault_settings *s)
{
	pthread_mutex_lock(&f->lock);
	f->s = *s;
	pthread_mutex_unlock(&f->lock);
}

void imsd_faults_get(imsd_faults *f, imsd_fault_settings *out)
{
	pthread_mutex_lock(&f->lock);
	*out = f->s;
	pthread_mutex_unlock(&f->lock);
}

static int get_rate(const json_t *v, const char *key, double *out, hwims_error *err)
{
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "%s must be a number from 0 to 1",
		                       key);
	*out = json_number_value(v);
	return 0;
}

static int get_int(const json_t *v, const char *key, int64_t lo, int64_t hi, int64_t *out,
                   hwims_error *err)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "%s must be an integer from %lld to %lld", key,
		                       (long long)lo, (long long)hi);
	*out = json_integer_value(v);
	return 0;
}

static int get_glob(const json_t *v, const char *key, char *buf, size_t buflen, hwims_error *err)
{
	if (json_is_null(v)) {
		buf[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) >= buflen)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "%s must be a string shorter than %zu bytes", key, buflen);
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int imsd_fault_settings_update(imsd_fault_settings *s, const json_t *obj, hwims_error *err)
{
	imsd_fault_settings n = *s;
	const char *key;
	json_t *v;
	int64_t iv;

	if (!json_is_object(obj))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "the body must be a JSON object");
	json_object_foreach((json_t *)obj, key, v)
	{
		int rc;
		if (strcmp(key, "latency_ms") == 0) {
			rc = get_int(v, key, 0, 600000, &n.latency_ms, err);
		} else if (strcmp(key, "error_rate") == 0) {
			rc = get_rate(v, key, &n.error_rate, err);
		} else if (strcmp(key, "error_status") == 0) {
			rc = get_int(v, key, 0, 599, &iv, err);
			if (rc == 0 && iv != 0 && iv != 500 && iv != 503)
				rc = hwims_error_set(err, HWIMS_ERR_USAGE,
				                     "error_status must be 500, 503 or 0 (both)");
			n.error_status = (int)iv;
		} else if (strcmp(key, "throttle_rate") == 0) {
			rc = get_rate(v, key, &n.throttle_rate, err);
		} else if (strcmp(key, "retry_after_s") == 0) {
			rc = get_int(v, key, 0, 3600, &iv, err);
			n.retry_after_s = (int)iv;
		} else if (strcmp(key, "drop_rate") == 0) {
			rc = get_rate(v, key, &n.drop_rate, err);
		} else if (strcmp(key, "lost_answer_rate") == 0) {
			rc = get_rate(v, key, &n.lost_answer_rate, err);
		} else if (strcmp(key, "budget") == 0) {
			rc = get_int(v, key, -1, INT64_MAX, &n.budget, err);
		} else if (strcmp(key, "path_pattern") == 0) {
			rc = get_glob(v, key, n.path_pattern, sizeof(n.path_pattern), err);
		} else if (strcmp(key, "fail_name_pattern") == 0) {
			rc = get_glob(v, key, n.fail_pattern, sizeof(n.fail_pattern), err);
			n.fail_pattern_set = !json_is_null(v);
		} else {
			rc = hwims_error_set(err, HWIMS_ERR_USAGE, "unknown fault setting \"%s\"",
			                     key);
		}
		if (rc)
			return -1;
	}
	*s = n;
	return 0;
}

json_t *imsd_fault_settings_json(const imsd_fault_settings *s)
{
	return json_pack("{s:I,s:f,s:i,s:f,s:i,s:f,s:f,s:I,s:s,s:s?}", "latency_ms",
	                 (json_int_t)s->latency_ms, "error_rate", s->error_rate, "error_status",
	                 s->error_status, "throttle_rate", s->throttle_rate, "retry_after_s",
	                 s->retry_after_s, "drop_rate", s->drop_rate, "lost_answer_rate",
	                 s->lost_answer_rate, "budget", (json_int_t)s->budget, "path_pattern",
	                 s->path_pattern, "fail_name_pattern",
	                 s->fail_pattern_set ? s->fail_pattern : NULL);
}

/* Uniform double in [0, 1); caller holds the lock. */
static double next_unit(imsd_faults *f)
{
	uint64_t x = f->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	f->rng = x;
	return (double)(x >> 11) / 9007199254740992.0;
}

imsd_fault_action imsd_faults_decide(imsd_faults *f, const char *path, int64_t *latency_ms,
                                     int *status, int *retry_after_s)
{
	imsd_fault_action act = IMSD_FAULT_NONE;

	*latency_ms = 0;
	*status = 0;
	pthread_mutex_lock(&f->lock);
	const imsd_fault_settings *s = &f->s;
	*retry_after_s = s->retry_after_s;
	if (s->budget == 0)
		goto done;
	if (s->path_pattern[0] && fnmatch(s->path_pattern, path, 0) != 0)
		goto done;
	if (s->drop_rate > 0 && next_unit(f) < s->drop_rate) {
		act = IMSD_FAULT_DROP;
	} else if (s->lost_answer_rate > 0 && next_unit(f) < s->lost_answer_rate) {
		act = IMSD_FAULT_LOSE_ANSWER;
	} else if (s->throttle_rate > 0 && next_unit(f) < s->throttle_rate) {
		act = IMSD_FAULT_THROTTLE;
	} else if (s->error_rate > 0 && next_unit(f) < s->error_rate) {
		act = IMSD_FAULT_ERROR;
		*status = s->error_status ? s->error_status : (next_unit(f) < 0.5 ? 500 : 503);
	}
	*latency_ms = s->latency_ms;
	if ((act != IMSD_FAULT_NONE || s->latency_ms > 0) && f->s.budget > 0)
		f->s.budget--;
done:
	pthread_mutex_unlock(&f->lock);
	return act;
}

int imsd_faults_fail_pattern(imsd_faults *f, char *buf, size_t buflen)
{
	int set;

	pthread_mutex_lock(&f->lock);
	set = f->s.fail_pattern_set;
	snprintf(buf, buflen, "%s", f->s.fail_pattern);
	pthread_mutex_unlock(&f->lock);
	return set;
}
