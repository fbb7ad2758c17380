/*
 * head.h - the check of a request head (request line and header fields) that imsd makes
 * before libmicrohttpd parses it.
 *
 * libmicrohttpd 0.9.75 (Debian 12) mishandles some heads on its own error paths: a
 * Content-Length it cannot parse is answered with its status line and headers twice, and a
 * head whose query parameters or header fields exhaust the connection's memory pool is never
 * answered (and the request context imsd attached to it is never handed back). A head that
 * passes this check stays clear of those paths; one that fails gets the gateway's answer from
 * imsd instead, once.
 */
#ifndef IMSD_HEAD_H
#define IMSD_HEAD_H

#include <stddef.h>

#include "imsd.h"

/* Bounds of a request head. The head bound leaves room in libmicrohttpd's 64 KiB connection
 * pool for the parsed parameters and header records and for the response. */
#define IMSD_MAX_HEAD         32768
#define IMSD_MAX_QUERY_PARAMS 100
#define IMSD_MAX_HEADER_LINES 100

typedef enum imsd_head_result {
	IMSD_HEAD_INCOMPLETE, /* no end of head yet, and nothing wrong so far */
	IMSD_HEAD_OK,         /* a complete head within every bound */
	IMSD_HEAD_BAD         /* refused: see the imsd_head_error */
} imsd_head_result;

/* Why a head was refused: the HTTP status, the gateway error code and the message (static
 * strings). */
typedef struct imsd_head_error {
	int status;
	const char *code;
	const char *message;
} imsd_head_error;

/*
 * Check the first len bytes received on a connection (they need not be NUL-terminated).
 * IMSD_HEAD_OK sets *head_len to the length of the head including its blank line;
 * IMSD_HEAD_BAD fills *err. Bare LF line ends are accepted, as libmicrohttpd accepts them.
 */
imsd_head_result imsd_head_check(const char *buf, size_t len, size_t *head_len,
                                 imsd_head_error *err);

/* The bounds on a request target ("/path?query", len bytes): its length and its number of
 * query parameters ('&'-separated pieces, empty ones included, since libmicrohttpd keeps a
 * record for each). IMSD_HEAD_OK, or IMSD_HEAD_BAD with *err filled. */
imsd_head_result imsd_head_check_target(const char *target, size_t len, imsd_head_error *err);

/* Fill resp with the gateway-shaped answer to a refused head. */
void imsd_respond_refusal(imsd_response *resp, const imsd_head_error *why, const char *request_id);

#endif
