/*
 * fuzz_imsd_handler.c - feed whole HTTP requests to imsd_handle().
 *
 * Input: "METHOD TARGET\n" then "Name: value\n" header lines, an empty line,
 * and the body. Unless the input carries its own Authorization header, the
 * request is signed with the default seed's first credential (host and
 * x-sdk-date signed), so the fuzzer reaches the handlers behind the verifier;
 * inputs with their own Authorization exercise the verifier itself.
 *
 * Invariants: every request gets an answer with a 2xx-4xx status (no fault
 * injection is configured, so a 5xx means an internal error), and every
 * non-empty body is JSON.
 *
 * The application (a store in a temporary directory) lives across inputs, as
 * a server would; it is process-wide state by necessity of the libFuzzer
 * entry point, and removed at exit.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"
#include "imsd.h"

#define MAX_FUZZ_HEADERS 32

static imsd_app *fuzz_app;
static char fuzz_dir[512];
static double fuzz_clock_now = 1800000000.0;

static double fuzz_clock(void *arg)
{
	(void)arg;
	return fuzz_clock_now;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	imsd_app_free(fuzz_app);
	fuzz_app = NULL;
	if (fuzz_dir[0])
		nftw(fuzz_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void init_app(void)
{
	const char *tmp = getenv("TMPDIR");
	imsd_app_options o;
	hwims_error err;

	snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/imsd-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(fuzz_dir) != NULL);
	memset(&o, 0, sizeof(o));
	o.data_dir = fuzz_dir;
	o.time_scale = 50;
	o.admin = 1;
	o.durable = 0;
	if (imsd_app_new(&fuzz_app, &o, &err) != 0) {
		fprintf(stderr, "imsd_app_new: %s\n", err.message);
		abort();
	}
	fuzz_app->clock = fuzz_clock;
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in;
	hwims_header headers[MAX_FUZZ_HEADERS + 3];
	char *lines[MAX_FUZZ_HEADERS];
	size_t n = 0, nlines = 0, body_len = 0;
	int has_auth = 0;
	const char *host = NULL;
	char date[20], auth[512];
	hwims_signature sig;
	imsd_request req;
	imsd_response resp;

	if (!fuzz_app)
		init_app();
	/* Time moves on between inputs, so jobs advance through their states. */
	fuzz_clock_now += 0.5;

	fuzz_input_init(&in, data, size);
	char *line = fuzz_input_field(&in, '\n', NULL);
	char *sp = strchr(line, ' ');
	char *method = line, *target = sp ? sp + 1 : (char *)"/";
	if (sp)
		*sp = '\0';
	if (!*method)
		method = (char *)"GET";
	while (nlines < MAX_FUZZ_HEADERS) {
		char *h = fuzz_input_field(&in, '\n', NULL);
		char *colon = strchr(h, ':');
		if (!*h || !colon) {
			free(h);
			break;
		}
		*colon = '\0';
		headers[n].name = h;
		headers[n].value = colon + 1 + (colon[1] == ' ');
		has_auth |= strcasecmp(h, "Authorization") == 0;
		if (strcasecmp(h, "Host") == 0)
			host = headers[n].value;
		lines[nlines++] = h;
		n++;
	}
	char *body = fuzz_input_rest(&in, &body_len);

	if (!host) {
		host = "127.0.0.1:8080";
		headers[n++] = (hwims_header){"Host", host};
	}
	if (!has_auth) {
		hwims_sign_date((time_t)fuzz_clock_now, date, sizeof(date));
		headers[n++] = (hwims_header){"X-Sdk-Date", date};
		char path[IMSD_MAX_TARGET + 1];
		const char *q = strchr(target, '?');
		size_t plen = q ? (size_t)(q - target) : strlen(target);
		if (plen > IMSD_MAX_TARGET)
			plen = IMSD_MAX_TARGET;
		memcpy(path, target, plen);
		path[plen] = '\0';
		hwims_header to_sign[2] = {{"Host", host}, {"X-Sdk-Date", date}};
		hwims_sign_request sr = {method, path, q ? q + 1 : NULL, to_sign,
		                         2,      body, body_len};
		if (hwims_sign(&sr, "HWIMSDEMOACCESSKEY01",
		               "hwimsDemoSecretKey0123456789abcdefghijklm", &sig, NULL) == 0) {
			snprintf(auth, sizeof(auth), "%s", sig.authorization);
			hwims_signature_free(&sig);
			headers[n++] = (hwims_header){"Authorization", auth};
		}
	}

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.target = target;
	req.headers = headers;
	req.n_headers = n;
	req.body = body;
	req.body_len = body_len;
	req.body_too_large = body_len > IMSD_MAX_BODY;
	req.request_id = "fuzz";
	imsd_handle(fuzz_app, &req, &resp);

	FUZZ_CHECK(!resp.drop);
	FUZZ_CHECK(resp.status >= 200 && resp.status < 500);
	if (resp.body.len > 0) {
		json_t *j = json_loadb(resp.body.data, resp.body.len, 0, NULL);
		FUZZ_CHECK(j != NULL);
		json_decref(j);
	}
	FUZZ_CHECK(resp.status != 204 || resp.body.len == 0);
	imsd_response_free(&resp);

	/* Fault settings changed through /_admin/faults must not leak into the next input. */
	imsd_fault_settings s;
	imsd_fault_settings_defaults(&s);
	imsd_faults_set(&fuzz_app->faults, &s);

	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(body);
	free(line);
	return 0;
}
