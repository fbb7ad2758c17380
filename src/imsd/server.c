/* server.c - libmicrohttpd transport (see server.h). */
#include "server.h"

#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <microhttpd.h>

#include "dlist.h"
#include "gate.h"

#define MAX_HEADERS 64
/* libmicrohttpd's own bound on connections it serves at once; the gate holds the ones still
 * sending their first head (see gate.h), up to MAX_PENDING more. */
#define MAX_CONNECTIONS 2000
#define MAX_PENDING     4096

/* One connection libmicrohttpd serves, from its start to its close notification, which
 * comes on every path (unlike the completion of a request: libmicrohttpd 0.9.75 skips that
 * when it gives up on a head itself), so whatever a request left here is freed then. */
typedef struct conn_state {
	imsd_dlink link; /* first: on the server's conns */
	int fd;
	/* When the head of the next request must be complete: set at the start and after each
	 * answer, cleared when a head arrives; 0 while a request is being served. */
	long long head_deadline_ns;
	struct conn_req *req; /* the request in progress, owned; NULL between requests */
} conn_state;

struct imsd_server {
	struct MHD_Daemon *daemon;
	imsd_gate *gate;
	imsd_app *app;
	int log_requests;
	long long header_timeout_ns;
	atomic_uint_fast64_t next_id;
	unsigned start_tag;
	pthread_mutex_t conns_lock; /* guards conns and every conn_state's head_deadline_ns */
	imsd_dlist conns;
};

/* One request in progress; lives in the connection's req_cls from the URI callback to
 * the completion callback. */
typedef struct conn_req {
	char *target;
	hwims_buf body;
	int started;
	int too_large;
	imsd_head_error refused; /* status 0, or why the request is answered without handling */
	struct timespec t0;
	char request_id[IMSD_REQUEST_ID_SIZE];
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

static void conn_req_free(conn_req *r)
{
	if (!r)
		return;
	free(r->target);
	hwims_buf_free(&r->body);
	free(r);
}

static conn_state *state_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void set_head_deadline(imsd_server *srv, conn_state *cs, long long deadline_ns)
{
	pthread_mutex_lock(&srv->conns_lock);
	cs->head_deadline_ns = deadline_ns;
	pthread_mutex_unlock(&srv->conns_lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	imsd_server *srv = cls;
	conn_state *cs = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		cs = calloc(1, sizeof(*cs));
		*socket_context = cs;
		if (!cs)
			return; /* served all the same, only without the deadline */
		cs->fd = ci ? ci->connect_fd : -1;
		pthread_mutex_lock(&srv->conns_lock);
		cs->head_deadline_ns = imsd_gate_now_ns() + srv->header_timeout_ns;
		imsd_dlist_push(&srv->conns, &cs->link);
		pthread_mutex_unlock(&srv->conns_lock);
		return;
	}
	if (!cs)
		return;
	/* Unlinked before libmicrohttpd closes the socket, so the reaper (check_deadlines)
	 * never shuts down a descriptor number that was reused. */
	pthread_mutex_lock(&srv->conns_lock);
	imsd_dlist_unlink(&srv->conns, &cs->link);
	pthread_mutex_unlock(&srv->conns_lock);
	conn_req_free(cs->req);
	free(cs);
	*socket_context = NULL;
}

/* On the gate's thread, four times a second: a kept-alive connection whose next head is not
 * complete in time is shut down, which libmicrohttpd sees as the client going away. (The
 * first head of a connection is complete before libmicrohttpd gets it.) */
static void check_deadlines(void *cls)
{
	imsd_server *srv = cls;
	long long now = imsd_gate_now_ns();

	pthread_mutex_lock(&srv->conns_lock);
	for (imsd_dlink *l = srv->conns.head; l; l = l->next) {
		conn_state *cs = (conn_state *)l;

		if (cs->head_deadline_ns == 0 || cs->head_deadline_ns > now || cs->fd < 0)
			continue;
		shutdown(cs->fd, SHUT_RDWR);
		cs->head_deadline_ns = 0;
	}
	pthread_mutex_unlock(&srv->conns_lock);
}

static void new_request_id(imsd_server *srv, char *buf, size_t buflen)
{
	/* Unique per process and request, spread like the service's random-looking IDs. */
	uint64_t n = atomic_fetch_add(&srv->next_id, 1);
	snprintf(buf, buflen, "%016llx%016llx",
	         (unsigned long long)mix64(n ^ ((uint64_t)srv->start_tag << 32)),
	         (unsigned long long)mix64(n + 0x632be59bd9b4e019ULL));
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	imsd_server *srv = cls;
	conn_state *cs = state_of(conn);
	conn_req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	r->target = strdup(uri ? uri : "");
	new_request_id(srv, r->request_id, sizeof(r->request_id));
	/* The gate checked the first request of the connection; later ones on a kept-alive
	 * connection come here unchecked. */
	if (r->target)
		imsd_head_check_target(r->target, strlen(r->target), &r->refused);
	if (cs) {
		/* A request libmicrohttpd abandoned is never completed; its successor's start
		 * is when it is certainly done with it. */
		conn_req_free(cs->req);
		cs->req = r;
	}
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	imsd_server *srv = cls;
	conn_state *cs = state_of(conn);
	conn_req *r = *req_cls;

	(void)toe;
	*req_cls = NULL;
	if (cs && cs->req == r)
		cs->req = NULL;
	conn_req_free(r);
	if (cs)
		set_head_deadline(srv, cs, imsd_gate_now_ns() + srv->header_timeout_ns);
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
		conn_state *cs = state_of(conn);

		r->started = 1;
		if (cs)
			set_head_deadline(srv, cs, 0);
		if (r->refused.status) {
			imsd_respond_refusal(&resp, &r->refused, r->request_id);
			ret = send_response(conn, &resp, r->request_id);
			log_request(srv, method, r, resp.status);
			imsd_response_free(&resp);
			return ret;
		}
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

/* The gate's hand-over: libmicrohttpd reads the connection from its first byte. */
static void admit(void *cls, int fd, const struct sockaddr *addr, socklen_t addrlen)
{
	imsd_server *srv = cls;

	/* Closes fd itself when it cannot take the connection. */
	if (MHD_add_connection(srv->daemon, fd, addr, addrlen) != MHD_YES && srv->log_requests)
		fprintf(stderr, "imsd: connection not taken: %m\n");
}

/* The gate's answer to a refused head, in the same shape as every other answer, and closing
 * the connection (the gate does not read another request from it). */
static void refusal(void *cls, const imsd_head_error *why, hwims_buf *out)
{
	imsd_server *srv = cls;
	imsd_response resp;
	char request_id[IMSD_REQUEST_ID_SIZE];
	const char *reason = MHD_get_reason_phrase_for((unsigned)why->status);

	new_request_id(srv, request_id, sizeof(request_id));
	imsd_respond_refusal(&resp, why, request_id);
	hwims_buf_printf(out,
	                 "HTTP/1.1 %d %s\r\nConnection: close\r\n"
	                 "Content-Type: application/json;charset=UTF-8\r\n"
	                 "Content-Length: %zu\r\nX-Request-Id: %s\r\n\r\n",
	                 resp.status, reason ? reason : "", resp.body.len, request_id);
	hwims_buf_append(out, resp.body.data ? resp.body.data : "", resp.body.len);
	if (srv->log_requests)
		fprintf(stderr, "imsd: refused head %d %s %s\n", resp.status, why->code,
		        request_id);
	imsd_response_free(&resp);
}

/* Waiting connections take descriptors too: raise the soft limit to the hard one and keep
 * the gate within what is left beside libmicrohttpd's connections. */
static size_t pending_bound(void)
{
	struct rlimit rl;
	rlim_t room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 64;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	room = rl.rlim_cur > MAX_CONNECTIONS + 128 ? rl.rlim_cur - MAX_CONNECTIONS - 64 : 64;
	return room > MAX_PENDING ? MAX_PENDING : (size_t)room;
}

int imsd_server_start(imsd_server **out, imsd_app *app, const imsd_server_options *opts, char *url,
                      size_t urllen, hwims_error *err)
{
	imsd_server *srv = calloc(1, sizeof(*srv));
	imsd_gate_options go;
	int fd;

	*out = NULL;
	if (!srv)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	srv->app = app;
	srv->log_requests = opts->log_requests;
	srv->header_timeout_ns = (long long)(opts->header_timeout_s * 1e9);
	srv->start_tag = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
	pthread_mutex_init(&srv->conns_lock, NULL);
	fd = listen_socket(opts->host, opts->port, url, urllen, err);
	if (fd < 0)
		goto fail;
	/* No listening socket of its own: connections come through the gate. MHD_USE_ITC lets
	 * the gate's thread add them to the pool's threads. The connection timeout is an idle
	 * timeout; it still bounds a stalled body. */
	srv->daemon = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
	        MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
	    0, NULL, NULL, on_request, srv, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(opts->threads > 0 ? opts->threads : 1), MHD_OPTION_URI_LOG_CALLBACK, on_uri,
	    srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
	    on_connection, srv, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)MAX_CONNECTIONS, MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot start the HTTP server");
		goto fail;
	}
	memset(&go, 0, sizeof(go));
	go.listen_fd = fd;
	go.header_timeout_s = opts->header_timeout_s;
	go.max_pending = pending_bound();
	go.admit = admit;
	go.refusal = refusal;
	go.tick = check_deadlines;
	go.arg = srv;
	if (imsd_gate_start(&srv->gate, &go, err)) {
		MHD_stop_daemon(srv->daemon);
		goto fail;
	}
	*out = srv;
	return 0;
fail:
	pthread_mutex_destroy(&srv->conns_lock);
	free(srv);
	return -1;
}

void imsd_server_stop(imsd_server *srv)
{
	if (!srv)
		return;
	/* The gate first, so nothing is handed over to a stopping server; it closes the
	 * listening socket. Then libmicrohttpd waits for its worker threads. */
	imsd_gate_stop(srv->gate);
	MHD_stop_daemon(srv->daemon);
	pthread_mutex_destroy(&srv->conns_lock);
	free(srv);
}
