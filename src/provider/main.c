/*
 * main.c - terraform-provider-huaweicloud: the plugin process.
 *
 * Started by terraform/tofu (go-plugin): check the magic cookie and protocol
 * versions, serve gRPC on a fresh unix socket (TLS with the client's
 * certificate when PLUGIN_CLIENT_CERT is set), print the handshake line, serve
 * until GRPCController/Shutdown. With --debug: run standalone in plaintext and
 * print a TF_REATTACH_PROVIDERS value instead.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "hwims/version.h"
#include "prov_handshake.h"
#include "prov_log.h"
#include "prov_provider.h"
#include "prov_rpc.h"
#include "prov_server.h"
#include "prov_tls.h"

extern char **environ;

/*
 * LeakSanitizer hook (only consulted in sanitizer builds). OpenSSL keeps a per-thread error
 * queue (allocated by ERR_clear_error and friends, freed by a thread-exit handler). gRPC core
 * 1.51 runs TLS work on its own pool threads, which can still be alive when the process exits
 * after Shutdown (grpc_shutdown_blocking() does not change that); their queues then show up as
 * 904-byte "direct leaks" from libgrpc -> ERR_clear_error. That memory belongs to threads we
 * do not own and is reclaimed by the exit itself; every other leak is still reported.
 *
 * The second entry is the sanitizer's own: when a gRPC pool thread is just starting as the
 * process exits, ASan's thread set-up (AsanThread::Init -> pthread_getattr_np) holds glibc's
 * 152-byte attribute extension (and its 32-byte CPU set) for it, which glibc frees only once
 * that call returns. Both show up as leaks whose every frame is in glibc or the sanitizer
 * runtime, under __pthread_getattr_np (seen once in four full runs of the conformance suite);
 * nothing of ours allocates them.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:ERR_clear_error\n"
	       "leak:__pthread_getattr_np\n";
}

/*
 * libcrypto has no frame pointers: without the slow unwinder a leak's stack stops at
 * CRYPTO_zalloc (every frame above it is lost, ours too) and the suppression above could not
 * tell that queue from a real leak. The newer client stack of the tests does not change that:
 * it is this process's allocations. The slow unwinder is what costs, per frame, on every
 * malloc, so allocation stacks stop at 8 frames: both suppressed stacks match within 4
 * (malloc, CRYPTO_zalloc, a libcrypto frame, ERR_clear_error; malloc,
 * __pthread_getattr_np), and 8 still name the allocating code of a leak of ours. Capped at 6
 * frames the conformance suite took 208 s against 262 s uncapped, run side by side on one
 * machine; 8 leaves room for a deeper libcrypto call.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0:malloc_context_size=8";
}

typedef struct signal_watch {
	sigset_t set;
	prov_server *server;
	pthread_t thread;
	int running;      /* main thread only: the watcher was started and not yet joined */
	atomic_int end;   /* set before main wakes the watcher only to end it */
	pid_t parent;     /* the client that started us; 0 when not watched (--debug) */
	const char *sock; /* the socket to remove when the client is gone; may be NULL */
} signal_watch;

/* How often the watcher looks whether the client is still there. */
#define PARENT_CHECK_MS 200

/*
 * 1 when the client that started us is gone: we were handed to another parent (terraform was
 * killed), or the pipes it reads our stdout and stderr from lost their reader (a pipe's write
 * end then polls POLLERR). A terminal or /dev/null never reports either.
 */
static int client_gone(const signal_watch *w)
{
	if (getppid() != w->parent)
		return 1;
	struct pollfd fds[2] = {{.fd = STDOUT_FILENO}, {.fd = STDERR_FILENO}};
	if (poll(fds, 2, 0) <= 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		if (fds[i].revents & POLLERR)
			return 1;
	}
	return 0;
}

/*
 * Terminating signals end the server gracefully (socket removed, calls cancelled). SIGINT is
 * ignored under terraform, like go-plugin does: terraform handles Ctrl-C itself through
 * StopProvider, and dying on it would lose an in-flight apply.
 *
 * A client that died (kill -9 of terraform) sends neither: then nobody will ever read an
 * answer, and a create run on would only finish a copy whose ID reaches no state. The process
 * ends at once instead, like a killed one, with nothing recorded half-way: the library's record
 * of a copy in flight stays, so the next apply resumes that copy rather than making another.
 */
static void *signal_main(void *arg)
{
	signal_watch *w = arg;
	const struct timespec tick = {0, PARENT_CHECK_MS * 1000000L};
	for (;;) {
		int sig;
		if (w->parent)
			sig = sigtimedwait(&w->set, NULL, &tick); /* -1 on each tick */
		else if (sigwait(&w->set, &sig) != 0)
			return NULL;
		if (atomic_load(&w->end))
			return NULL;
		if (sig > 0) {
			prov_server_shutdown(w->server);
			return NULL;
		}
		if (w->parent && client_gone(w)) {
			if (w->sock)
				unlink(w->sock);
			_exit(1);
		}
	}
}

/*
 * End the watcher and wait for it, before the server and the provider are freed. A SIGTERM
 * makes it call prov_server_shutdown, which still uses the server (and through on_shutdown
 * the provider's stop token) after the server loop has seen the shutdown begin and returned;
 * a detached watcher could thus still be inside it while main frees both.
 */
static void signal_watch_end(signal_watch *w)
{
	if (!w->running)
		return;
	atomic_store(&w->end, 1);
	/* SIGTERM is in the watched set, blocked everywhere: sigwait takes it (or it stays
	   pending, harmlessly, when a real one already woke the watcher). */
	pthread_kill(w->thread, SIGTERM);
	pthread_join(w->thread, NULL);
	w->running = 0;
}

static int env_int(const char *name, int fallback)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return fallback;
	char *end;
	long n = strtol(v, &end, 10);
	return (*end || n <= 0 || n > 65535) ? fallback : (int)n;
}

static void socket_group(const char *path, prov_log *log)
{
	const char *g = getenv("PLUGIN_UNIX_SOCKET_GROUP");
	if (!g || !*g)
		return;
	char *end;
	long gid = strtol(g, &end, 10);
	if (*end) {
		struct group *gr = getgrnam(g);
		gid = gr ? (long)gr->gr_gid : -1;
	}
	if (gid < 0 || chown(path, (uid_t)-1, (gid_t)gid) != 0 || chmod(path, 0660) != 0)
		prov_logf(log, HWIMS_LOG_WARN, "cannot give the socket to group %s", g);
}

static void usage(FILE *out)
{
	fprintf(out,
	        "terraform-provider-huaweicloud %s - Terraform/OpenTofu provider for "
	        "huaweicloud_images_image_copy\n"
	        "\n"
	        "Terraform and OpenTofu start this program themselves. Options for running it "
	        "by hand:\n"
	        "  --debug     serve standalone (no TLS) and print a TF_REATTACH_PROVIDERS value\n"
	        "  --version   print the version\n"
	        "  --help      this text\n",
	        HWIMS_VERSION);
}

/* Read the command line: -1 to go on serving (*debug set), else the exit status. */
static int parse_args(int argc, char **argv, int *debug)
{
	*debug = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--debug") == 0 || strcmp(argv[i], "-debug") == 0) {
			*debug = 1;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-version") == 0) {
			printf("terraform-provider-huaweicloud %s (plugin protocol 6)\n",
			       HWIMS_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	return -1;
}

/* Block the terminating signals before any thread exists so only the watcher sees them. */
static void block_signals(signal_watch *w, int debug)
{
	atomic_init(&w->end, 0);
	sigemptyset(&w->set);
	sigaddset(&w->set, SIGTERM);
	sigaddset(&w->set, SIGHUP);
	if (debug)
		sigaddset(&w->set, SIGINT);
	else
		signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	pthread_sigmask(SIG_BLOCK, &w->set, NULL);
}

/* Where the server listens, as the handshake line names it. */
typedef struct listen_addr {
	const char *network; /* "unix" or "tcp" */
	const char *addr;    /* sock or tcp */
	char *sock;          /* the unix socket's path (owned), or NULL */
	char tcp[64];
} listen_addr;

/* Listen on a fresh unix socket as go-plugin does, or on TCP where that is not possible. */
static int listen_any(prov_server *server, prov_log *log, listen_addr *la, hwims_error *err)
{
	if (prov_server_listen_unix(server, getenv("PLUGIN_UNIX_SOCKET_DIR"), &la->sock, err) ==
	    0) {
		la->network = "unix";
		la->addr = la->sock;
		socket_group(la->sock, log);
		return 0;
	}
	prov_logf(log, HWIMS_LOG_WARN, "unix socket unavailable (%s); using TCP", err->message);
	int port;
	if (prov_server_listen_tcp(server, env_int("PLUGIN_MIN_PORT", 10000),
	                           env_int("PLUGIN_MAX_PORT", 25000), &port, err) != 0)
		return -1;
	snprintf(la->tcp, sizeof(la->tcp), "127.0.0.1:%d", port);
	la->network = "tcp";
	la->addr = la->tcp;
	return 0;
}

/* Tell the client where to connect: the handshake line under terraform, a
   TF_REATTACH_PROVIDERS value with --debug. Nothing else goes to stdout. */
static int announce(const listen_addr *la, int debug, const char *cert_b64, hwims_error *err)
{
	if (debug) {
		char *reattach = prov_reattach_json(la->network, la->addr, (long)getpid());
		printf(
		    "Provider started. To attach Terraform or OpenTofu, set in their environment:\n"
		    "\n\tTF_REATTACH_PROVIDERS='%s'\n\n"
		    "(source address huaweicloud/huaweicloud). Stop with Ctrl-C.\n",
		    reattach ? reattach : "");
		free(reattach);
	} else {
		char *line = prov_handshake_line(la->network, la->addr, cert_b64);
		if (!line)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		fputs(line, stdout);
		free(line);
	}
	/* stdout is a pipe under terraform, hence fully buffered: without this the client waits
	   for its one-minute start timeout. */
	fflush(stdout);
	return 0;
}

/* The AutoMTLS certificate when the client sent its own (PLUGIN_CLIENT_CERT), with its DER in
   base64 for the handshake line (*b64, caller frees). */
static int make_cert(const char *client_cert, prov_cert *cert, char **b64, hwims_error *err)
{
	if (!client_cert)
		return 0;
	if (prov_tls_generate(PROV_CURVE_P256, cert, err) != 0)
		return -1;
	*b64 = prov_base64_raw(cert->der, cert->der_len);
	if (!*b64)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

/* The server for provider (routes from the frame), listening (la) and started. */
static int start_server(prov_server **server, prov_provider *provider, const char *client_cert,
                        const prov_cert *cert, listen_addr *la, hwims_error *err)
{
	size_t n_routes;
	const prov_route *routes = prov_routes(&n_routes);
	prov_server_options opts = {.routes = routes,
	                            .n_routes = n_routes,
	                            .app = provider,
	                            .on_shutdown = prov_provider_on_shutdown,
	                            .client_cert_pem = client_cert,
	                            .server_key_pem = client_cert ? cert->key_pem : NULL,
	                            .server_cert_pem = client_cert ? cert->cert_pem : NULL,
	                            .log = provider->log};
	if (prov_server_new(server, &opts, err) != 0 ||
	    listen_any(*server, provider->log, la, err) != 0)
		return -1;
	return prov_server_start(*server, err);
}

/* Serve until shutdown. A call that did not finish after cancellation ends the process here:
   the client kills it soon anyway. */
static void serve(prov_server *server, prov_log *log, const listen_addr *la)
{
	if (prov_server_run(server) != 0) {
		prov_logf(log, HWIMS_LOG_WARN, "exiting with calls still running");
		if (la->sock)
			unlink(la->sock);
		fflush(stderr);
		_exit(0);
	}
	prov_logf(log, HWIMS_LOG_TRACE, "server stopped");
}

int main(int argc, char **argv)
{
	int debug;
	int rc = parse_args(argc, argv, &debug);
	if (rc >= 0)
		return rc;

	/*
	 * Before anything else touches OpenSSL: no atexit cleanup. gRPC's pool threads outlive
	 * main and still use OpenSSL while exit() runs; OPENSSL_cleanup() racing them freed their
	 * per-thread error state twice (seen as an ASan double free, and as a provider that hung
	 * past go-plugin's 2 s Shutdown grace). The process is ending; the OS reclaims it all.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);

	hwims_error err;
	if (!debug && prov_handshake_check(getenv(PROV_COOKIE_KEY),
	                                   getenv("PLUGIN_PROTOCOL_VERSIONS"), &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}

	signal_watch watch = {.running = 0};
	block_signals(&watch, debug);

	prov_log log;
	prov_log_init(&log, stderr,
	              prov_log_level_from_env(getenv("TF_LOG_PROVIDER"), getenv("TF_LOG")));

	rc = 1;
	prov_cert cert = {0};
	prov_provider provider;
	prov_server *server = NULL;
	listen_addr la = {0};
	char *b64 = NULL;
	int provider_ok = 0;

	const char *client_cert = debug ? NULL : getenv("PLUGIN_CLIENT_CERT");
	if (client_cert && !*client_cert)
		client_cert = NULL;
	if (make_cert(client_cert, &cert, &b64, &err) != 0)
		goto fail;
	if (prov_provider_init(&provider, &log, environ, &err) != 0)
		goto fail;
	provider_ok = 1;

	if (start_server(&server, &provider, client_cert, &cert, &la, &err) != 0)
		goto fail;

	watch.server = server;
	watch.parent = debug ? 0 : getppid();
	watch.sock = la.sock;
	watch.running = pthread_create(&watch.thread, NULL, signal_main, &watch) == 0;

	if (announce(&la, debug, b64, &err) != 0)
		goto fail;
	prov_logf(&log, HWIMS_LOG_DEBUG, "serving plugin protocol 6 on %s:%s (%s)", la.network,
	          la.addr, client_cert ? "mTLS" : "plaintext");

	serve(server, &log, &la);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "[ERROR] terraform-provider-huaweicloud: %s\n", err.message);
done:
	signal_watch_end(&watch);
	prov_server_free(server);
	prov_logf(&log, HWIMS_LOG_TRACE, "server freed");
	if (provider_ok)
		prov_provider_destroy(&provider);
	prov_cert_free(&cert);
	free(la.sock);
	free(b64);
	prov_log_destroy(&log);
	return rc;
}
