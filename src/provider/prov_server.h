/*
 * prov_server.h - the gRPC server: gRPC C core, one completion queue for new
 * calls, one thread per call.
 *
 * Terraform makes up to 10 calls at once on one connection and expects
 * StopProvider and GRPCController/Shutdown to be answered while an Apply is
 * still waiting for a copy job, so every call runs on its own thread with its
 * own (pluck) completion queue, and several request slots are always armed so
 * that gRPC core never has to queue a new call behind a busy one. All calls
 * arrive generically (grpc_server_request_call) and are routed by method path;
 * a path without a route is answered UNIMPLEMENTED, which is what go-plugin and
 * terraform expect for services we do not serve (GRPCStdio, GRPCBroker,
 * GetResourceIdentitySchemas, ...).
 */
#ifndef PROV_SERVER_H
#define PROV_SERVER_H

#include <grpc/status.h>
#include <stddef.h>
#include <stdint.h>

#include "hwims/error.h"
#include "prov_log.h"

/* What a handler answers. */
typedef struct prov_reply {
	uint8_t *data; /* serialized response message (malloc'd, freed by the server) */
	size_t len;
	grpc_status_code status; /* GRPC_STATUS_OK unless the call itself failed */
	char message[256];       /* status details for a non-OK status */
	int shutdown_after;      /* 1: stop the server once this reply is sent (Shutdown RPC) */
} prov_reply;

/* Handle one unary call: req/req_len is the request message (borrowed). Runs on the call's own
   thread; handlers of different calls run concurrently. */
typedef void (*prov_handler_fn)(void *app, const uint8_t *req, size_t req_len, prov_reply *reply);

typedef struct prov_route {
	const char *method; /* full path, "/tfplugin6.Provider/GetProviderSchema" */
	prov_handler_fn fn;
} prov_route;

typedef struct prov_server_options {
	const prov_route *routes; /* borrowed, must outlive the server */
	size_t n_routes;
	void *app; /* passed to handlers */
	/* Called once when shutdown begins (before in-flight calls are cancelled), e.g. to
	   cancel waits. May be NULL. */
	void (*on_shutdown)(void *app);
	/* TLS: all three set = TLS 1.2+ with a client certificate required and verified against
	   client_cert_pem; all NULL = plaintext. Borrowed during prov_server_listen_* only. */
	const char *client_cert_pem, *server_key_pem, *server_cert_pem;
	prov_log *log; /* may be NULL */
} prov_server_options;

typedef struct prov_server prov_server;

/* Create a server (not yet listening). Caller frees with prov_server_free. */
int prov_server_new(prov_server **out, const prov_server_options *opts, hwims_error *err);

/* Listen on a fresh unix socket in dir (NULL: $TMPDIR or /tmp); *path_out receives its
   absolute path (caller frees). The socket file is removed by prov_server_free. */
int prov_server_listen_unix(prov_server *s, const char *dir, char **path_out, hwims_error *err);

/* Listen on 127.0.0.1 at the first free port in [min_port, max_port]. */
int prov_server_listen_tcp(prov_server *s, int min_port, int max_port, int *port_out,
                           hwims_error *err);

/* Start serving (call after a successful listen). */
int prov_server_start(prov_server *s, hwims_error *err);

/*
 * Serve until prov_server_shutdown is called (by a Shutdown RPC, a signal watcher or a test).
 * Returns 0 when every call finished, 1 when some call was still running 1.5 s after shutdown
 * began (the process should then _exit: go-plugin kills it 2 s after Shutdown anyway).
 */
int prov_server_run(prov_server *s);

/* Begin shutdown. Thread-safe, idempotent, callable from handlers and other threads; a thread
   other than a handler that calls it must have returned from it before prov_server_free. */
void prov_server_shutdown(prov_server *s);

/* Free a server whose run returned 0 (or that never started). Safe on NULL. */
void prov_server_free(prov_server *s);

#endif
