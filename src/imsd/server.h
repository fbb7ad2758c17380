/*
 * server.h - the HTTP transport: libmicrohttpd with an internal thread pool
 * (epoll), feeding imsd_handle() and writing one log line per request
 * (method, path, status, duration) to stderr.
 */
#ifndef IMSD_SERVER_H
#define IMSD_SERVER_H

#include <stddef.h>

#include <hwims/error.h>

#include "imsd.h"

typedef struct imsd_server imsd_server;

/* Listen on host:port (port 0 picks a free one) and serve app (borrowed;
 * must outlive the server) with threads worker threads. Writes
 * "http://HOST:PORT" into url. Caller stops with imsd_server_stop. */
int imsd_server_start(imsd_server **out, imsd_app *app, const char *host, const char *port,
                      int threads, int log_requests, char *url, size_t urllen, hwims_error *err);
/* Stop accepting, finish the requests in flight, free. */
void imsd_server_stop(imsd_server *srv);

#endif
