/* head.c - the check of a request head before libmicrohttpd parses it (see head.h). */
#include "head.h"

#include <stdint.h>
#include <string.h>

#define STR_(x) #x
#define STR(x)  STR_(x)

static imsd_head_result refuse(imsd_head_error *err, int status, const char *code,
                               const char *message)
{
	err->status = status;
	err->code = code;
	err->message = message;
	return IMSD_HEAD_BAD;
}

static imsd_head_result target_too_long(imsd_head_error *err)
{
	return refuse(err, 414, "APIGW.0204",
	              "The request URI is too long (at most " STR(IMSD_MAX_TARGET) " bytes).");
}

static imsd_head_result headers_too_large(imsd_head_error *err)
{
	return refuse(
	    err, 431, "APIGW.0205",
	    "The request header fields are too large (at most " STR(IMSD_MAX_HEAD) " bytes).");
}

static imsd_head_result bad_content_length(imsd_head_error *err)
{
	return refuse(err, 400, "APIGW.0206", "The Content-Length header is not a valid length.");
}

/* The end of the line starting at p (the LF), or NULL when it has not arrived. */
static const char *line_end(const char *p, const char *end)
{
	return memchr(p, '\n', (size_t)(end - p));
}

/* Strip the CR of a CRLF and the whitespace before a field value. Whitespace after it is
 * kept, so it is refused: libmicrohttpd 0.9.75 keeps it in the value, then fails to parse
 * the length (and answers that twice). */
static void trim(const char **b, const char **e)
{
	if (*b < *e && (*e)[-1] == '\r')
		(*e)--;
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
}

/* 1 when [b, e) is a decimal length that fits in 19 digits (so in an unsigned 64-bit
 * number, which is what libmicrohttpd parses it into), with its value in *out. A sign, a
 * space inside, an empty value or anything else is refused: libmicrohttpd's own refusal of
 * those is the answer it sends twice. */
static int parse_length(const char *b, const char *e, uint64_t *out)
{
	uint64_t v = 0;

	if (b == e || e - b > 19)
		return 0;
	for (const char *p = b; p < e; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return 1;
}

static int is_content_length(const char *name, size_t len)
{
	static const char cl[] = "content-length";

	if (len != sizeof(cl) - 1)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != cl[i])
			return 0;
	}
	return 1;
}

imsd_head_result imsd_head_check_target(const char *target, size_t len, imsd_head_error *err)
{
	const char *q = memchr(target, '?', len);
	size_t params = 0;

	if (len > IMSD_MAX_TARGET)
		return target_too_long(err);
	if (q) {
		params = 1;
		for (const char *p = q + 1; p < target + len; p++)
			params += *p == '&';
	}
	if (params > IMSD_MAX_QUERY_PARAMS)
		return refuse(err, 414, "APIGW.0204",
		              "The request has too many query parameters (at most " STR(
		                  IMSD_MAX_QUERY_PARAMS) ").");
	return IMSD_HEAD_OK;
}

/* The request line [p, e): method, target and version separated by spaces. Only the target
 * matters here; libmicrohttpd and the router judge the rest. */
static imsd_head_result check_request_line(const char *p, const char *e, imsd_head_error *err)
{
	const char *t = memchr(p, ' ', (size_t)(e - p));
	const char *te;

	if (!t)
		return IMSD_HEAD_OK;
	while (t < e && *t == ' ')
		t++;
	te = memchr(t, ' ', (size_t)(e - t));
	if (!te)
		te = e;
	return imsd_head_check_target(t, (size_t)(te - t), err);
}

imsd_head_result imsd_head_check(const char *buf, size_t len, size_t *head_len,
                                 imsd_head_error *err)
{
	const char *end = buf + len, *p = buf, *e;
	uint64_t length = 0, v;
	int have_length = 0, lines = 0;

	/* Blank lines before the request line are skipped, as libmicrohttpd does. */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	e = line_end(p, end);
	if (!e) {
		/* A target too long already need not be waited for. */
		if ((size_t)(end - p) > IMSD_MAX_TARGET + 64)
			return target_too_long(err);
		return len > IMSD_MAX_HEAD ? headers_too_large(err) : IMSD_HEAD_INCOMPLETE;
	}
	if (check_request_line(p, e, err) == IMSD_HEAD_BAD)
		return IMSD_HEAD_BAD;
	for (p = e + 1;; p = e + 1) {
		const char *colon, *vb, *ve;

		if ((size_t)(p - buf) > IMSD_MAX_HEAD)
			return headers_too_large(err);
		e = line_end(p, end);
		if (!e)
			return len > IMSD_MAX_HEAD ? headers_too_large(err) : IMSD_HEAD_INCOMPLETE;
		if (e == p || (e == p + 1 && *p == '\r')) {
			*head_len = (size_t)(e + 1 - buf);
			return *head_len > IMSD_MAX_HEAD ? headers_too_large(err) : IMSD_HEAD_OK;
		}
		if (++lines > IMSD_MAX_HEADER_LINES)
			return refuse(err, 431, "APIGW.0205",
			              "The request has too many header fields (at most " STR(
			                  IMSD_MAX_HEADER_LINES) ").");
		colon = memchr(p, ':', (size_t)(e - p));
		if (!colon || !is_content_length(p, (size_t)(colon - p)))
			continue;
		vb = colon + 1;
		ve = e;
		trim(&vb, &ve);
		if (!parse_length(vb, ve, &v) || (have_length && v != length))
			return bad_content_length(err);
		length = v;
		have_length = 1;
	}
}

void imsd_respond_refusal(imsd_response *resp, const imsd_head_error *why, const char *request_id)
{
	memset(resp, 0, sizeof(*resp));
	imsd_respond_gw_error(resp, why->status, why->code, request_id, "%s", why->message);
}
