/* test_http.c - the HTTP transport against a scripted local server: retries, dropped
   connections, cancellation, signing, error bodies, logging without secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cloud_api.h"
#include "hwims/buf.h"
#include "hwims/cancel.h"
#include "hwims/http.h"
#include "hwims/sign.h"

#define T_AK    "HWTESTAK0123456789AB"
#define T_SK    "hwTestSecretKey/0123456789abcdefghijklmnopqrs"
#define T_TOKEN "tmp-security-token-value-0123456789"

/* ---- a scripted HTTP/1.1 server on 127.0.0.1 ---- */

typedef enum action_kind {
	ACT_RESPOND, /* answer with status, extra header lines and body */
	ACT_DROP,    /* read the whole request, then close without answering */
	ACT_HANG,    /* read the request, never answer (until the client goes or the test ends) */
} action_kind;

typedef struct action {
	action_kind kind;
	int status;
	const char *headers; /* extra header lines, each ending in \r\n; may be NULL */
	const char *body;    /* may be NULL */
} action;

#define MAX_RECORDS 64
#define MAX_HDRS    32
#define MAX_CONNS   64

typedef struct record {
	char method[16];
	char path[1024];
	char query[1024];
	char *names[MAX_HDRS], *values[MAX_HDRS];
	size_t n_headers;
	char *body;
	size_t body_len;
	int verified; /* hwims_sign_verify accepted it */
	char verify_msg[HWIMS_ERROR_MESSAGE_MAX];
} record;

typedef struct server {
	int listen_fd;
	int port;
	pthread_t acceptor;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	const action *script;
	size_t n_script;
	size_t next_action;
	record records[MAX_RECORDS];
	size_t n_records;
	int n_connections;
	pthread_t conns[MAX_CONNS];
	int conn_fds[MAX_CONNS];
	size_t n_conns;
} server;

static const char *lookup_sk(void *userdata, const char *ak)
{
	(void)userdata;
	return strcmp(ak, T_AK) == 0 ? T_SK : NULL;
}

static int stopping(server *s)
{
	pthread_mutex_lock(&s->mu);
	int v = s->stop;
	pthread_mutex_unlock(&s->mu);
	return v;
}

/* Read until the buffer holds a full request head; returns head length or -1 on close. */
static ssize_t read_head(server *s, int fd, hwims_buf *in)
{
	for (;;) {
		if (in->data) {
			char *end = strstr(in->data, "\r\n\r\n");
			if (end)
				return end - in->data + 4;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int pr = poll(&p, 1, 20);
		if (pr == 0) {
			if (stopping(s))
				return -1;
			continue;
		}
		char buf[4096];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return -1;
		assert_int_equal(hwims_buf_append(in, buf, (size_t)n), 0);
	}
}

static void record_request(server *s, record *r, const char *head, size_t head_len)
{
	char *copy = strndup(head, head_len);
	char *save = NULL;
	char *line = strtok_r(copy, "\r\n", &save);
	char target[1024] = "";

	sscanf(line, "%15s %1023s", r->method, target);
	char *q = strchr(target, '?');
	if (q) {
		*q = '\0';
		snprintf(r->query, sizeof(r->query), "%s", q + 1);
	}
	snprintf(r->path, sizeof(r->path), "%s", target);
	while ((line = strtok_r(NULL, "\r\n", &save)) && r->n_headers < MAX_HDRS) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ')
			v++;
		r->names[r->n_headers] = strdup(line);
		r->values[r->n_headers] = strdup(v);
		r->n_headers++;
	}
	free(copy);
}

static const char *record_header(const record *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++) {
		if (strcasecmp(r->names[i], name) == 0)
			return r->values[i];
	}
	return NULL;
}

static void verify_record(record *r)
{
	hwims_header hs[MAX_HDRS];
	hwims_error err;

	for (size_t i = 0; i < r->n_headers; i++)
		hs[i] = (hwims_header){r->names[i], r->values[i]};
	hwims_sign_request req = {.method = r->method,
	                          .path = r->path,
	                          .query = r->query,
	                          .headers = hs,
	                          .n_headers = r->n_headers,
	                          .body = r->body,
	                          .body_len = r->body_len};
	r->verified = hwims_sign_verify(&req, lookup_sk, NULL, time(NULL), HWIMS_SIGN_MAX_SKEW_S,
	                                NULL, 0, &err) == 0;
	if (!r->verified)
		snprintf(r->verify_msg, sizeof(r->verify_msg), "%s", err.message);
}

typedef struct conn_arg {
	server *s;
	int fd;
} conn_arg;

static void *conn_main(void *p)
{
	conn_arg *ca = p;
	server *s = ca->s;
	int fd = ca->fd;
	hwims_buf in = HWIMS_BUF_INIT;

	free(ca);
	for (;;) {
		ssize_t head_len = read_head(s, fd, &in);
		if (head_len < 0)
			break;
		record r;
		memset(&r, 0, sizeof(r));
		record_request(s, &r, in.data, (size_t)head_len);
		const char *cl = record_header(&r, "Content-Length");
		size_t body_len = cl ? (size_t)strtoul(cl, NULL, 10) : 0;
		while (in.len < (size_t)head_len + body_len) {
			char buf[4096];
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			assert_int_equal(hwims_buf_append(&in, buf, (size_t)n), 0);
		}
		r.body = malloc(body_len + 1);
		memcpy(r.body, in.data + head_len, body_len);
		r.body[body_len] = '\0';
		r.body_len = body_len;
		/* Keep what follows (a pipelined request) for the next round. */
		size_t used = (size_t)head_len + body_len;
		memmove(in.data, in.data + used, in.len - used);
		in.len -= used;
		in.data[in.len] = '\0';
		verify_record(&r);

		pthread_mutex_lock(&s->mu);
		action a = s->script[s->next_action];
		if (s->next_action + 1 < s->n_script)
			s->next_action++;
		if (s->n_records < MAX_RECORDS)
			s->records[s->n_records++] = r;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);

		if (a.kind == ACT_DROP)
			break;
		if (a.kind == ACT_HANG) {
			/* Wait until the client gives up (closes) or the test ends. */
			while (!stopping(s)) {
				struct pollfd pf = {.fd = fd, .events = POLLIN};
				char c;
				if (poll(&pf, 1, 20) > 0 && recv(fd, &c, 1, MSG_PEEK) <= 0)
					break;
			}
			break;
		}
		hwims_buf out = HWIMS_BUF_INIT;
		const char *body = a.body ? a.body : "";
		hwims_buf_printf(&out, "HTTP/1.1 %d Status\r\nContent-Length: %zu\r\n%s\r\n%s",
		                 a.status, strlen(body), a.headers ? a.headers : "", body);
		send(fd, out.data, out.len, MSG_NOSIGNAL);
		hwims_buf_free(&out);
	}
	hwims_buf_free(&in);
	close(fd);
	return NULL;
}

static void *acceptor_main(void *p)
{
	server *s = p;

	for (;;) {
		int fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		pthread_mutex_lock(&s->mu);
		if (s->stop || s->n_conns >= MAX_CONNS) {
			pthread_mutex_unlock(&s->mu);
			close(fd);
			break;
		}
		s->n_connections++;
		conn_arg *ca = malloc(sizeof(*ca));
		ca->s = s;
		ca->fd = fd;
		pthread_create(&s->conns[s->n_conns++], NULL, conn_main, ca);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

static void server_start(server *s, const action *script, size_t n_script)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->script = script;
	s->n_script = n_script;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->listen_fd >= 0);
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s->listen_fd, 16), 0);
	assert_int_equal(getsockname(s->listen_fd, (struct sockaddr *)&sa, &len), 0);
	s->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(&s->acceptor, NULL, acceptor_main, s), 0);
}

static void server_stop(server *s)
{
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_mutex_unlock(&s->mu);
	shutdown(s->listen_fd, SHUT_RDWR);
	pthread_join(s->acceptor, NULL);
	close(s->listen_fd);
	for (size_t i = 0; i < s->n_conns; i++)
		pthread_join(s->conns[i], NULL);
	for (size_t i = 0; i < s->n_records; i++) {
		record *r = &s->records[i];
		for (size_t j = 0; j < r->n_headers; j++) {
			free(r->names[j]);
			free(r->values[j]);
		}
		free(r->body);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

static size_t server_requests(server *s)
{
	pthread_mutex_lock(&s->mu);
	size_t n = s->n_records;
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* Block until the server has seen n requests. */
static void server_wait_requests(server *s, size_t n)
{
	pthread_mutex_lock(&s->mu);
	while (s->n_records < n)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

static void server_url(const server *s, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "http://127.0.0.1:%d%s", s->port, path);
}

/* ---- a log sink that keeps everything ---- */

typedef struct log_sink {
	pthread_mutex_t mu;
	hwims_buf text;
} log_sink;

static void sink_fn(void *userdata, hwims_log_level level, const char *message)
{
	log_sink *ls = userdata;
	pthread_mutex_lock(&ls->mu);
	hwims_buf_printf(&ls->text, "%s %s\n", hwims_log_level_name(level), message);
	pthread_mutex_unlock(&ls->mu);
}

typedef struct fixture {
	server srv;
	log_sink sink;
	hwims_log log;
	hwims_http *http;
	hwims_cancel *cancel; /* what requests carry */
	hwims_cancel *outer;  /* with_deadline: the fixture's own token, cancel's parent */
} fixture;

static void fixture_start(fixture *f, const action *script, size_t n, int max_retries,
                          int64_t backoff_max_ms)
{
	hwims_error err;
	hwims_http_options o = {.access_key = T_AK,
	                        .secret_key = T_SK,
	                        .security_token = T_TOKEN,
	                        .max_retries = max_retries,
	                        .connect_timeout_ms = 5000,
	                        .request_timeout_ms = 30000,
	                        .backoff_base_ms = 1,
	                        .backoff_max_ms = backoff_max_ms,
	                        .user_agent = "hwims-test",
	                        .log = &f->log};

	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->sink.mu, NULL);
	f->log = (hwims_log){sink_fn, &f->sink, HWIMS_LOG_DEBUG};
	o.log = &f->log;
	server_start(&f->srv, script, n);
	if (hwims_http_new(&f->http, &o, &err) != 0)
		fail_msg("hwims_http_new: %s", err.message);
	assert_int_equal(hwims_cancel_new(&f->cancel, &err), 0);
}

static void fixture_stop(fixture *f)
{
	hwims_http_free(f->http); /* closes kept-alive connections, so the server can stop */
	server_stop(&f->srv);
	if (f->outer) {
		hwims_cancel_free(f->cancel);
		f->cancel = f->outer;
	}
	hwims_cancel_free(f->cancel);
	hwims_buf_free(&f->sink.text);
	pthread_mutex_destroy(&f->sink.mu);
}

static int do_request(fixture *f, const char *method, const char *path, const char *body,
                      int idempotent, hwims_http_response *resp, hwims_error *err)
{
	char url[256];
	server_url(&f->srv, path, url, sizeof(url));
	hwims_http_request req = {.method = method,
	                          .url = url,
	                          .body = body,
	                          .body_len = body ? strlen(body) : 0,
	                          .project_id = "0123456789abcdef0123456789abcdef",
	                          .idempotent = idempotent,
	                          .cancel = f->cancel,
	                          /* the transport carries IMS here: its errors read so */
	                          .describe_error = api_parse_error_body};
	return hwims_http_do(f->http, &req, resp, err);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tests ---- */

static void test_success_is_signed(void **state)
{
	static const action script[] = {
	    {ACT_RESPOND, 200, "X-Request-Id: srv-req-1\r\nContent-Type: application/json\r\n",
	     "{\"images\":[]}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 3, 1000);
	assert_int_equal(do_request(&f, "POST", "/cn-north-4/v1/cloudimages/x/copy?a=b%20c",
	                            "{\"name\":\"copy\"}\n", 0, &resp, &err),
	                 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 1);
	assert_string_equal(resp.body, "{\"images\":[]}");
	assert_int_equal(resp.body_len, 13);
	assert_string_equal(resp.request_id, "srv-req-1");

	const record *r = &f.srv.records[0];
	if (!r->verified)
		fail_msg("server could not verify the signature: %s", r->verify_msg);
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->path, "/cn-north-4/v1/cloudimages/x/copy");
	assert_string_equal(r->query, "a=b%20c");
	assert_string_equal(r->body, "{\"name\":\"copy\"}\n");
	assert_string_equal(record_header(r, "X-Project-Id"), "0123456789abcdef0123456789abcdef");
	assert_string_equal(record_header(r, "X-Security-Token"), T_TOKEN);
	assert_string_equal(record_header(r, "Content-Type"), "application/json");
	/* Python-SDK style: the project and the token are signed. */
	const char *auth = record_header(r, "Authorization");
	assert_non_null(strstr(auth, "SignedHeaders=content-type;host;x-project-id;x-sdk-date;"
	                             "x-security-token,"));
	assert_null(record_header(r, "Expect"));
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

/* Keys given with the request (renewed temporary ones) replace the transport's; an unsigned
   request (the ECS metadata service) carries neither Authorization nor a token. */
static void test_request_credentials_and_unsigned(void **state)
{
	static const action script[] = {{ACT_RESPOND, 200, NULL, "{}"},
	                                {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;
	char url[256];
	(void)state;
	fixture_start(&f, script, N(script), 0, 1000);
	server_url(&f.srv, "/openstack/latest/securitykey", url, sizeof(url));
	hwims_http_credentials keys = {T_AK, T_SK, "renewed-token"};
	hwims_http_request req = {.method = "GET", .url = url, .credentials = &keys};
	assert_int_equal(hwims_http_do(f.http, &req, &resp, &err), 0);
	hwims_http_response_free(&resp);
	const record *r = &f.srv.records[0];
	if (!r->verified)
		fail_msg("server could not verify the signature: %s", r->verify_msg);
	assert_string_equal(record_header(r, "X-Security-Token"), "renewed-token");
	assert_non_null(strstr(record_header(r, "Authorization"), "x-security-token"));

	hwims_http_request bare = {.method = "GET", .url = url, .unsigned_request = 1};
	assert_int_equal(hwims_http_do(f.http, &bare, &resp, &err), 0);
	hwims_http_response_free(&resp);
	r = &f.srv.records[1];
	assert_null(record_header(r, "Authorization"));
	assert_null(record_header(r, "X-Security-Token"));
	fixture_stop(&f);
}

static void test_429_and_503_then_200(void **state)
{
	static const action script[] = {
	    {ACT_RESPOND, 429, "Retry-After: 0\r\n", "{\"error_code\":\"APIGW.0308\"}"},
	    {ACT_RESPOND, 503, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", NULL},
	    {ACT_RESPOND, 503, NULL, NULL},
	    {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 5, 1000);
	/* 429 and 503 mean nothing was done: even a creating POST is retried. */
	assert_int_equal(do_request(&f, "POST", "/copy", "{}", 0, &resp, &err), 0);
	assert_int_equal(resp.attempts, 4);
	assert_int_equal(resp.status, 200);
	assert_int_equal(server_requests(&f.srv), 4);
	for (size_t i = 0; i < 4; i++)
		assert_true(f.srv.records[i].verified);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_throttled_forever(void **state)
{
	static const action script[] = {{ACT_RESPOND, 429, "Retry-After: 0\r\n", NULL}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 2, 1000);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_THROTTLED);
	assert_int_equal(err.http_status, 429);
	assert_int_equal(resp.attempts, 3);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_500_forever(void **state)
{
	static const action script[] = {
	    {ACT_RESPOND, 500, "X-Request-Id: srv-500\r\n",
	     "{\"error\":{\"code\":\"IMG.0001\",\"message\":\"Internal error.\"}}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 3, 1000);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_SERVER);
	assert_int_equal(err.http_status, 500);
	assert_string_equal(err.code, "IMG.0001");
	assert_string_equal(err.request_id, "srv-500");
	assert_int_equal(resp.attempts, 4);
	assert_int_equal(server_requests(&f.srv), 4);
	hwims_http_response_free(&resp);

	/* A creating POST answered 500 may have been processed: not retried. */
	assert_int_equal(do_request(&f, "POST", "/copy", "{}", 0, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_SERVER);
	assert_int_equal(resp.attempts, 1);
	assert_int_equal(server_requests(&f.srv), 5);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_dropped_connections(void **state)
{
	static const action script[] = {
	    {ACT_DROP, 0, NULL, NULL}, {ACT_DROP, 0, NULL, NULL}, {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 5, 1000);
	/* A GET counts as idempotent even when the caller did not say so. */
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 0, &resp, &err), 0);
	assert_int_equal(resp.attempts, 3);
	assert_int_equal(server_requests(&f.srv), 3);
	hwims_http_response_free(&resp);
	fixture_stop(&f);

	/* A PATCH the caller declares idempotent is retried too. */
	fixture_start(&f, script, N(script), 5, 1000);
	assert_int_equal(do_request(&f, "PATCH", "/v2/cloudimages/x", "[]", 1, &resp, &err), 0);
	assert_int_equal(resp.attempts, 3);
	assert_string_equal(f.srv.records[2].method, "PATCH");
	assert_string_equal(f.srv.records[2].body, "[]");
	assert_true(f.srv.records[2].verified);
	hwims_http_response_free(&resp);
	fixture_stop(&f);

	/* The server read the POST and hung up: it may have acted, so no second POST. */
	static const action post_script[] = {{ACT_DROP, 0, NULL, NULL},
	                                     {ACT_RESPOND, 200, NULL, "{}"}};
	fixture_start(&f, post_script, N(post_script), 5, 1000);
	assert_int_equal(do_request(&f, "POST", "/copy", "{}", 0, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_NETWORK);
	assert_non_null(strstr(err.message, "not retried"));
	assert_int_equal(resp.attempts, 1);
	assert_int_equal(resp.status, 0);
	assert_int_equal(server_requests(&f.srv), 1);
	assert_int_equal(strncmp(err.request_id, "hwims-", 6), 0);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_connection_refused(void **state)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	hwims_http *h;
	hwims_http_response resp;
	hwims_error err;
	char url[128];

	/* A port nobody listens on: bind, learn the port, close. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/copy", ntohs(sa.sin_port));

	hwims_http_options o = {
	    .access_key = T_AK, .secret_key = T_SK, .max_retries = 2, .backoff_base_ms = 1};
	assert_int_equal(hwims_http_new(&h, &o, &err), 0);
	/* Refused means never sent: safe to retry even a creating POST. */
	hwims_http_request req = {.method = "POST", .url = url, .body = "{}", .body_len = 2};
	assert_int_equal(hwims_http_do(h, &req, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_NETWORK);
	assert_int_equal(resp.attempts, 3);
	assert_int_equal(resp.status, 0);
	assert_int_equal(strncmp(resp.request_id, "hwims-", 6), 0);
	hwims_http_response_free(&resp);
	hwims_http_free(h);
}

typedef struct canceller {
	fixture *f;
	size_t after_requests;
} canceller;

static void *cancel_main(void *p)
{
	canceller *c = p;
	server_wait_requests(&c->f->srv, c->after_requests);
	hwims_cancel_sleep(NULL, 20); /* let the client settle into its wait */
	hwims_cancel_trigger(c->f->cancel);
	return NULL;
}

static void test_cancel_during_backoff(void **state)
{
	/* Retry-After of an hour, capped at 10 minutes: only a cancel ends this early. */
	static const action script[] = {{ACT_RESPOND, 503, "Retry-After: 3600\r\n", NULL}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;
	pthread_t t;

	fixture_start(&f, script, N(script), 5, 600000);
	canceller c = {&f, 1};
	pthread_create(&t, NULL, cancel_main, &c);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, HWIMS_ERR_CANCELLED);
	assert_int_equal(resp.attempts, 1);
	hwims_http_response_free(&resp);

	/* Already cancelled: nothing is sent. */
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_CANCELLED);
	assert_int_equal(server_requests(&f.srv), 1);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_cancel_during_slow_response(void **state)
{
	static const action script[] = {{ACT_HANG, 0, NULL, NULL}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;
	pthread_t t;

	fixture_start(&f, script, N(script), 5, 1000);
	canceller c = {&f, 1};
	pthread_create(&t, NULL, cancel_main, &c);
	assert_int_equal(do_request(&f, "GET", "/v1/jobs/x", NULL, 1, &resp, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, HWIMS_ERR_CANCELLED);
	assert_int_equal(resp.attempts, 1);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_attempt_timeout(void **state)
{
	static const action script[] = {{ACT_HANG, 0, NULL, NULL}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 1, 1000);
	hwims_http_free(f.http);
	hwims_http_options o = {.access_key = T_AK,
	                        .secret_key = T_SK,
	                        .max_retries = 1,
	                        .request_timeout_ms = 100,
	                        .backoff_base_ms = 1};
	assert_int_equal(hwims_http_new(&f.http, &o, &err), 0);
	assert_int_equal(do_request(&f, "GET", "/v1/jobs/x", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_int_equal(resp.attempts, 2);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

/* From now on the fixture's requests carry a child of its token that expires in ms
 * milliseconds (freed by fixture_stop). Returns that child. */
static hwims_cancel *with_deadline(fixture *f, int64_t ms)
{
	hwims_cancel *t = NULL;
	hwims_error err;
	assert_int_equal(
	    hwims_cancel_new_child(&t, f->cancel, hwims_cancel_now_ns() + ms * 1000000LL, &err), 0);
	f->outer = f->cancel;
	f->cancel = t;
	return t;
}

static void test_deadline_cuts_a_silent_server(void **state)
{
	/* Each attempt may take 30 s and there are 5 retries, but the operation has 300 ms: the
	   one attempt is cut at the deadline and nothing is retried after it. */
	static const action script[] = {{ACT_HANG, 0, NULL, NULL}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 5, 1000);
	with_deadline(&f, 300);
	assert_int_equal(do_request(&f, "GET", "/v1/jobs/x", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_non_null(strstr(err.message, "deadline passed"));
	assert_int_equal(resp.attempts, 1);
	assert_int_equal(server_requests(&f.srv), 1);
	hwims_http_response_free(&resp);
	/* Past the deadline nothing more is sent. */
	assert_int_equal(do_request(&f, "GET", "/v1/jobs/x", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_int_equal(server_requests(&f.srv), 1);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_deadline_cuts_a_backoff(void **state)
{
	/* Retry-After of an hour: the deadline ends the wait, and the error keeps what the
	   service said, since that is why the time ran out. */
	static const action script[] = {
	    {ACT_RESPOND, 429, "Retry-After: 3600\r\n", "{\"error_code\":\"APIGW.0308\"}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 5, 600000);
	with_deadline(&f, 200);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_int_equal(err.http_status, 429);
	assert_string_equal(err.code, "APIGW.0308");
	assert_int_equal(resp.attempts, 1);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_persistent_retries_until_the_deadline(void **state)
{
	/* Eight 429s, then an answer. Two retries are not enough; a persistent operation keeps
	   going until its deadline and gets the answer. */
	static const action script[] = {{ACT_RESPOND, 429, "Retry-After: 0\r\n", NULL},
	                                {ACT_RESPOND, 429, NULL, NULL},
	                                {ACT_RESPOND, 429, NULL, NULL},
	                                {ACT_RESPOND, 503, NULL, NULL},
	                                {ACT_RESPOND, 429, NULL, NULL},
	                                {ACT_RESPOND, 429, NULL, NULL},
	                                {ACT_RESPOND, 503, NULL, NULL},
	                                {ACT_RESPOND, 429, NULL, NULL},
	                                {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 2, 5);
	hwims_cancel *op = with_deadline(&f, 60000);
	/* Not persistent: the fixed count of retries. */
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_THROTTLED);
	assert_int_equal(resp.attempts, 3);
	hwims_http_response_free(&resp);
	hwims_cancel_set_persistent(op, HWIMS_PERSIST_BUSY);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), 0);
	assert_int_equal(resp.status, 200);
	assert_int_equal(resp.attempts, 6);
	assert_int_equal(server_requests(&f.srv), 9);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_persistence_levels(void **state)
{
	/* 500s forever: a busy-only operation gives up after its retries (a server fault is not
	   "busy"); one that persists in everything rides them out until its deadline. */
	static const action script[] = {
	    {ACT_RESPOND, 500, NULL, NULL}, {ACT_RESPOND, 500, NULL, NULL},
	    {ACT_RESPOND, 500, NULL, NULL}, {ACT_RESPOND, 500, NULL, NULL},
	    {ACT_RESPOND, 500, NULL, NULL}, {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 1, 5);
	hwims_cancel *op = with_deadline(&f, 60000);
	hwims_cancel_set_persistent(op, HWIMS_PERSIST_BUSY);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_SERVER);
	assert_int_equal(resp.attempts, 2);
	hwims_http_response_free(&resp);
	hwims_cancel_set_persistent(op, HWIMS_PERSIST_ALL);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), 0);
	assert_int_equal(resp.attempts, 4);
	hwims_http_response_free(&resp);
	fixture_stop(&f);

	/* A creating POST answered 500 may have been processed: never repeated, however
	   persistent the operation. */
	static const action fail[] = {{ACT_RESPOND, 500, NULL, NULL}};
	fixture_start(&f, fail, N(fail), 1, 5);
	op = with_deadline(&f, 60000);
	hwims_cancel_set_persistent(op, HWIMS_PERSIST_ALL);
	assert_int_equal(do_request(&f, "POST", "/copy", "{}", 0, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_SERVER);
	assert_int_equal(resp.attempts, 1);
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_error_bodies(void **state)
{
	static const action script[] = {
	    {ACT_RESPOND, 400, "X-Request-Id: req-400\r\n",
	     "{\"error\":{\"code\":\"IMG.0027\",\"message\":\"The image does not exist.\"}}"},
	    {ACT_RESPOND, 401, NULL,
	     "{\"error_msg\":\"Incorrect IAM authentication information: verify aksk signature "
	     "fail\",\"error_code\":\"APIGW.0301\",\"request_id\":\"abc\"}"},
	    {ACT_RESPOND, 404, NULL,
	     "{\"itemNotFound\":{\"message\":\"No image found\",\"code\":404}}"},
	    {ACT_RESPOND, 409, NULL,
	     "{\"error\":{\"error_code\":\"EPS.0004\",\"error_msg\":\"Conflict here\"}}"},
	    {ACT_RESPOND, 403, NULL, "<html>Forbidden</html>"},
	    {ACT_RESPOND, 400, NULL, NULL}};
	static const struct {
		hwims_error_kind kind;
		int status;
		const char *code, *message;
	} want[] = {
	    {HWIMS_ERR_INVALID, 400, "IMG.0027", "The image does not exist."},
	    {HWIMS_ERR_AUTH, 401, "APIGW.0301",
	     "Incorrect IAM authentication information: verify aksk signature fail"},
	    {HWIMS_ERR_NOT_FOUND, 404, "404", "No image found"},
	    {HWIMS_ERR_CONFLICT, 409, "EPS.0004", "Conflict here"},
	    {HWIMS_ERR_AUTH, 403, "403", "HTTP 403: <html>Forbidden</html>"},
	    {HWIMS_ERR_INVALID, 400, "400", "HTTP 400 with an empty body"},
	};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 3, 1000);
	for (size_t i = 0; i < N(want); i++) {
		assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err),
		                 -1);
		assert_int_equal(err.kind, want[i].kind);
		assert_int_equal(err.http_status, want[i].status);
		assert_int_equal(resp.status, want[i].status);
		assert_string_equal(err.code, want[i].code);
		assert_string_equal(err.message, want[i].message);
		assert_int_equal(resp.attempts, 1);
		if (i == 0)
			assert_string_equal(err.request_id, "req-400");
		else
			assert_int_equal(strncmp(err.request_id, "hwims-", 6), 0);
		assert_string_equal(err.request_id, resp.request_id);
		hwims_http_response_free(&resp);
	}
	fixture_stop(&f);
}

static void test_debug_log_has_no_secrets(void **state)
{
	static const action script[] = {{ACT_RESPOND, 503, "X-Request-Id: log-req\r\n", NULL},
	                                {ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;
	char url[256];

	fixture_start(&f, script, N(script), 3, 1000);
	assert_int_equal(do_request(&f, "GET", "/v2/cloudimages?id=abc", NULL, 1, &resp, &err), 0);
	server_url(&f.srv, "/v2/cloudimages?id=abc", url, sizeof(url));
	const char *log = f.sink.text.data;
	assert_non_null(log);
	assert_non_null(strstr(log, "GET"));
	assert_non_null(strstr(log, url));
	assert_non_null(strstr(log, "503"));
	assert_non_null(strstr(log, "200"));
	assert_non_null(strstr(log, "log-req"));
	assert_non_null(strstr(log, "DEBUG"));
	assert_null(strstr(log, T_SK));
	assert_null(strstr(log, T_TOKEN));
	for (size_t i = 0; i < f.srv.n_records; i++) {
		const char *sig =
		    strstr(record_header(&f.srv.records[i], "Authorization"), "Signature=");
		assert_non_null(sig);
		assert_null(strstr(log, sig + 10));
	}
	hwims_http_response_free(&resp);
	fixture_stop(&f);
}

static void test_connection_reuse(void **state)
{
	static const action script[] = {{ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	hwims_http_response resp;
	hwims_error err;

	fixture_start(&f, script, N(script), 3, 1000);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(do_request(&f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err), 0);
		hwims_http_response_free(&resp);
	}
	assert_int_equal(server_requests(&f.srv), 3);
	pthread_mutex_lock(&f.srv.mu);
	int conns = f.srv.n_connections;
	pthread_mutex_unlock(&f.srv.mu);
	assert_int_equal(conns, 1);
	fixture_stop(&f);
}

typedef struct worker {
	fixture *f;
	int ok;
} worker;

static void *worker_main(void *p)
{
	worker *w = p;
	for (int i = 0; i < 5; i++) {
		hwims_http_response resp;
		hwims_error err;
		if (do_request(w->f, "GET", "/v2/cloudimages", NULL, 1, &resp, &err) == 0)
			w->ok++;
		hwims_http_response_free(&resp);
	}
	return NULL;
}

static void test_concurrent_callers(void **state)
{
	static const action script[] = {{ACT_RESPOND, 200, NULL, "{}"}};
	fixture f;
	pthread_t t[4];
	worker w[4];

	fixture_start(&f, script, N(script), 3, 1000);
	for (int i = 0; i < 4; i++) {
		w[i] = (worker){&f, 0};
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].ok, 5);
	}
	assert_int_equal(server_requests(&f.srv), 20);
	for (size_t i = 0; i < 20; i++)
		assert_true(f.srv.records[i].verified);
	fixture_stop(&f);
}

static void test_usage_errors(void **state)
{
	hwims_http *h = NULL;
	hwims_http_response resp;
	hwims_error err;
	hwims_http_options o = {.access_key = T_AK};

	assert_int_equal(hwims_http_new(&h, &o, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_null(h);
	o.secret_key = T_SK;
	assert_int_equal(hwims_http_new(&h, &o, &err), 0);
	hwims_http_request req = {.method = "GET", .url = "ftp://example.com/x"};
	assert_int_equal(hwims_http_do(h, &req, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	hwims_http_response_free(&resp);
	req.url = "not a url";
	assert_int_equal(hwims_http_do(h, &req, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	hwims_http_response_free(&resp);
	hwims_header bad = {"X-Evil", "a\r\nInjected: 1"};
	req = (hwims_http_request){
	    .method = "GET", .url = "http://127.0.0.1:1/x", .headers = &bad, .n_headers = 1};
	assert_int_equal(hwims_http_do(h, &req, &resp, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	hwims_http_response_free(&resp);
	hwims_http_free(h);
}

static void test_parse_error_body(void **state)
{
	hwims_error err;

	memset(&err, 0, sizeof(err));
	const char *body = "{\"errorCode\":\"X.1\",\"errorMsg\":\"m\"}";
	assert_int_equal(api_parse_error_body(body, strlen(body), &err), 1);
	assert_string_equal(err.code, "X.1");
	assert_string_equal(err.message, "m");
	memset(&err, 0, sizeof(err));
	assert_int_equal(api_parse_error_body("not json", 8, &err), 0);
	assert_int_equal(api_parse_error_body("{\"a\":1}", 7, &err), 0);
	assert_string_equal(err.code, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_success_is_signed),
	    cmocka_unit_test(test_request_credentials_and_unsigned),
	    cmocka_unit_test(test_429_and_503_then_200),
	    cmocka_unit_test(test_throttled_forever),
	    cmocka_unit_test(test_500_forever),
	    cmocka_unit_test(test_dropped_connections),
	    cmocka_unit_test(test_connection_refused),
	    cmocka_unit_test(test_cancel_during_backoff),
	    cmocka_unit_test(test_cancel_during_slow_response),
	    cmocka_unit_test(test_attempt_timeout),
	    cmocka_unit_test(test_deadline_cuts_a_silent_server),
	    cmocka_unit_test(test_deadline_cuts_a_backoff),
	    cmocka_unit_test(test_persistent_retries_until_the_deadline),
	    cmocka_unit_test(test_persistence_levels),
	    cmocka_unit_test(test_error_bodies),
	    cmocka_unit_test(test_debug_log_has_no_secrets),
	    cmocka_unit_test(test_connection_reuse),
	    cmocka_unit_test(test_concurrent_callers),
	    cmocka_unit_test(test_usage_errors),
	    cmocka_unit_test(test_parse_error_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
