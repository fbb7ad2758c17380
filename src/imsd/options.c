/* options.c - imsd's command line (see options.h). */
#include "options.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
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

/* What a flag does with its value, if it takes one. */
typedef enum opt_kind {
	OPT_SET,          /* no value: set the int field to 1 */
	OPT_CLEAR,        /* no value: set the int field to 0 */
	OPT_ARG,          /* keep the value itself (borrowed from argv) */
	OPT_TEXT,         /* copy the value into the char array field */
	OPT_DOUBLE,       /* a number from lo to hi into the double field */
	OPT_INT,          /* the same, kept in an int field */
	OPT_INT64,        /* the same, kept in an int64_t field */
	OPT_LISTEN,       /* HOST:PORT into host and port */
	OPT_ERROR_STATUS, /* 500, 503 or 0 into faults.error_status */
	OPT_FAIL_PATTERN  /* a glob into faults.fail_pattern, marking it set */
} opt_kind;

typedef struct opt_def {
	const char *name;
	opt_kind kind;
	size_t off, size; /* the field of imsd_options it fills */
	double lo, hi;    /* bounds of the number kinds */
} opt_def;

#define FIELD(m) offsetof(imsd_options, m), sizeof(((imsd_options *)0)->m)

/* Every flag, as --help lists them. */
static const opt_def OPTIONS[] = {
    {"--help", OPT_SET, FIELD(help), 0, 0},
    {"-h", OPT_SET, FIELD(help), 0, 0},
    {"--print-seed", OPT_SET, FIELD(print_seed), 0, 0},
    {"--admin", OPT_SET, FIELD(admin), 0, 0},
    {"--quiet", OPT_CLEAR, FIELD(log_requests), 0, 0},
    {"--listen", OPT_LISTEN, 0, 0, 0, 0},
    {"--data", OPT_ARG, FIELD(data_dir), 0, 0},
    {"--seed", OPT_ARG, FIELD(seed_path), 0, 0},
    {"--default-region", OPT_ARG, FIELD(default_region), 0, 0},
    {"--time-scale", OPT_DOUBLE, FIELD(time_scale), 0.001, 1e6},
    {"--threads", OPT_INT, FIELD(threads), 1, 256},
    {"--header-timeout", OPT_DOUBLE, FIELD(header_timeout_s), 0.1, 3600},
    {"--fault-latency-ms", OPT_INT64, FIELD(faults.latency_ms), 0, 600000},
    {"--fault-error-rate", OPT_DOUBLE, FIELD(faults.error_rate), 0, 1},
    {"--fault-error-status", OPT_ERROR_STATUS, FIELD(faults.error_status), 0, 599},
    {"--fault-429-rate", OPT_DOUBLE, FIELD(faults.throttle_rate), 0, 1},
    {"--fault-retry-after", OPT_INT, FIELD(faults.retry_after_s), 0, 3600},
    {"--fault-lost-answer-rate", OPT_DOUBLE, FIELD(faults.lost_answer_rate), 0, 1},
    {"--fault-drop-rate", OPT_DOUBLE, FIELD(faults.drop_rate), 0, 1},
    {"--fault-budget", OPT_INT64, FIELD(faults.budget), -1, 1e15},
    {"--fault-path", OPT_TEXT, FIELD(faults.path_pattern), 0, 0},
    {"--fault-fail-pattern", OPT_FAIL_PATTERN, FIELD(faults.fail_pattern), 0, 0},
};

static const opt_def *find_option(const char *name)
{
	for (size_t i = 0; i < sizeof(OPTIONS) / sizeof(OPTIONS[0]); i++)
		if (strcmp(OPTIONS[i].name, name) == 0)
			return &OPTIONS[i];
	return NULL;
}

static int takes_value(const opt_def *def)
{
	return def->kind != OPT_SET && def->kind != OPT_CLEAR;
}

/* Apply one flag (its value v when it takes one) to o. */
static int apply_option(const opt_def *def, const char *v, imsd_options *o, hwims_error *err)
{
	char *field = (char *)o + def->off;
	double d;

	switch (def->kind) {
	case OPT_SET:
	case OPT_CLEAR:
		*(int *)field = def->kind == OPT_SET;
		return 0;
	case OPT_ARG:
		*(const char **)field = v;
		return 0;
	case OPT_TEXT:
	case OPT_FAIL_PATTERN:
		snprintf(field, def->size, "%s", v);
		/* A fail pattern given, even empty, overrides the seed's. */
		if (def->kind == OPT_FAIL_PATTERN)
			o->faults.fail_pattern_set = 1;
		return 0;
	case OPT_LISTEN:
		return split_listen(v, o, err);
	case OPT_DOUBLE:
		return num(def->name, v, def->lo, def->hi, (double *)field, err);
	case OPT_INT:
	case OPT_INT64:
	case OPT_ERROR_STATUS:
		break;
	}
	if (num(def->name, v, def->lo, def->hi, &d, err))
		return -1;
	if (def->kind == OPT_INT64) {
		*(int64_t *)field = (int64_t)d;
		return 0;
	}
	if (def->kind == OPT_ERROR_STATUS && d != 0 && d != 500 && d != 503)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "--fault-error-status must be 500, 503 or 0");
	*(int *)field = (int)d;
	return 0;
}

int imsd_options_parse(int argc, char **argv, imsd_options *o, hwims_error *err)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->host, sizeof(o->host), "127.0.0.1");
	snprintf(o->port, sizeof(o->port), "0");
	o->time_scale = 1;
	o->threads = 8;
	o->header_timeout_s = 20;
	o->log_requests = 1;
	imsd_fault_settings_defaults(&o->faults);

	for (int i = 1; i < argc; i++) {
		const opt_def *def = find_option(argv[i]);
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (def && !takes_value(def)) {
			apply_option(def, NULL, o, err);
			continue;
		}
		if (!v)
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "%s: unknown flag or missing value", argv[i]);
		if (!def)
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "%s: unknown flag (see --help)", argv[i]);
		if (apply_option(def, v, o, err))
			return -1;
		i++;
	}
	if (!o->help && !o->print_seed && !o->data_dir)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--data DIR is required (see --help)");
	return 0;
}
