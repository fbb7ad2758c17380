/*
 * Unit tests for the gRPC server (server.c) and AutoMTLS (tls.c): certificate properties Go's
 * verifier checks, mutual TLS as go-plugin's client does it (a P-521 client certificate, TLS
 * 1.3 offered), routing and UNIMPLEMENTED, and calls that do not block each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "health.pb-c.h"
#include "prov_server.h"
#include "prov_test_grpc.h"
#include "prov_tls.h"

/* ---- certificates ------------------------------------------------------------------------ */

static X509 *parse_der(const prov_cert *c)
{
	const unsigned char *p = c->der;
	return d2i_X509(NULL, &p, (long)c->der_len);
}

static void check_cert(prov_curve curve, int nid)
{
	prov_cert c;
	hwims_error err;
	assert_int_equal(prov_tls_generate(curve, &c, &err), 0);
	X509 *x = parse_der(&c);
	assert_non_null(x);

	/* SAN DNS:localhost - Go ignores the CN for name checks */
	GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	assert_non_null(san);
	int found = 0;
	for (int i = 0; i < sk_GENERAL_NAME_num(san); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(san, i);
		if (g->type == GEN_DNS &&
		    strcmp((const char *)ASN1_STRING_get0_data(g->d.dNSName), "localhost") == 0)
			found = 1;
	}
	GENERAL_NAMES_free(san);
	assert_true(found);

	/* both EKUs: the same cert template go-plugin uses */
	uint32_t xku = X509_get_extended_key_usage(x);
	assert_true(xku & XKU_SSL_SERVER);
	assert_true(xku & XKU_SSL_CLIENT);

	/* positive, non-zero serial (recent Go rejects negative ones) */
	BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	assert_false(BN_is_negative(serial));
	assert_false(BN_is_zero(serial));
	assert_true(BN_num_bits(serial) > 64);
	BN_free(serial);

	/* valid now (back-dated), for years */
	time_t now = time(NULL);
	assert_true(X509_cmp_time(X509_get0_notBefore(x), &now) < 0);
	time_t later = now + 20L * 365 * 24 * 3600;
	assert_true(X509_cmp_time(X509_get0_notAfter(x), &later) > 0);

	/* the key's curve, and the PEM key matches the cert */
	EVP_PKEY *pub = X509_get0_pubkey(x);
	char group[64] = "";
	size_t glen = 0;
	EVP_PKEY_get_utf8_string_param(pub, "group", group, sizeof(group), &glen);
	assert_string_equal(group, OBJ_nid2sn(nid));
	BIO *kb = BIO_new_mem_buf(c.key_pem, -1);
	EVP_PKEY *key = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
	assert_non_null(key);
	assert_int_equal(X509_check_private_key(x, key), 1);
	/* self-signed */
	assert_int_equal(X509_verify(x, pub), 1);
	EVP_PKEY_free(key);
	BIO_free(kb);
	X509_free(x);
	prov_cert_free(&c);
}

static void certs_satisfy_go_verifier(void **state)
{
	(void)state;
	check_cert(PROV_CURVE_P256, NID_X9_62_prime256v1);
	check_cert(PROV_CURVE_P521, NID_secp521r1);
}

static void each_cert_is_fresh(void **state)
{
	(void)state;
	prov_cert a, b;
	hwims_error err;
	assert_int_equal(prov_tls_generate(PROV_CURVE_P256, &a, &err), 0);
	assert_int_equal(prov_tls_generate(PROV_CURVE_P256, &b, &err), 0);
	assert_false(a.der_len == b.der_len && memcmp(a.der, b.der, a.der_len) == 0);
	prov_cert_free(&a);
	prov_cert_free(&b);
}

/* ---- a server in a thread ------------------------------------------------------------------ */

typedef struct slow_gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int open;
	int waiting;
} slow_gate;

static slow_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void h_echo(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	reply->data = malloc(len + 1);
	memcpy(reply->data, req, len);
	reply->len = len;
}

/* Blocks until the test opens the gate, like an Apply waiting for a copy job. */
static void h_slow(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	pthread_mutex_lock(&gate.mu);
	gate.waiting++;
	pthread_cond_broadcast(&gate.cv);
	while (!gate.open)
		pthread_cond_wait(&gate.cv, &gate.mu);
	gate.waiting--;
	pthread_mutex_unlock(&gate.mu);
	h_echo(app, req, len, reply);
}

static void h_health(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	Grpc__Health__V1__HealthCheckResponse resp;
	grpc__health__v1__health_check_response__init(&resp);
	resp.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
	reply->len = grpc__health__v1__health_check_response__get_packed_size(&resp);
	reply->data = malloc(reply->len + 1);
	grpc__health__v1__health_check_response__pack(&resp, reply->data);
}

static void h_bye(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	reply->shutdown_after = 1;
}

static const prov_route test_routes[] = {
    {"/test.Svc/Echo", h_echo},
    {"/test.Svc/Slow", h_slow},
    {"/test.Svc/Bye", h_bye},
    {"/grpc.health.v1.Health/Check", h_health},
};

typedef struct fixture {
	prov_server *srv;
	pthread_t thread;
	char *path;
	char target[300];
	prov_cert server_cert, client_cert;
	int run_rc;
} fixture;

static void *run_server(void *arg)
{
	fixture *f = arg;
	f->run_rc = prov_server_run(f->srv);
	return NULL;
}

static void start_server(fixture *f, int tls)
{
	hwims_error err;
	memset(f, 0, sizeof(*f));
	prov_server_options o = {.routes = test_routes,
	                         .n_routes = sizeof(test_routes) / sizeof(test_routes[0])};
	if (tls) {
		assert_int_equal(prov_tls_generate(PROV_CURVE_P256, &f->server_cert, &err), 0);
		/* go-plugin's client certificate is ECDSA P-521 */
		assert_int_equal(prov_tls_generate(PROV_CURVE_P521, &f->client_cert, &err), 0);
		o.client_cert_pem = f->client_cert.cert_pem;
		o.server_key_pem = f->server_cert.key_pem;
		o.server_cert_pem = f->server_cert.cert_pem;
	}
	assert_int_equal(prov_server_new(&f->srv, &o, &err), 0);
	if (prov_server_listen_unix(f->srv, NULL, &f->path, &err) != 0)
		fail_msg("listen: %s", err.message);
	snprintf(f->target, sizeof(f->target), "unix:%s", f->path);
	assert_int_equal(prov_server_start(f->srv, &err), 0);
	assert_int_equal(pthread_create(&f->thread, NULL, run_server, f), 0);
}

static void stop_server(fixture *f)
{
	prov_server_shutdown(f->srv);
	pthread_join(f->thread, NULL);
	assert_int_equal(f->run_rc, 0);
	prov_server_free(f->srv);
	assert_int_equal(access(f->path, F_OK), -1); /* socket removed */
	free(f->path);
	prov_cert_free(&f->server_cert);
	prov_cert_free(&f->client_cert);
}

static grpc_status_code health(test_conn *c)
{
	Grpc__Health__V1__HealthCheckRequest rq;
	grpc__health__v1__health_check_request__init(&rq);
	rq.service = "plugin";
	uint8_t buf[64];
	size_t n = grpc__health__v1__health_check_request__pack(&rq, buf);
	unsigned char *out;
	size_t out_len;
	grpc_status_code st = test_unary(c, "/grpc.health.v1.Health/Check", buf, n, &out, &out_len);
	if (st == GRPC_STATUS_OK) {
		Grpc__Health__V1__HealthCheckResponse *r =
		    grpc__health__v1__health_check_response__unpack(NULL, out_len, out);
		assert_non_null(r);
		assert_int_equal(r->status,
		                 GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
		grpc__health__v1__health_check_response__free_unpacked(r, NULL);
	}
	free(out);
	return st;
}

static void mtls_accepts_the_trusted_p521_client(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 1);
	test_conn c;
	test_connect(&c, f.target, f.server_cert.cert_pem, f.client_cert.key_pem,
	             f.client_cert.cert_pem);
	assert_int_equal(health(&c), GRPC_STATUS_OK);
	test_disconnect(&c);
	stop_server(&f);
}

static void mtls_refuses_other_clients(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 1);
	prov_cert stranger;
	hwims_error err;
	assert_int_equal(prov_tls_generate(PROV_CURVE_P521, &stranger, &err), 0);
	test_conn c;
	test_connect(&c, f.target, f.server_cert.cert_pem, stranger.key_pem, stranger.cert_pem);
	assert_int_not_equal(health(&c), GRPC_STATUS_OK);
	test_disconnect(&c);
	test_connect(&c, f.target, f.server_cert.cert_pem, NULL, NULL);
	assert_int_not_equal(health(&c), GRPC_STATUS_OK);
	test_disconnect(&c);
	/* and plaintext against a TLS server */
	test_connect(&c, f.target, NULL, NULL, NULL);
	assert_int_not_equal(health(&c), GRPC_STATUS_OK);
	test_disconnect(&c);
	prov_cert_free(&stranger);
	stop_server(&f);
}

/* Raw TLS handshake over the unix socket with chosen versions; returns the negotiated version
   if the server accepted us (answered the HTTP/2 preface with a frame), else 0. */
static int raw_tls(const fixture *f, const prov_cert *client, int min_v, int max_v)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return 0;
	}
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_min_proto_version(ctx, min_v);
	SSL_CTX_set_max_proto_version(ctx, max_v);
	SSL_CTX_set_security_level(ctx, 0); /* let TLS 1.1 be offered at all */
	BIO *cb = BIO_new_mem_buf(f->server_cert.cert_pem, -1);
	X509 *server = PEM_read_bio_X509(cb, NULL, NULL, NULL);
	X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), server);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (client) {
		BIO *kb = BIO_new_mem_buf(client->key_pem, -1);
		BIO *ccb = BIO_new_mem_buf(client->cert_pem, -1);
		EVP_PKEY *k = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
		X509 *cc = PEM_read_bio_X509(ccb, NULL, NULL, NULL);
		SSL_CTX_use_certificate(ctx, cc);
		SSL_CTX_use_PrivateKey(ctx, k);
		EVP_PKEY_free(k);
		X509_free(cc);
		BIO_free(kb);
		BIO_free(ccb);
	}
	static const unsigned char alpn[] = {2, 'h', '2'};
	SSL_CTX_set_alpn_protos(ctx, alpn, sizeof(alpn));
	SSL *ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	SSL_set1_host(ssl, "localhost");
	int version = 0;
	if (SSL_connect(ssl) == 1) {
		static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
		static const unsigned char settings[9] = {0, 0, 0, 4, 0, 0, 0, 0, 0};
		unsigned char frame[9];
		if (SSL_write(ssl, preface, (int)strlen(preface)) > 0 &&
		    SSL_write(ssl, settings, sizeof(settings)) > 0 &&
		    SSL_read(ssl, frame, sizeof(frame)) == (int)sizeof(frame) && frame[3] == 4)
			version = SSL_version(ssl);
	}
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	X509_free(server);
	BIO_free(cb);
	close(fd);
	return version;
}

/*
 * gRPC core 1.51 refuses a P-521 client certificate under TLS 1.2 ("wrong curve") and accepts
 * it under TLS 1.3, which Go's client negotiates. This is the check that notices if the server
 * ever stops offering TLS 1.3: go-plugin's P-521 client would then be refused.
 */
static void go_like_client_gets_tls13(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 1);
	assert_int_equal(raw_tls(&f, &f.client_cert, TLS1_2_VERSION, TLS1_3_VERSION),
	                 TLS1_3_VERSION);
	/* TLS 1.2 clients are served too (go-plugin's MinVersion), with a P-256 certificate */
	prov_cert p256;
	hwims_error err;
	assert_int_equal(prov_tls_generate(PROV_CURVE_P256, &p256, &err), 0);
	stop_server(&f);

	/* a server trusting the P-256 client */
	fixture g;
	memset(&g, 0, sizeof(g));
	prov_server_options go = {.routes = test_routes,
	                          .n_routes = sizeof(test_routes) / sizeof(test_routes[0])};
	assert_int_equal(prov_tls_generate(PROV_CURVE_P256, &g.server_cert, &err), 0);
	go.client_cert_pem = p256.cert_pem;
	go.server_key_pem = g.server_cert.key_pem;
	go.server_cert_pem = g.server_cert.cert_pem;
	assert_int_equal(prov_server_new(&g.srv, &go, &err), 0);
	assert_int_equal(prov_server_listen_unix(g.srv, NULL, &g.path, &err), 0);
	assert_int_equal(prov_server_start(g.srv, &err), 0);
	assert_int_equal(pthread_create(&g.thread, NULL, run_server, &g), 0);
	assert_int_equal(raw_tls(&g, &p256, TLS1_2_VERSION, TLS1_2_VERSION), TLS1_2_VERSION);
	/* nothing older than TLS 1.2 */
	assert_int_equal(raw_tls(&g, &p256, TLS1_VERSION, TLS1_1_VERSION), 0);
	/* without a certificate, or with a stranger's, the server says nothing */
	assert_int_equal(raw_tls(&g, NULL, TLS1_2_VERSION, TLS1_3_VERSION), 0);
	assert_int_equal(raw_tls(&g, &f.client_cert, TLS1_2_VERSION, TLS1_3_VERSION), 0);
	stop_server(&g);
	prov_cert_free(&p256);
}

static void unknown_methods_are_unimplemented(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 0);
	test_conn c;
	test_connect(&c, f.target, NULL, NULL, NULL);
	assert_int_equal(
	    test_unary(&c, "/tfplugin6.Provider/GetResourceIdentitySchemas", "", 0, NULL, NULL),
	    GRPC_STATUS_UNIMPLEMENTED);
	assert_int_equal(test_unary(&c, "/plugin.GRPCStdio/StreamStdio", "", 0, NULL, NULL),
	                 GRPC_STATUS_UNIMPLEMENTED);
	unsigned char *out;
	size_t n;
	assert_int_equal(test_unary(&c, "/test.Svc/Echo", "abc", 3, &out, &n), GRPC_STATUS_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "abc", 3);
	free(out);
	test_disconnect(&c);
	stop_server(&f);
}

static void long_calls_do_not_block_others(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 0);
	test_conn c;
	test_connect(&c, f.target, NULL, NULL, NULL);
	enum { SLOW = 12 }; /* more than terraform's parallelism of 10 */
	test_call calls[SLOW];
	for (int i = 0; i < SLOW; i++)
		test_call_start(&c, &calls[i], "/test.Svc/Slow", "s", 1, 60);
	pthread_mutex_lock(&gate.mu);
	while (gate.waiting < SLOW)
		pthread_cond_wait(&gate.cv, &gate.mu);
	pthread_mutex_unlock(&gate.mu);
	/* every slow call is now inside its handler; quick calls still get through */
	for (int i = 0; i < 5; i++) {
		unsigned char *out;
		size_t n;
		assert_int_equal(test_unary(&c, "/test.Svc/Echo", "q", 1, &out, &n),
		                 GRPC_STATUS_OK);
		free(out);
	}
	pthread_mutex_lock(&gate.mu);
	gate.open = 1;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
	for (int i = 0; i < SLOW; i++)
		assert_int_equal(test_call_wait(&calls[i], NULL, NULL), GRPC_STATUS_OK);
	test_disconnect(&c);
	stop_server(&f);
}

static void shutdown_rpc_stops_the_server(void **state)
{
	(void)state;
	fixture f;
	start_server(&f, 0);
	test_conn c;
	test_connect(&c, f.target, NULL, NULL, NULL);
	assert_int_equal(test_unary(&c, "/test.Svc/Bye", "", 0, NULL, NULL), GRPC_STATUS_OK);
	pthread_join(f.thread, NULL); /* run returns by itself */
	assert_int_equal(f.run_rc, 0);
	test_disconnect(&c);
	prov_server_free(f.srv);
	free(f.path);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* raw TLS clients write to sockets the server closed */
	grpc_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(certs_satisfy_go_verifier),
	    cmocka_unit_test(each_cert_is_fresh),
	    cmocka_unit_test(mtls_accepts_the_trusted_p521_client),
	    cmocka_unit_test(mtls_refuses_other_clients),
	    cmocka_unit_test(go_like_client_gets_tls13),
	    cmocka_unit_test(unknown_methods_are_unimplemented),
	    cmocka_unit_test(long_calls_do_not_block_others),
	    cmocka_unit_test(shutdown_rpc_stops_the_server),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	grpc_shutdown();
	return rc;
}
