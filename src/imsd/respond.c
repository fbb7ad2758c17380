/* respond.c - response bodies in the service's error shapes, times and IDs (see imsd.h). */
#include "imsd.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>

void imsd_response_free(imsd_response *resp)
{
	hwims_buf_free(&resp->body);
	memset(resp, 0, sizeof(*resp));
}

void imsd_respond_json(imsd_response *resp, int status, const char *json)
{
	resp->status = status;
	resp->body.len = 0;
	if (resp->body.data)
		resp->body.data[0] = '\0';
	if (json)
		hwims_buf_puts(&resp->body, json);
}

void imsd_respond_object(imsd_response *resp, int status, const void *obj)
{
	char *text = obj ? json_dumps((const json_t *)obj, JSON_COMPACT) : NULL;

	if (!text) {
		imsd_respond_ims_error(resp, 500, "IMG.0200", "internal error");
		return;
	}
	imsd_respond_json(resp, status, text);
	free(text);
}

/* The longest message an error body carries; longer ones are cut. */
#define MESSAGE_MAX 1024

void imsd_respond_error(imsd_response *resp, int status, imsd_error_shape shape, const char *code,
                        const char *request_id, const char *fmt, ...)
{
	char msg[MESSAGE_MAX];
	json_t *obj = NULL;
	char *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	switch (shape) {
	case IMSD_ERROR_IMS:
		obj = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
		break;
	case IMSD_ERROR_GATEWAY:
		obj = json_pack("{s:s,s:s,s:s}", "error_msg", msg, "error_code", code, "request_id",
		                request_id ? request_id : "");
		break;
	case IMSD_ERROR_EPS:
		obj = json_pack("{s:{s:s,s:s}}", "error", "error_code", code, "error_msg", msg);
		break;
	}
	text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	/* Falling back to a fixed body keeps even an allocation failure answering. */
	imsd_respond_json(
	    resp, status,
	    text ? text : "{\"error\":{\"code\":\"IMG.0200\",\"message\":\"internal error\"}}");
	free(text);
	json_decref(obj);
}

void imsd_format_time(double t, char *buf, size_t buflen)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&s, &tm)) {
		snprintf(buf, buflen, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(buf, buflen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void imsd_format_time_ms(double t, char *buf, size_t buflen)
{
	time_t s = (time_t)t;
	int ms = (int)((t - floor(t)) * 1000.0);
	struct tm tm;
	char base[32];

	if (!gmtime_r(&s, &tm)) {
		snprintf(buf, buflen, "1970-01-01T00:00:00.000Z");
		return;
	}
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, buflen, "%s.%03dZ", base, ms < 0 ? 0 : ms > 999 ? 999 : ms);
}

static void random_bytes(unsigned char *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(b + got, n - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	/* getrandom cannot fail for small requests on Linux >= 3.17; still, never return
	 * uninitialised bytes. */
	for (; got < n; got++)
		b[got] = (unsigned char)(rand() & 0xff);
}

void imsd_new_uuid(char *buf, size_t buflen)
{
	unsigned char b[16];

	random_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, buflen,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	         b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	         b[15]);
}

void imsd_new_hex_id(char *buf, size_t buflen)
{
	unsigned char b[16];
	char tmp[33];

	random_bytes(b, sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(tmp + 2 * i, 3, "%02x", b[i]);
	snprintf(buf, buflen, "%s", tmp);
}
