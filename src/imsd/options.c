/* options.c - imsd's command line (see options.h). */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char imsd_usage[] =
    "usage: imsd --listen HOST:PORT --data DIR [options]\n"
    "       imsd --print-seed\n"
    "\n"
    "A local, persistent, IMS-compatible API server (IMS, IAM project lookup, EPS).\n"
    "\n"
    "  --listen HOST:PORT      address to serve (port 0 picks a free one; default 127.0.0.1:0)\n"
    "  --data DIR              directory of the SQLite store (created if missing)\n"
    "  --seed FILE             seed JSON replacing the built-in one (see --print-seed)\n"
    "  --time-scale F          run job clocks F times faster (default 1)\n"
    "  --default-region R      region of requests naming none (default: the seed's first)\n"
    "  --threads N             worker threads (default 8)\n"
    "  --header-timeout S      a request's line and headers must all arrive within S seconds\n"
    "                          of the connection opening (or of the previous answer on a\n"
    "                          kept-alive connection), however slowly they trickle in;\n"
    "                          later ones are cut (default 20)\n"
    "  --admin                 serve /_admin/faults to change fault injection at run time\n"
    "  --quiet                 no per-request log lines on stderr\n"
    "  --print-seed            print the built-in seed JSON and exit\n"
    "  --help                  this text\n"
    "\n"
    "fault injection (also settable at run time through /_admin/faults):\n"
    "  --fault-latency-ms N    add N ms to every faulted request\n"
    "  --fault-error-rate F    answer a fraction F (0..1) of requests with 500/503\n"
    "  --fault-error-status S  500, 503, or 0 for a mix (default 0)\n"
    "  --fault-429-rate F      answer a fraction F with 429 and Retry-After\n"
    "  --fault-retry-after S   Retry-After seconds of 429/503 answers (default 1)\n"
    "  --fault-drop-rate F     close the connection without answer for a fraction F\n"
    "  --fault-lost-answer-rate F  handle a fraction F of requests, then close the\n"
    "                          connection without their answer\n"
    "  --fault-budget N        fault at most N requests, then none (default unlimited)\n"
    "  --fault-path GLOB       only fault requests whose path matches GLOB\n"
    "  --fault-fail-pattern G  copy jobs whose new image name matches glob G fail\n"
    "                          (overrides the seed's fail_name_pattern)\n";

static int num(const char *flag, const char *v, double lo, double hi, double *out, hwims_error *err)
{
	char *end;

	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (!v || !*v || *end || errno || !(d >= lo && d <= hi))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "%s needs a number from %g to %g",
		                       flag, lo, hi);
	*out = d;
	return 0;
}

static int split_listen(const char *v, imsd_options *o, hwims_error *err)
{
	const char *colon = v ? strrchr(v, ':') : NULL;
	const char *h = v;
	size_t hl;

	if (!colon || colon == v || !colon[1] || strlen(colon + 1) >= sizeof(o->port))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--listen needs HOST:PORT, got \"%s\"",
		                       v ? v : "");
	hl = (size_t)(colon - v);
	if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= sizeof(o->host))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--listen: host too long");
	memcpy(o->host, h, hl);
	o->host[hl] = '\0';
	snprintf(o->port, sizeof(o->port), "%s", colon + 1);
	for (const char *p = o->port; *p; p++)
		if (*p < '0' || *p > '9')
			return hwims_error_set(err, HWIMS_ERR_USAGE, "--listen: bad port \"%s\"",
			                       o->port);
	if (atoi(o->port) > 65535)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--listen: bad port \"%s\"", o->port);
	return 0;
}

int imsd_options_parse(int argc, char **argv, imsd_options *o, hwims_error *err)
{
	double d;

	memset(o, 0, sizeof(*o));
	snprintf(o->host, sizeof(o->host), "127.0.0.1");
	snprintf(o->port, sizeof(o->port), "0");
	o->time_scale = 1;
	o->threads = 8;
	o->header_timeout_s = 20;
	o->log_requests = 1;
	imsd_fault_settings_defaults(&o->faults);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = 1;
			takes = 0;
		} else if (strcmp(a, "--print-seed") == 0) {
			o->print_seed = 1;
			takes = 0;
		} else if (strcmp(a, "--admin") == 0) {
			o->admin = 1;
			takes = 0;
		} else if (strcmp(a, "--quiet") == 0) {
			o->log_requests = 0;
			takes = 0;
		} else if (!v) {
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "%s: unknown flag or missing value", a);
		} else if (strcmp(a, "--listen") == 0) {
			if (split_listen(v, o, err))
				return -1;
		} else if (strcmp(a, "--data") == 0) {
			o->data_dir = v;
		} else if (strcmp(a, "--seed") == 0) {
			o->seed_path = v;
		} else if (strcmp(a, "--default-region") == 0) {
			o->default_region = v;
		} else if (strcmp(a, "--time-scale") == 0) {
			if (num(a, v, 0.001, 1e6, &o->time_scale, err))
				return -1;
		} else if (strcmp(a, "--threads") == 0) {
			if (num(a, v, 1, 256, &d, err))
				return -1;
			o->threads = (int)d;
		} else if (strcmp(a, "--header-timeout") == 0) {
			if (num(a, v, 0.1, 3600, &o->header_timeout_s, err))
				return -1;
		} else if (strcmp(a, "--fault-latency-ms") == 0) {
			if (num(a, v, 0, 600000, &d, err))
				return -1;
			o->faults.latency_ms = (int64_t)d;
		} else if (strcmp(a, "--fault-error-rate") == 0) {
			if (num(a, v, 0, 1, &o->faults.error_rate, err))
				return -1;
		} else if (strcmp(a, "--fault-error-status") == 0) {
			if (num(a, v, 0, 599, &d, err))
				return -1;
			if (d != 0 && d != 500 && d != 503)
				return hwims_error_set(
				    err, HWIMS_ERR_USAGE,
				    "--fault-error-status must be 500, 503 or 0");
			o->faults.error_status = (int)d;
		} else if (strcmp(a, "--fault-429-rate") == 0) {
			if (num(a, v, 0, 1, &o->faults.throttle_rate, err))
				return -1;
		} else if (strcmp(a, "--fault-retry-after") == 0) {
			if (num(a, v, 0, 3600, &d, err))
				return -1;
			o->faults.retry_after_s = (int)d;
		} else if (strcmp(a, "--fault-lost-answer-rate") == 0) {
			if (num(a, v, 0, 1, &o->faults.lost_answer_rate, err))
				return -1;
		} else if (strcmp(a, "--fault-drop-rate") == 0) {
			if (num(a, v, 0, 1, &o->faults.drop_rate, err))
				return -1;
		} else if (strcmp(a, "--fault-budget") == 0) {
			if (num(a, v, -1, 1e15, &d, err))
				return -1;
			o->faults.budget = (int64_t)d;
		} else if (strcmp(a, "--fault-path") == 0) {
			snprintf(o->faults.path_pattern, sizeof(o->faults.path_pattern), "%s", v);
		} else if (strcmp(a, "--fault-fail-pattern") == 0) {
			snprintf(o->faults.fail_pattern, sizeof(o->faults.fail_pattern), "%s", v);
			o->faults.fail_pattern_set = 1;
		} else {
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "%s: unknown flag (see --help)", a);
		}
		i += takes;
	}
	if (!o->help && !o->print_seed && !o->data_dir)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--data DIR is required (see --help)");
	return 0;
}
