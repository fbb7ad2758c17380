/*
 * server.h - the HTTP transport: an accept loop that holds each connection until its first
 * request head is complete and within bounds (gate.h), then libmicrohttpd with an internal
 * thread pool (epoll), feeding imsd_handle() and writing one log line per request (method,
 * path, status, duration) to stderr.
 */
#ifndef IMSD_SERVER_H
#define IMSD_SERVER_H

#include <stddef.h>

#include <hwims/error.h>

#include "imsd.h"

typedef struct imsd_server imsd_server;

typedef struct imsd_server_options {
	const char *host, *port; /* port "0" picks a free one */
	int threads;             /* worker threads */
	int log_requests;
	/* A request head (request line and header fields) must be complete this many seconds
	 * after the connection opened, or after the previous answer on a kept-alive one. */
	double header_timeout_s;
} imsd_server_options;

/* Listen and serve app (borrowed; must outlive the server). Writes "http://HOST:PORT" into
 * url. Caller stops with imsd_server_stop. */
int imsd_server_start(imsd_server **out, imsd_app *app, const imsd_server_options *opts, char *url,
                      size_t urllen, hwims_error *err);
/* Stop accepting, finish the requests in flight, free. */
void imsd_server_stop(imsd_server *srv);

#endif
