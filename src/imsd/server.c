/* server.c - libmicrohttpd transport (see server.h). */
#include "server.h"

#include <netdb.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <microhttpd.h>

#define MAX_HEADERS 64

struct imsd_server {
	struct MHD_Daemon *daemon;
	imsd_app *app;
	int log_requests;
	atomic_uint_fast64_t next_id;
	unsigned start_tag;
};

/* One request in progress; lives in the connection's req_cls from the URI callback to
 * the completion callback. */
typedef struct conn_req {
	char *target;
	hwims_buf body;
	int started;
	int too_large;
	struct timespec t0;
	char request_id[40];
} conn_req;

typedef struct header_vec {
	hwims_header h[MAX_HEADERS];
	size_t n;
} header_vec;

/* splitmix64's finaliser: a bijection, so distinct counters give distinct IDs. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	imsd_server *srv = cls;
	conn_req *r = calloc(1, sizeof(*r));

	(void)conn;
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->target = strdup(uri ? uri : "");
	/* Unique per process and request, spread like the service's random-looking IDs. */
	uint64_t n = atomic_fetch_add(&srv->next_id, 1);
	snprintf(r->request_id, sizeof(r->request_id), "%016llx%016llx",
	         (unsigned long long)mix64(n ^ ((uint64_t)srv->start_tag << 32)),
	         (unsigned long long)mix64(n + 0x632be59bd9b4e019ULL));
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	conn_req *r = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	free(r->target);
	hwims_buf_free(&r->body);
	free(r);
	*req_cls = NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	header_vec *v = cls;

	(void)kind;
	if (v->n < MAX_HEADERS) {
		v->h[v->n].name = key;
		v->h[v->n].value = value ? value : "";
		v->n++;
	}
	return MHD_YES;
}

static void log_request(imsd_server *srv, const char *method, const conn_req *r, int status)
{
	struct timespec t1;
	char path[256];
	const char *q;
	size_t plen;

	if (!srv->log_requests)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms =
	    (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
	/* The path only: query strings are the client's business and may be long. */
	q = strchr(r->target, '?');
	plen = q ? (size_t)(q - r->target) : strlen(r->target);
	if (plen >= sizeof(path))
		plen = sizeof(path) - 1;
	for (size_t i = 0; i < plen; i++) {
		unsigned char c = (unsigned char)r->target[i];
		path[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	path[plen] = '\0';
	fprintf(stderr, "imsd: %s %s %d %.2fms %s\n", method, path, status, ms, r->request_id);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, imsd_response *resp,
                                     const char *request_id)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	char ra[16];

	mr = MHD_create_response_from_buffer(resp->body.len, resp->body.data ? resp->body.data : "",
	                                     MHD_RESPMEM_MUST_COPY);
	if (!mr)
		return MHD_NO;
	if (resp->body.len > 0)
		MHD_add_response_header(mr, "Content-Type", "application/json;charset=UTF-8");
	MHD_add_response_header(mr, "X-Request-Id", request_id);
	if (resp->retry_after_s > 0) {
		snprintf(ra, sizeof(ra), "%d", resp->retry_after_s);
		MHD_add_response_header(mr, "Retry-After", ra);
	}
	ret = MHD_queue_response(conn, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	imsd_server *srv = cls;
	conn_req *r = *req_cls;
	imsd_response resp;
	imsd_request req;
	header_vec hv;
	enum MHD_Result ret;

	(void)url;
	(void)version;
	if (!r || !r->target)
		return MHD_NO;
	if (!r->started) {
		r->started = 1;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		/* A declared oversized body is answered at once, without reading it. */
		if (!cl || strtoull(cl, NULL, 10) <= IMSD_MAX_BODY)
			return MHD_YES;
		r->too_large = 1;
	} else if (*upload_data_size > 0) {
		if (!r->too_large && r->body.len + *upload_data_size > IMSD_MAX_BODY)
			r->too_large = 1;
		if (!r->too_large && hwims_buf_append(&r->body, upload_data, *upload_data_size) < 0)
			r->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}

	memset(&hv, 0, sizeof(hv));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &hv);
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.target = r->target;
	req.headers = hv.h;
	req.n_headers = hv.n;
	req.body = r->body.data ? r->body.data : "";
	req.body_len = r->too_large ? 0 : r->body.len;
	req.body_too_large = r->too_large;
	req.request_id = r->request_id;
	imsd_handle(srv->app, &req, &resp);
	if (resp.delay_ms > 0) {
		struct timespec ts = {(time_t)(resp.delay_ms / 1000),
		                      (long)(resp.delay_ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (resp.drop) {
		log_request(srv, method, r, 0);
		imsd_response_free(&resp);
		return MHD_NO; /* closes the connection without an answer */
	}
	ret = send_response(conn, &resp, r->request_id);
	log_request(srv, method, r, resp.status);
	imsd_response_free(&resp);
	return ret;
}

static int listen_socket(const char *host, const char *port, char *url, size_t urllen,
                         hwims_error *err)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char h[128], p[16];
	int fd = -1, one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "--listen %s:%s: %s", host, port,
		                       gai_strerror(rc));
	/* Non-blocking: the pool's threads all accept on it, and a loser of the race must not
	 * block. */
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	            res->ai_protocol);
	if (fd < 0) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "socket: %m");
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "cannot listen on %s:%s: %m", host, port);
		goto fail;
	}
	if (listen(fd, 1024) != 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "listen: %m");
		goto fail;
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, h, sizeof(h), p, sizeof(p),
	                NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "getnameinfo failed");
		goto fail;
	}
	snprintf(url, urllen, strchr(h, ':') ? "http://[%s]:%s" : "http://%s:%s", h, p);
	freeaddrinfo(res);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	return -1;
}

int imsd_server_start(imsd_server **out, imsd_app *app, const char *host, const char *port,
                      int threads, int log_requests, char *url, size_t urllen, hwims_error *err)
{
	imsd_server *srv = calloc(1, sizeof(*srv));
	int fd;

	*out = NULL;
	if (!srv)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	srv->app = app;
	srv->log_requests = log_requests;
	srv->start_tag = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
	fd = listen_socket(host, port, url, urllen, err);
	if (fd < 0) {
		free(srv);
		return -1;
	}
	srv->daemon = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    on_request, srv, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(threads > 0 ? threads : 1), MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)(64 * 1024), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000, MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		free(srv);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot start the HTTP server");
	}
	*out = srv;
	return 0;
}

void imsd_server_stop(imsd_server *srv)
{
	if (!srv)
		return;
	/* Waits for the worker threads; closes the listening socket too. */
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
