/*
 * bench_provider.c - how fast terraform-provider-huaweicloud starts and answers, and how much
 * memory it takes (see bench/RESULTS.md, section "provider").
 *
 * Usage: provider_bench PROVIDER_BINARY [RUNS]
 *
 * Launches the provider as terraform does (cookie, PLUGIN_PROTOCOL_VERSIONS, a P-521 client
 * certificate in PLUGIN_CLIENT_CERT), RUNS times, and for each run measures:
 *   start    fork+exec to the handshake line on stdout (AutoMTLS key and cert included);
 *   schema   GetProviderSchema round trips over the mTLS connection (first call, then the
 *            median of 50 more);
 *   VmHWM    the provider's peak resident set (/proc/PID/status) after those calls;
 *   exit     GRPCController/Shutdown to process exit.
 * For the "what dominates" columns it also times, in this process, the key + certificate
 * generation and building + packing the schema answer, and the start of `--version` (exec and
 * dynamic linking without any gRPC work) with its VmHWM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "prov_handshake.h"
#include "prov_schema.h"
#include "prov_test_grpc.h"
#include "prov_tls.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Call after median (the array is sorted then). */
static double minimum(const double *v)
{
	return v[0];
}

static long vm_hwm_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	}
	if (f)
		fclose(f);
	return kb;
}

typedef struct child {
	pid_t pid;
	FILE *out;
} child;

static int spawn(const char *bin, const char *arg, const char *client_pem, child *c)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	c->pid = fork();
	if (c->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		setenv(PROV_COOKIE_KEY, PROV_COOKIE_VALUE, 1);
		setenv("PLUGIN_PROTOCOL_VERSIONS", "5,6", 1);
		if (client_pem)
			setenv("PLUGIN_CLIENT_CERT", client_pem, 1);
		if (!getenv("BENCH_VERBOSE")) {
			unsetenv("TF_LOG");
			unsetenv("TF_LOG_PROVIDER");
		}
		execl(bin, bin, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	c->out = fdopen(fds[0], "r");
	return c->pid > 0 && c->out ? 0 : -1;
}

/* The server certificate PEM from handshake field 6 (base64 of the DER, no padding). */
static char *cert_pem_from_line(const char *line)
{
	const char *p = line;
	for (int i = 0; i < 5 && p; i++) {
		p = strchr(p, '|');
		if (p)
			p++;
	}
	if (!p)
		return NULL;
	size_t n = strcspn(p, "\r\n");
	char *pem = malloc(n + 200);
	size_t o = (size_t)sprintf(pem, "-----BEGIN CERTIFICATE-----\n");
	for (size_t i = 0; i < n; i += 64)
		o += (size_t)sprintf(pem + o, "%.*s\n", (int)(n - i < 64 ? n - i : 64), p + i);
	/* PEM wants the padding back */
	size_t pad = (4 - n % 4) % 4;
	if (pad) {
		pem[o - 1] = '\0';
		o--;
		while (pad--)
			pem[o++] = '=';
		pem[o++] = '\n';
	}
	sprintf(pem + o, "-----END CERTIFICATE-----\n");
	return pem;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PROVIDER_BINARY [RUNS]\n", argv[0]);
		return 2;
	}
	const char *bin = argv[1];
	int runs = argc > 2 ? atoi(argv[2]) : 20;
	if (runs < 1 || runs > 1000)
		runs = 20;
	signal(SIGPIPE, SIG_IGN);
	grpc_init();

	hwims_error err;
	prov_cert client;
	if (prov_tls_generate(PROV_CURVE_P521, &client, &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}

	/* In-process pieces. */
	double certgen[50], schemabuild[50];
	for (int i = 0; i < 50; i++) {
		prov_cert c;
		double t0 = now_ms();
		prov_tls_generate(PROV_CURVE_P256, &c, &err);
		certgen[i] = now_ms() - t0;
		prov_cert_free(&c);
		prov_schemas s;
		uint8_t *data;
		size_t len;
		t0 = now_ms();
		prov_schemas_build(&s, &err);
		prov_schema_response(&s, &data, &len, &err);
		schemabuild[i] = now_ms() - t0;
		free(data);
		prov_schemas_free(&s);
	}

	/* --version: exec + dynamic linking only. */
	double version[50];
	for (int i = 0; i < 20; i++) {
		child c;
		double t0 = now_ms();
		if (spawn(bin, "--version", NULL, &c) != 0)
			return 1;
		char line[256];
		if (!fgets(line, sizeof(line), c.out))
			return 1;
		version[i] = now_ms() - t0;
		fclose(c.out);
		int st;
		waitpid(c.pid, &st, 0);
	}
	double start[1000], first[1000], schema_med[1000], exit_ms[1000];
	long hwm[1000];
	size_t schema_bytes = 0;
	for (int r = 0; r < runs; r++) {
		child c;
		double t0 = now_ms();
		if (spawn(bin, NULL, client.cert_pem, &c) != 0)
			return 1;
		char line[4096];
		if (!fgets(line, sizeof(line), c.out)) {
			fprintf(stderr, "no handshake line\n");
			return 1;
		}
		start[r] = now_ms() - t0;
		char *pem = cert_pem_from_line(line);
		char *addr = strchr(line, '|');
		addr = strchr(addr + 1, '|');
		addr = strchr(addr + 1, '|') + 1;
		char target[512];
		snprintf(target, sizeof(target), "unix:%.*s", (int)strcspn(addr, "|"), addr);
		test_conn conn;
		test_connect(&conn, target, pem, client.key_pem, client.cert_pem);
		double calls[50];
		for (int i = 0; i <= 50; i++) {
			unsigned char *out = NULL;
			size_t n = 0;
			double t1 = now_ms();
			grpc_status_code stc = test_unary(
			    &conn, "/tfplugin6.Provider/GetProviderSchema", "", 0, &out, &n);
			double dt = now_ms() - t1;
			if (stc != GRPC_STATUS_OK) {
				fprintf(stderr, "GetProviderSchema failed: %d\n", stc);
				return 1;
			}
			schema_bytes = n;
			free(out);
			if (i == 0)
				first[r] = dt; /* includes the TLS handshake and HTTP/2 setup */
			else
				calls[i - 1] = dt;
		}
		schema_med[r] = median(calls, 50);
		hwm[r] = vm_hwm_kb(c.pid);
		double t2 = now_ms();
		test_unary(&conn, "/plugin.GRPCController/Shutdown", "", 0, NULL, NULL);
		int st;
		waitpid(c.pid, &st, 0);
		exit_ms[r] = now_ms() - t2;
		if (getenv("BENCH_VERBOSE"))
			fprintf(stderr, "run %d: start %.2f ms, exit %.2f ms\n", r, start[r],
			        exit_ms[r]);
		test_disconnect(&conn);
		fclose(c.out);
		free(pem);
	}

	double hwm_d[1000];
	for (int r = 0; r < runs; r++)
		hwm_d[r] = (double)hwm[r];
	/* median() sorts, so each minimum is read after its median */
	double start_med = median(start, runs), start_min = minimum(start);
	double ver_med = median(version, 20), ver_min = minimum(version);
	double sch_med = median(schema_med, runs), sch_min = minimum(schema_med);
	printf("runs: %d\n", runs);
	printf("cold start to handshake line (AutoMTLS): median %.2f ms, min %.2f ms\n", start_med,
	       start_min);
	printf("  --version start (exec + dynamic linking only): median %.2f ms, min %.2f ms\n",
	       ver_med, ver_min);
	printf("  P-256 key + certificate (in-process): median %.2f ms\n", median(certgen, 50));
	printf("first GetProviderSchema (TLS 1.3 handshake + HTTP/2 + call): median %.2f ms\n",
	       median(first, runs));
	printf("GetProviderSchema round trip (warm): median %.3f ms, min %.3f ms (%zu bytes)\n",
	       sch_med, sch_min, schema_bytes);
	printf("  building + packing the schema (in-process): median %.3f ms\n",
	       median(schemabuild, 50));
	printf("peak RSS (VmHWM) after the schema calls: median %.0f kB\n", median(hwm_d, runs));
	printf("Shutdown to exit: median %.2f ms\n", median(exit_ms, runs));
	fflush(stdout);
	prov_cert_free(&client);
	grpc_shutdown();
	return 0;
}
