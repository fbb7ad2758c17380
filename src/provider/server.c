/* server.c - gRPC C core server with per-call threads (see prov_server.h). */
#include "prov_server.h"

#include <errno.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Outstanding generic request slots: more than terraform's parallelism (10) plus StopProvider
   and Shutdown, so a new call never waits for a slot to be re-armed. */
#define PROV_ARMED_SLOTS 16
/* Terraform-plugin-go uses 256 MiB both ways; gRPC core's default receive limit is 4 MiB. */
#define PROV_MAX_MESSAGE (256 * 1024 * 1024)
/* How long shutdown waits for running calls before giving up (go-plugin kills at 2 s). */
#define PROV_DRAIN_MS 1500

struct prov_server {
	prov_server_options opts;
	grpc_server *server;
	grpc_completion_queue *cq; /* new-call notifications and the shutdown tag */
	grpc_server_credentials *creds;
	char *unix_path;
	int listening;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t idle;
	int active;        /* calls being handled by worker threads */
	int shutting_down; /* guarded by mu */
	int shutdown_tag;  /* address used as the shutdown notification tag */
};

typedef struct prov_slot {
	prov_server *srv;
	grpc_call *call;
	grpc_call_details details;
	grpc_metadata_array md;
	grpc_completion_queue *cq; /* pluck queue bound to this call */
} prov_slot;

static gpr_timespec forever(void)
{
	return gpr_inf_future(GPR_CLOCK_REALTIME);
}

static void slot_free(prov_slot *sl)
{
	if (!sl)
		return;
	if (sl->call)
		grpc_call_unref(sl->call);
	if (sl->cq) {
		grpc_completion_queue_shutdown(sl->cq);
		for (;;) {
			grpc_event ev = grpc_completion_queue_pluck(sl->cq, NULL, forever(), NULL);
			if (ev.type == GRPC_QUEUE_SHUTDOWN)
				break;
		}
		grpc_completion_queue_destroy(sl->cq);
	}
	grpc_call_details_destroy(&sl->details);
	grpc_metadata_array_destroy(&sl->md);
	free(sl);
}

static int arm_slot(prov_server *s)
{
	prov_slot *sl = calloc(1, sizeof(*sl));
	if (!sl)
		return -1;
	sl->srv = s;
	grpc_call_details_init(&sl->details);
	grpc_metadata_array_init(&sl->md);
	sl->cq = grpc_completion_queue_create_for_pluck(NULL);
	if (!sl->cq) {
		slot_free(sl);
		return -1;
	}
	grpc_call_error e = grpc_server_request_call(s->server, &sl->call, &sl->details, &sl->md,
	                                             sl->cq, s->cq, sl);
	if (e != GRPC_CALL_OK) {
		slot_free(sl);
		return -1;
	}
	return 0;
}

/* Run one batch on the call's own queue and wait for it. Returns 1 if it succeeded. */
static int run_batch(prov_slot *sl, const grpc_op *ops, size_t n)
{
	void *tag = (void *)ops;
	if (grpc_call_start_batch(sl->call, ops, n, tag, NULL) != GRPC_CALL_OK)
		return 0;
	grpc_event ev = grpc_completion_queue_pluck(sl->cq, tag, forever(), NULL);
	return ev.type == GRPC_OP_COMPLETE && ev.success;
}

static const prov_route *find_route(const prov_server *s, grpc_slice method)
{
	size_t len = GRPC_SLICE_LENGTH(method);
	const char *p = (const char *)GRPC_SLICE_START_PTR(method);
	for (size_t i = 0; i < s->opts.n_routes; i++) {
		const char *m = s->opts.routes[i].method;
		if (strlen(m) == len && memcmp(m, p, len) == 0)
			return &s->opts.routes[i];
	}
	return NULL;
}

/* The request message as one contiguous allocation (NULL/0 for an empty message). */
static int read_message(grpc_byte_buffer *bb, uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!bb)
		return 0;
	grpc_byte_buffer_reader reader;
	if (!grpc_byte_buffer_reader_init(&reader, bb))
		return -1;
	grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
	grpc_byte_buffer_reader_destroy(&reader);
	size_t n = GRPC_SLICE_LENGTH(all);
	if (n) {
		*data = malloc(n);
		if (!*data) {
			grpc_slice_unref(all);
			return -1;
		}
		memcpy(*data, GRPC_SLICE_START_PTR(all), n);
	}
	*len = n;
	grpc_slice_unref(all);
	return 0;
}

static void handle_call(prov_slot *sl)
{
	prov_server *s = sl->srv;
	prov_reply reply = {.status = GRPC_STATUS_OK};
	uint8_t *req = NULL;
	size_t req_len = 0;
	const prov_route *route = find_route(s, sl->details.method);
	int len = (int)GRPC_SLICE_LENGTH(sl->details.method);
	const char *mname = (const char *)GRPC_SLICE_START_PTR(sl->details.method);

	if (route) {
		grpc_byte_buffer *in = NULL;
		grpc_op op = {.op = GRPC_OP_RECV_MESSAGE};
		op.data.recv_message.recv_message = &in;
		if (!run_batch(sl, &op, 1)) {
			prov_logf(s->opts.log, HWIMS_LOG_WARN, "%.*s: client went away", len,
			          mname);
			return;
		}
		int rc = read_message(in, &req, &req_len);
		if (in)
			grpc_byte_buffer_destroy(in);
		if (rc != 0) {
			reply.status = GRPC_STATUS_RESOURCE_EXHAUSTED;
			snprintf(reply.message, sizeof(reply.message), "out of memory");
		} else {
			prov_logf(s->opts.log, HWIMS_LOG_TRACE, "%.*s: %zu request bytes", len,
			          mname, req_len);
			route->fn(s->opts.app, req, req_len, &reply);
		}
	} else {
		reply.status = GRPC_STATUS_UNIMPLEMENTED;
		snprintf(reply.message, sizeof(reply.message), "method %.*s is not implemented",
		         len > 200 ? 200 : len, mname);
		prov_logf(s->opts.log, HWIMS_LOG_DEBUG, "%.*s: unimplemented", len, mname);
	}

	grpc_byte_buffer *out = NULL;
	if (reply.status == GRPC_STATUS_OK) {
		grpc_slice slice =
		    grpc_slice_from_copied_buffer((const char *)reply.data, reply.len);
		out = grpc_raw_byte_buffer_create(&slice, 1);
		grpc_slice_unref(slice);
	}
	grpc_slice details = grpc_slice_from_copied_string(reply.message);
	int cancelled = 0;
	grpc_op ops[4];
	size_t n = 0;
	memset(ops, 0, sizeof(ops));
	ops[n++].op = GRPC_OP_SEND_INITIAL_METADATA;
	if (out) {
		ops[n].op = GRPC_OP_SEND_MESSAGE;
		ops[n++].data.send_message.send_message = out;
	}
	ops[n].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
	ops[n].data.send_status_from_server.status = reply.status;
	ops[n++].data.send_status_from_server.status_details = &details;
	ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
	ops[n++].data.recv_close_on_server.cancelled = &cancelled;
	if (!run_batch(sl, ops, n))
		prov_logf(s->opts.log, HWIMS_LOG_WARN, "%.*s: sending the reply failed", len,
		          mname);
	grpc_slice_unref(details);
	if (out)
		grpc_byte_buffer_destroy(out);
	free(req);
	free(reply.data);
	if (reply.shutdown_after)
		prov_server_shutdown(s);
}

static void *worker_main(void *arg)
{
	prov_slot *sl = arg;
	prov_server *s = sl->srv;
	handle_call(sl);
	slot_free(sl);
	pthread_mutex_lock(&s->mu);
	s->active--;
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int prov_server_new(prov_server **out, const prov_server_options *opts, hwims_error *err)
{
	*out = NULL;
	prov_server *s = calloc(1, sizeof(*s));
	if (!s)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	s->opts = *opts;
	s->opts.client_cert_pem = s->opts.server_key_pem = s->opts.server_cert_pem = NULL;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->idle, NULL);
	grpc_init();

	grpc_arg args[3];
	memset(args, 0, sizeof(args));
	args[0].type = GRPC_ARG_INTEGER;
	args[0].key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
	args[0].value.integer = PROV_MAX_MESSAGE;
	args[1].type = GRPC_ARG_INTEGER;
	args[1].key = GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
	args[1].value.integer = PROV_MAX_MESSAGE;
	/* Without this, binding a TCP port another process holds can "succeed" (SO_REUSEPORT). */
	args[2].type = GRPC_ARG_INTEGER;
	args[2].key = GRPC_ARG_ALLOW_REUSEPORT;
	args[2].value.integer = 0;
	grpc_channel_args cargs = {.num_args = 3, .args = args};
	s->server = grpc_server_create(&cargs, NULL);
	s->cq = grpc_completion_queue_create_for_next(NULL);
	if (!s->server || !s->cq) {
		prov_server_free(s);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot create the gRPC server");
	}
	grpc_server_register_completion_queue(s->server, s->cq, NULL);

	if (opts->client_cert_pem && opts->server_key_pem && opts->server_cert_pem) {
		grpc_ssl_pem_key_cert_pair pair = {.private_key = opts->server_key_pem,
		                                   .cert_chain = opts->server_cert_pem};
		/* gRPC core's SSL credentials negotiate TLS 1.2 or 1.3 (no older versions). */
		s->creds = grpc_ssl_server_credentials_create_ex(
		    opts->client_cert_pem, &pair, 1,
		    GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, NULL);
	} else {
		s->creds = grpc_insecure_server_credentials_create();
	}
	if (!s->creds) {
		prov_server_free(s);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL,
		                       "cannot create the gRPC server credentials (is "
		                       "PLUGIN_CLIENT_CERT a PEM certificate?)");
	}
	*out = s;
	return 0;
}

int prov_server_listen_unix(prov_server *s, const char *dir, char **path_out, hwims_error *err)
{
	*path_out = NULL;
	if (!dir || !*dir)
		dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/plugin-XXXXXX", dir);
	struct sockaddr_un sun;
	if (n < 0 || (size_t)n >= sizeof(sun.sun_path))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "socket directory %s: path too long for a unix socket", dir);
	/* Like go-plugin: reserve a unique name with a temp file, then bind a socket there. */
	int fd = mkstemp(path);
	if (fd < 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "cannot create a socket in %s: %s",
		                       dir, strerror(errno));
	close(fd);
	unlink(path);
	char addr[PATH_MAX + 8];
	snprintf(addr, sizeof(addr), "unix:%s", path);
	if (!grpc_server_add_http2_port(s->server, addr, s->creds))
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot listen on %s", path);
	s->unix_path = strdup(path);
	*path_out = strdup(path);
	if (!s->unix_path || !*path_out) {
		free(*path_out);
		*path_out = NULL;
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	s->listening = 1;
	return 0;
}

int prov_server_listen_tcp(prov_server *s, int min_port, int max_port, int *port_out,
                           hwims_error *err)
{
	if (min_port <= 0 || max_port < min_port || max_port > 65535)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "invalid port range %d..%d", min_port,
		                       max_port);
	for (int port = min_port; port <= max_port; port++) {
		char addr[64];
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
		int bound = grpc_server_add_http2_port(s->server, addr, s->creds);
		if (bound > 0) {
			*port_out = bound;
			s->listening = 1;
			return 0;
		}
	}
	return hwims_error_set(err, HWIMS_ERR_NETWORK, "no free port in %d..%d", min_port,
	                       max_port);
}

int prov_server_start(prov_server *s, hwims_error *err)
{
	if (!s->listening)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "start before listen");
	grpc_server_start(s->server);
	s->started = 1;
	for (int i = 0; i < PROV_ARMED_SLOTS; i++) {
		if (arm_slot(s) != 0)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot arm gRPC requests");
	}
	return 0;
}

void prov_server_shutdown(prov_server *s)
{
	pthread_mutex_lock(&s->mu);
	int first = !s->shutting_down;
	s->shutting_down = 1;
	pthread_mutex_unlock(&s->mu);
	if (!first)
		return;
	prov_logf(s->opts.log, HWIMS_LOG_DEBUG, "shutting down");
	if (s->opts.on_shutdown)
		s->opts.on_shutdown(s->opts.app);
	grpc_server_shutdown_and_notify(s->server, s->cq, &s->shutdown_tag);
	/* Shutdown alone sends GOAWAY and then waits for clients to hang up, which took ~5 s
	   with a client that keeps its connection; go-plugin kills us after 2 s. Cancelling
	   disconnects them now (the Shutdown reply has been sent by then). */
	grpc_server_cancel_all_calls(s->server);
}

/* Wait until no worker runs, at most ms milliseconds. Returns 1 if idle. */
static int wait_idle(prov_server *s, long ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	while (s->active > 0) {
		if (pthread_cond_timedwait(&s->idle, &s->mu, &deadline) == ETIMEDOUT)
			break;
	}
	int idle = s->active == 0;
	pthread_mutex_unlock(&s->mu);
	return idle;
}

int prov_server_run(prov_server *s)
{
	int stuck = 0;
	for (;;) {
		grpc_event ev = grpc_completion_queue_next(s->cq, forever(), NULL);
		if (ev.type == GRPC_QUEUE_SHUTDOWN)
			break;
		if (ev.type != GRPC_OP_COMPLETE)
			continue;
		if (ev.tag == &s->shutdown_tag) {
			prov_logf(s->opts.log, HWIMS_LOG_TRACE, "server: shutdown complete");
			/* No new calls now; cancel what still runs so waits end, then give the
			   workers a moment to unwind. */
			grpc_server_cancel_all_calls(s->server);
			stuck = !wait_idle(s, PROV_DRAIN_MS);
			grpc_completion_queue_shutdown(s->cq);
			continue;
		}
		prov_slot *sl = ev.tag;
		if (!ev.success) {
			slot_free(sl);
			continue;
		}
		pthread_mutex_lock(&s->mu);
		int down = s->shutting_down;
		s->active++;
		pthread_mutex_unlock(&s->mu);
		if (!down && arm_slot(s) != 0)
			prov_logf(s->opts.log, HWIMS_LOG_ERROR,
			          "cannot re-arm a gRPC request slot");
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		int rc = pthread_create(&t, &attr, worker_main, sl);
		pthread_attr_destroy(&attr);
		if (rc != 0) {
			/* No thread for it: answer inline rather than leave the client hanging. */
			worker_main(sl);
		}
	}
	return stuck;
}

void prov_server_free(prov_server *s)
{
	if (!s)
		return;
	if (s->server) {
		/* Under the lock: shutdown may have begun on another thread (a Shutdown call's
		   worker), which is only known to have finished through gRPC's queue otherwise. */
		pthread_mutex_lock(&s->mu);
		int down = s->shutting_down;
		pthread_mutex_unlock(&s->mu);
		if (s->started && !down) {
			prov_server_shutdown(s);
			prov_server_run(s);
		} else if (!s->started) {
			/* Never started: shutdown still has to be requested before destroy. */
			grpc_server_shutdown_and_notify(s->server, s->cq, &s->shutdown_tag);
			grpc_completion_queue_shutdown(s->cq);
			for (;;) {
				grpc_event ev = grpc_completion_queue_next(s->cq, forever(), NULL);
				if (ev.type == GRPC_QUEUE_SHUTDOWN)
					break;
			}
		}
		grpc_server_destroy(s->server);
	}
	if (s->cq)
		grpc_completion_queue_destroy(s->cq);
	if (s->creds)
		grpc_server_credentials_release(s->creds);
	if (s->unix_path) {
		unlink(s->unix_path);
		free(s->unix_path);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->idle);
	free(s);
	/* Not grpc_shutdown_blocking(): it did not make gRPC's pool threads go away any sooner
	   (see the LeakSanitizer note in main.c) and only delays the exit that go-plugin waits
	   at most 2 s for. */
	grpc_shutdown();
}
