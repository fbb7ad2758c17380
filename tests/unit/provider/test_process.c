/*
 * The provider binary launched as terraform launches it (main.c): the cookie check, the
 * handshake line on a pipe, AutoMTLS with go-plugin's kind of client certificate, the RPCs
 * every phase makes, SIGINT ignored, Shutdown ending the process, and --debug.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "health.pb-c.h"
#include "prov_handshake.h"
#include "prov_test_grpc.h"
#include "prov_tls.h"
#include "tfplugin6.pb-c.h"

#define PROVIDER HWIMS_BIN_DIR "/terraform-provider-huaweicloud"

typedef struct proc {
	pid_t pid;
	FILE *out, *err;
} proc;

/* In a child: run the provider with stdout on o[1], stderr on e[1]; env is a NULL-terminated
   "K=V" list added to a minimal environment. Does not return. */
static void exec_provider(int o[2], int e[2], const char *arg, const char *const *env)
{
	dup2(o[1], 1);
	dup2(e[1], 2);
	close(o[0]);
	close(e[0]);
	/* A sanitizer build's options (suppressions, log path, exit code) must reach the
	   provider too, or its reports would not match the test's. */
	static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
	                                   "TSAN_OPTIONS"};
	enum { N_KEEP = sizeof(keep) / sizeof(keep[0]) };
	char *kept[N_KEEP] = {NULL};
	for (size_t i = 0; i < N_KEEP; i++) {
		const char *v = getenv(keep[i]);
		kept[i] = v ? strdup(v) : NULL;
	}
	clearenv();
	setenv("PATH", "/usr/bin:/bin", 1);
	for (size_t i = 0; i < N_KEEP; i++) {
		if (kept[i])
			setenv(keep[i], kept[i], 1);
	}
	for (size_t i = 0; env && env[i]; i++)
		putenv((char *)env[i]);
	execl(PROVIDER, PROVIDER, arg, (char *)NULL);
	_exit(127);
}

/* The test's ends of the provider's pipes. */
static void adopt_pipes(proc *p, int o[2], int e[2])
{
	close(o[1]);
	close(e[1]);
	p->out = fdopen(o[0], "r");
	p->err = fdopen(e[0], "r");
}

static void launch(proc *p, const char *arg, const char *const *env)
{
	int o[2], e[2];
	assert_int_equal(pipe(o), 0);
	assert_int_equal(pipe(e), 0);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0)
		exec_provider(o, e, arg, env);
	adopt_pipes(p, o, e);
}

/* Wait up to limit_s for pid to end; its exit status, or -1 if it still runs. */
static int ended_within(pid_t pid, int limit_s)
{
	for (int i = 0; i < limit_s * 20; i++) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(50 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static int finish(proc *p)
{
	int st = 0;
	assert_int_equal(waitpid(p->pid, &st, 0), p->pid);
	fclose(p->out);
	fclose(p->err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *slurp(FILE *f)
{
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	return buf;
}

static void refuses_to_run_without_the_cookie(void **state)
{
	(void)state;
	if (access(PROVIDER, X_OK) != 0)
		skip();
	proc p;
	launch(&p, NULL, NULL);
	char *out = strdup(slurp(p.out));
	char *err = slurp(p.err);
	assert_non_null(strstr(err, "This binary is a plugin"));
	assert_string_equal(out, "");
	assert_int_equal(finish(&p), 1);
	free(out);

	/* a client offering only protocol 5 is refused too */
	const char *env[] = {PROV_COOKIE_KEY "=" PROV_COOKIE_VALUE, "PLUGIN_PROTOCOL_VERSIONS=5",
	                     NULL};
	launch(&p, NULL, env);
	assert_string_equal(slurp(p.out), "");
	assert_non_null(strstr(slurp(p.err), "protocol 6"));
	assert_int_equal(finish(&p), 1);
}

/* Split the handshake line into its fields (modifies line). */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	char *save = NULL;
	for (char *t = strtok_r(line, "|", &save); t && n < max; t = strtok_r(NULL, "|", &save))
		f[n++] = t;
	return n;
}

static X509 *cert_from_field(const char *b64)
{
	/* RawStdEncoding: no '=' padding; put it back for OpenSSL's decoder */
	assert_null(strchr(b64, '='));
	size_t n = strlen(b64);
	char *padded = calloc(n + 4, 1);
	memcpy(padded, b64, n);
	while (n % 4)
		padded[n++] = '=';
	unsigned char *der = malloc(n);
	int len = EVP_DecodeBlock(der, (const unsigned char *)padded, (int)n);
	assert_true(len > 0);
	while (len > 0 && n > 0 && padded[--n] == '=')
		len--;
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, len);
	free(der);
	free(padded);
	return x;
}

static grpc_status_code call_empty(test_conn *c, const char *method, unsigned char **out, size_t *n)
{
	return test_unary(c, method, "", 0, out, n);
}

static void serves_terraform_over_mtls(void **state)
{
	(void)state;
	if (access(PROVIDER, X_OK) != 0)
		skip();
	prov_cert client;
	hwims_error err;
	assert_int_equal(prov_tls_generate(PROV_CURVE_P521, &client, &err), 0);
	char *cert_env = malloc(strlen(client.cert_pem) + 32);
	sprintf(cert_env, "PLUGIN_CLIENT_CERT=%s", client.cert_pem);
	const char *env[] = {PROV_COOKIE_KEY "=" PROV_COOKIE_VALUE, "PLUGIN_PROTOCOL_VERSIONS=6,5",
	                     cert_env, NULL};
	proc p;
	launch(&p, NULL, env);

	/* the first stdout line arrives although stdout is a pipe (flushed) */
	char line[8192];
	assert_non_null(fgets(line, sizeof(line), p.out));
	char *f[8];
	assert_int_equal(fields(line, f, 8), 6);
	assert_string_equal(f[0], "1");
	assert_string_equal(f[1], "6");
	assert_string_equal(f[2], "unix");
	assert_string_equal(f[4], "grpc");
	struct stat st;
	assert_int_equal(stat(f[3], &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	char sock[512];
	snprintf(sock, sizeof(sock), "%s", f[3]);

	X509 *server = cert_from_field(f[5]);
	assert_non_null(server);
	assert_int_equal(X509_check_host(server, "localhost", 0, 0, NULL), 1);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, server);
	char *pem;
	long pem_len = BIO_get_mem_data(b, &pem);
	char *server_pem = malloc((size_t)pem_len + 1); /* BIO data is not NUL-terminated */
	memcpy(server_pem, pem, (size_t)pem_len);
	server_pem[pem_len] = '\0';
	BIO_free(b);
	X509_free(server);

	char target[600];
	snprintf(target, sizeof(target), "unix:%s", sock);
	test_conn c;
	test_connect(&c, target, server_pem, client.key_pem, client.cert_pem);

	/* what every terraform phase does */
	assert_int_equal(call_empty(&c, "/plugin.GRPCStdio/StreamStdio", NULL, NULL),
	                 GRPC_STATUS_UNIMPLEMENTED);
	assert_int_equal(call_empty(&c, "/plugin.GRPCBroker/StartStream", NULL, NULL),
	                 GRPC_STATUS_UNIMPLEMENTED);
	unsigned char *out;
	size_t n;
	assert_int_equal(call_empty(&c, "/tfplugin6.Provider/GetProviderSchema", &out, &n),
	                 GRPC_STATUS_OK);
	Tfplugin6__GetProviderSchema__Response *r =
	    (Tfplugin6__GetProviderSchema__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_provider_schema__response__descriptor, NULL, n, out);
	assert_non_null(r);
	assert_non_null(r->provider);
	assert_int_equal(r->n_resource_schemas, 1);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	free(out);
	/* Terraform 1.12+: anything but UNIMPLEMENTED (or an answer) would be fatal */
	assert_int_equal(
	    call_empty(&c, "/tfplugin6.Provider/GetResourceIdentitySchemas", NULL, NULL),
	    GRPC_STATUS_UNIMPLEMENTED);

	/* Ctrl-C in terraform's terminal reaches the provider too: it must survive it */
	kill(p.pid, SIGINT);
	Grpc__Health__V1__HealthCheckRequest hq;
	grpc__health__v1__health_check_request__init(&hq);
	hq.service = "plugin";
	uint8_t hbuf[32];
	size_t hlen = grpc__health__v1__health_check_request__pack(&hq, hbuf);
	assert_int_equal(test_unary(&c, "/grpc.health.v1.Health/Check", hbuf, hlen, &out, &n),
	                 GRPC_STATUS_OK);
	free(out);
	assert_int_equal(call_empty(&c, "/tfplugin6.Provider/StopProvider", &out, &n),
	                 GRPC_STATUS_OK);
	free(out);

	/* Shutdown: answered, then the process exits by itself and removes its socket */
	assert_int_equal(call_empty(&c, "/plugin.GRPCController/Shutdown", NULL, NULL),
	                 GRPC_STATUS_OK);
	assert_int_equal(finish(&p), 0);
	assert_int_equal(access(sock, F_OK), -1);
	test_disconnect(&c);
	free(server_pem);
	free(cert_env);
	prov_cert_free(&client);
}

static void debug_mode_prints_reattach_value(void **state)
{
	(void)state;
	if (access(PROVIDER, X_OK) != 0)
		skip();
	proc p;
	launch(&p, "--debug", NULL); /* no cookie needed */
	char line[4096];
	char *reattach = NULL;
	while (!reattach && fgets(line, sizeof(line), p.out)) {
		char *at = strstr(line, "TF_REATTACH_PROVIDERS='");
		if (at)
			reattach = strdup(at + strlen("TF_REATTACH_PROVIDERS='"));
	}
	assert_non_null(reattach);
	assert_non_null(strstr(reattach, "\"ProtocolVersion\":6"));
	char *addr = strstr(reattach, "\"String\":\"");
	assert_non_null(addr);
	addr += strlen("\"String\":\"");
	addr[strcspn(addr, "\"")] = '\0';
	char target[600];
	snprintf(target, sizeof(target), "unix:%s", addr);
	test_conn c;
	test_connect(&c, target, NULL, NULL, NULL); /* plaintext */
	unsigned char *out;
	size_t n;
	assert_int_equal(call_empty(&c, "/tfplugin6.Provider/GetProviderSchema", &out, &n),
	                 GRPC_STATUS_OK);
	free(out);
	test_disconnect(&c);
	kill(p.pid, SIGTERM); /* standalone: ends gracefully on SIGTERM (and Ctrl-C) */
	assert_int_equal(finish(&p), 0);
	assert_int_equal(access(addr, F_OK), -1);
	free(reattach);
}

static const char *const plugin_env[] = {PROV_COOKIE_KEY "=" PROV_COOKIE_VALUE,
                                         "PLUGIN_PROTOCOL_VERSIONS=6", NULL};

/* The socket path of a handshake line read from f (static storage). */
static const char *handshake_socket(FILE *f)
{
	static char line[8192];
	assert_non_null(fgets(line, sizeof(line), f));
	char *fld[8];
	assert_true(fields(line, fld, 8) >= 5);
	return fld[3];
}

/* kill -9 of terraform closes the pipes it read our output from: the provider must end by
   itself (it used to wait in epoll for minutes), removing its socket. */
static void exits_when_its_client_stops_reading(void **state)
{
	(void)state;
	proc p;
	launch(&p, NULL, plugin_env);
	char sock[1024];
	snprintf(sock, sizeof(sock), "%s", handshake_socket(p.out));
	fclose(p.out);
	fclose(p.err);
	assert_int_equal(ended_within(p.pid, 10), 1);
	assert_int_equal(access(sock, F_OK), -1);
}

/* The same when only the parent goes (its pipes kept open by someone else): the provider is
   handed to another parent, here this test, made the subreaper of its descendants. */
static void exits_when_its_parent_dies(void **state)
{
	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	int o[2], e[2], id[2];
	assert_int_equal(pipe(o), 0);
	assert_int_equal(pipe(e), 0);
	assert_int_equal(pipe(id), 0);
	pid_t middle = fork();
	assert_true(middle >= 0);
	if (middle == 0) {
		pid_t prov = fork();
		if (prov == 0)
			exec_provider(o, e, NULL, plugin_env);
		if (write(id[1], &prov, sizeof(prov)) != (ssize_t)sizeof(prov))
			_exit(1);
		pause();
		_exit(0);
	}
	pid_t prov = 0;
	assert_int_equal(read(id[0], &prov, sizeof(prov)), (ssize_t)sizeof(prov));
	close(id[0]);
	close(id[1]);
	proc p = {.pid = prov};
	adopt_pipes(&p, o, e);
	char sock[1024];
	snprintf(sock, sizeof(sock), "%s", handshake_socket(p.out));
	kill(middle, SIGKILL);
	assert_int_equal(waitpid(middle, NULL, 0), middle);
	assert_int_equal(ended_within(prov, 10), 1);
	assert_int_equal(access(sock, F_OK), -1);
	fclose(p.out);
	fclose(p.err);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	grpc_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(refuses_to_run_without_the_cookie),
	    cmocka_unit_test(serves_terraform_over_mtls),
	    cmocka_unit_test(debug_mode_prints_reattach_value),
	    cmocka_unit_test(exits_when_its_client_stops_reading),
	    cmocka_unit_test(exits_when_its_parent_dies),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	grpc_shutdown();
	return rc;
}
