/* cli_itest.c - helpers of the CLI integration tests (see cli_itest.h). */
#include "cli_itest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read the terminal's side until the CLI has exited and closed it; send the signal and the
 * resize when their time comes. The output goes to r->err. */
static void follow_pty(int master, pid_t pid, const cli_run_opts *o, run_result *r, int *st)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	long start = now_ms();
	int eof = 0, reaped = 0, interrupted = 0, resized = 0;
	r->settled_at = 0;
	while (!eof || !reaped) {
		long t = now_ms() - start;
		if (o->interrupt_ms > 0 && !interrupted && t >= o->interrupt_ms) {
			kill(pid, SIGINT);
			interrupted = 1;
		}
		if (o->resize_ms > 0 && !resized && t >= o->resize_ms) {
			struct winsize ws = {(unsigned short)(o->pty_rows > 0 ? o->pty_rows : 24),
			                     (unsigned short)o->resize_cols, 0, 0};
			ioctl(master, TIOCSWINSZ, &ws);
			resized = 1;
		}
		if (resized == 1 && t >= o->resize_ms + 600) {
			r->settled_at = len;
			resized = 2;
		}
		if (!reaped && waitpid(pid, st, WNOHANG) == pid)
			reaped = 1;
		if (eof) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 20) <= 0)
			continue;
		if (len + 4096 + 1 > cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		ssize_t n = read(master, buf + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
		else if (n == 0 || errno != EINTR)
			eof = 1; /* Linux answers EIO once the CLI closed its side */
	}
	buf[len] = '\0';
	r->err = buf;
	r->err_len = len;
	if (resized == 1)
		r->settled_at = len;
}

run_result cli_run(cli_env *env, const cli_run_opts *o, const char *const *args)
{
	run_result r;
	memset(&r, 0, sizeof(r));
	char out_path[512], err_path[512], columns[64];
	snprintf(out_path, sizeof(out_path), "%s/out", env->tmp);
	snprintf(err_path, sizeof(err_path), "%s/err", env->tmp);
	const char *argv[48];
	size_t n = 0;
	argv[n++] = HWIMS_CLI;
	for (size_t i = 0; args[i] && n < 47; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	const char *envp[32] = {"HW_REGION_NAME=cn-north-4",
	                        "HW_ACCESS_KEY=" DEMO_AK,
	                        "HW_SECRET_KEY=" DEMO_SK,
	                        "HW_MAX_RETRIES=1",
	                        o->closed ? "HW_IMS_ENDPOINT=http://127.0.0.1:1/{region}/"
	                                  : env->ims,
	                        env->iam,
	                        env->eps};
	size_t ne = 7;
	if (o->columns) {
		snprintf(columns, sizeof(columns), "COLUMNS=%s", o->columns);
		envp[ne++] = columns;
	}
	for (size_t i = 0; o->extra_env && o->extra_env[i] && ne < 31; i++)
		envp[ne++] = o->extra_env[i];
	envp[ne] = NULL;

	int st = 0, master = -1;
	pid_t pid;
	if (o->pty_cols != 0) {
		struct winsize ws = {(unsigned short)(o->pty_cols > 0 ? o->pty_rows : 0),
		                     (unsigned short)(o->pty_cols > 0 ? o->pty_cols : 0), 0, 0};
		pid = forkpty(&master, NULL, NULL, &ws);
	} else {
		pid = fork();
	}
	assert_true(pid >= 0);
	if (pid == 0) {
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(out, STDOUT_FILENO);
		if (o->pty_cols == 0) {
			int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			dup2(e, STDERR_FILENO);
		}
		execve(argv[0], (char *const *)argv, (char *const *)envp);
		_exit(127);
	}
	if (master >= 0) {
		follow_pty(master, pid, o, &r, &st);
		close(master);
	} else {
		if (o->interrupt_ms > 0) {
			struct timespec ts = {o->interrupt_ms / 1000,
			                      (o->interrupt_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
			kill(pid, SIGINT);
		}
		waitpid(pid, &st, 0);
		r.err = hwims_test_slurp(err_path, &r.err_len);
	}
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = hwims_test_slurp(out_path, NULL);
	assert_non_null(r.out);
	assert_non_null(r.err);
	return r;
}

run_result run_cli(cli_env *env, int closed, int interrupt_ms, const char *const *args)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.closed = closed;
	o.interrupt_ms = interrupt_ms;
	return cli_run(env, &o, args);
}

run_result run_cli_counted(cli_env *env, const char *const *prefix, const char *const *more,
                           long *requests)
{
	const char *args[48];
	size_t n = 0;
	for (size_t i = 0; prefix[i] && n < 47; i++)
		args[n++] = prefix[i];
	for (size_t i = 0; more[i] && n < 47; i++)
		args[n++] = more[i];
	args[n] = NULL;
	cli_requests_begin(env);
	run_result r = run_cli(env, 0, 0, args);
	*requests = cli_requests_end(env);
	return r;
}

void run_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

void expect_status(const run_result *r, int status)
{
	if (r->status != status)
		fail_msg("exit %d, wanted %d\nstdout: %s\nstderr: %s", r->status, status, r->out,
		         r->err);
}

json_t *parse(const run_result *r)
{
	json_error_t e;
	json_t *j = json_loads(r->out, 0, &e);
	if (!j)
		fail_msg("stdout is not JSON (%s): %s", e.text, r->out);
	return j;
}

int cli_env_setup(void **state, const char *const *extra)
{
	cli_env *env = calloc(1, sizeof(*env));
	const char *args[16] = {"--admin"};
	size_t n = 1;
	*state = NULL;
	if (!env)
		return -1;
	if (access(HWIMS_CLI, X_OK) != 0 || access(HWIMS_BIN_DIR "/imsd", X_OK) != 0) {
		free(env);
		return 0;
	}
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	env->tmp = hwims_test_mkdtemp("hwims-cli");
	if (!env->tmp || itest_start(&env->t, NULL, 100, args) != 0) {
		free(env->tmp);
		free(env);
		return -1;
	}
	const char *base = env->t.d.base_url;
	snprintf(env->ims, sizeof(env->ims), "HW_IMS_ENDPOINT=%s/{region}/", base);
	snprintf(env->iam, sizeof(env->iam), "HW_IAM_ENDPOINT=%s/iam/", base);
	snprintf(env->eps, sizeof(env->eps), "HW_EPS_ENDPOINT=%s/eps/", base);
	*state = env;
	return 0;
}

int cli_env_setup_default(void **state)
{
	return cli_env_setup(state, NULL);
}

int cli_env_teardown(void **state)
{
	cli_env *env = *state;
	if (!env)
		return 0;
	itest_stop(&env->t, 0);
	hwims_test_rmtree(env->tmp);
	free(env->tmp);
	free(env);
	return 0;
}

cli_env *env_or_skip(void **state)
{
	if (!*state) {
		print_message("hwims or imsd is not built: skipping\n");
		skip();
	}
	return *state;
}

static itest_reply admin(cli_env *env, const char *method, const char *body)
{
	const char *hdrs[] = {"Content-Type: application/json", NULL};
	return itest_raw(&env->t, method, "/_admin/faults", hdrs, body, body ? strlen(body) : 0);
}

#define REQUEST_BUDGET 1000000

void cli_requests_begin(cli_env *env)
{
	char body[64];
	snprintf(body, sizeof(body), "{\"latency_ms\":1,\"budget\":%d}", REQUEST_BUDGET);
	itest_reply r = admin(env, "PUT", body);
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
}

long cli_requests_end(cli_env *env)
{
	itest_reply r = admin(env, "GET", NULL);
	assert_int_equal(r.status, 200);
	json_t *b = json_object_get(r.json, "budget");
	assert_true(json_is_integer(b));
	long used = REQUEST_BUDGET - (long)json_integer_value(b);
	itest_reply_free(&r);
	r = admin(env, "DELETE", NULL);
	itest_reply_free(&r);
	return used;
}

/* A port that accepts connections (the kernel does, into the backlog) and never answers. */
int cli_silent_port(int *fd)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*fd >= 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(*fd, 16), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}
