/*
 * imsd_abuse_load - load generator of bench/imsd-abuse/run.sh: sends N hostile requests to
 * imsd, a third of each kind, over up to C connections at once, and counts how each ended:
 *
 *   many   GET with 1,000 query parameters; the answer is awaited ANSWER_MS after sending
 *   badcl  POST whose Content-Length is -1, "abc" or 23 digits; awaited the same way
 *   slow   request line, then one header line every SLOW_STEP_MS, SLOW_LINES times, never
 *          the end of the head; then the client gives up unless imsd cut it first
 *
 * Every PROBE_EVERY hostile requests it also times one plain GET on a new connection (an
 * unsigned one, answered 401) to see whether a well-behaved client still gets in.
 *
 * usage: imsd_abuse_load PORT N [C [SECONDS]]   (127.0.0.1; C defaults to 512; with SECONDS
 *        > 0 it starts no request after that long, ends the ones in flight as they are, and
 *        says how many it sent: an imsd that stalls would otherwise keep it waiting)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#define ANSWER_MS    500
#define SLOW_STEP_MS 250
#define SLOW_LINES   4
#define PROBE_EVERY  2000
#define PROBE_MS     5000

enum kind { MANY, BADCL, SLOW, KINDS };
enum outcome { ONE_ANSWER, DOUBLED, UNANSWERED, REFUSED_CONNECT, CUT, OUTLIVED, OUTCOMES };

static const char *const kind_name[KINDS] = {"many", "badcl", "slow"};
static const char *const outcome_name[OUTCOMES] = {"one answer",  "header twice",
                                                   "no answer",   "connect failed",
                                                   "cut by imsd", "held until client quit"};

typedef struct conn {
	int fd; /* -1: free slot */
	enum kind kind;
	int lines_sent;
	long long due_ms; /* next step (slow) or the end of the wait for an answer */
	char *got;
	size_t got_len, got_cap;
} conn;

static int port;
static long long counts[KINDS][OUTCOMES];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int dial(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Requests are small; a loopback send of one never blocks for long. */
static int send_text(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static char *many_params;
static size_t many_params_len;

static void build_many_params(void)
{
	size_t cap = 64 + 1000 * 16;
	size_t n = 0;

	many_params = malloc(cap);
	if (!many_params)
		exit(1);
	n += (size_t)snprintf(many_params, cap, "GET /cn-north-4/v2/cloudimages?");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(many_params + n, cap - n, "%sx%d=1", i ? "&" : "", i);
	n += (size_t)snprintf(many_params + n, cap - n, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	many_params_len = n;
}

static int count_status_lines(const conn *c)
{
	int n = 0;

	for (size_t i = 0; i + 9 <= c->got_len; i++)
		if (memcmp(c->got + i, "HTTP/1.1 ", 9) == 0)
			n++;
	return n;
}

static void finish(conn *c, enum outcome o)
{
	counts[c->kind][o]++;
	close(c->fd);
	c->fd = -1;
	c->got_len = 0;
}

static void start(conn *c, enum kind k, long long now, long long seq)
{
	static const char *const lengths[] = {"-1", "abc", "99999999999999999999999"};
	static const char slow_line[] = "GET /cn-north-4/v2/cloudimages HTTP/1.1\r\nHost: x\r\n";
	char req[256];
	int rc;

	c->kind = k;
	c->lines_sent = 0;
	c->got_len = 0;
	c->fd = dial();
	if (c->fd < 0) {
		counts[k][REFUSED_CONNECT]++;
		return;
	}
	if (k == MANY) {
		rc = send_text(c->fd, many_params, many_params_len);
	} else if (k == BADCL) {
		int n = snprintf(req, sizeof(req),
		                 "POST /cn-north-4/v1/cloudimages/x/copy HTTP/1.1\r\nHost: x\r\n"
		                 "Content-Length: %s\r\n\r\n",
		                 lengths[seq % 3]);
		rc = send_text(c->fd, req, (size_t)n);
	} else {
		rc = send_text(c->fd, slow_line, sizeof(slow_line) - 1);
	}
	if (rc != 0) {
		finish(c, k == SLOW ? CUT : UNANSWERED);
		return;
	}
	c->due_ms = now + (k == SLOW ? SLOW_STEP_MS : ANSWER_MS);
}

/* Bytes arrived, or the connection closed. */
static void on_input(conn *c)
{
	char chunk[4096];
	ssize_t n = recv(c->fd, chunk, sizeof(chunk), 0);

	if (n > 0) {
		if (c->got_len + (size_t)n > c->got_cap) {
			size_t cap = (c->got_len + (size_t)n) * 2;
			char *p = realloc(c->got, cap);
			if (!p)
				exit(1);
			c->got = p;
			c->got_cap = cap;
		}
		memcpy(c->got + c->got_len, chunk, (size_t)n);
		c->got_len += (size_t)n;
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (c->kind == SLOW) {
		finish(c, CUT);
		return;
	}
	int lines = count_status_lines(c);
	finish(c, lines == 0 ? UNANSWERED : lines == 1 ? ONE_ANSWER : DOUBLED);
}

static void on_due(conn *c, long long now)
{
	static const char header[] = "X-Slow: 1\r\n";

	if (c->kind != SLOW) {
		/* Waited long enough: what came is the answer. */
		int lines = count_status_lines(c);
		finish(c, lines == 0 ? UNANSWERED : lines == 1 ? ONE_ANSWER : DOUBLED);
		return;
	}
	if (c->lines_sent == SLOW_LINES) {
		finish(c, OUTLIVED);
		return;
	}
	if (send_text(c->fd, header, sizeof(header) - 1) != 0) {
		finish(c, CUT);
		return;
	}
	c->lines_sent++;
	c->due_ms = now + SLOW_STEP_MS;
}

/* The time budget is spent: end c as if its wait were over (a trickler counts as held). */
static void on_due_now(conn *c)
{
	if (c->kind == SLOW)
		finish(c, OUTLIVED);
	else
		on_due(c, now_ms());
}

/* A plain request on a new connection: milliseconds to its answer, -1 for none. */
static long long probe(void)
{
	static const char req[] = "GET /cn-north-4/v2/cloudimages HTTP/1.1\r\nHost: x\r\n"
	                          "Connection: close\r\n\r\n";
	long long t0 = now_ms();
	char buf[512];
	int fd = dial();

	if (fd < 0)
		return -1;
	if (send_text(fd, req, sizeof(req) - 1) != 0) {
		close(fd);
		return -1;
	}
	struct pollfd p = {fd, POLLIN, 0};
	ssize_t n = poll(&p, 1, PROBE_MS) == 1 ? recv(fd, buf, sizeof(buf), 0) : -1;
	close(fd);
	return n >= 9 && memcmp(buf, "HTTP/1.1 ", 9) == 0 ? now_ms() - t0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: imsd_abuse_load PORT N [CONNECTIONS [SECONDS]]\n");
		return 2;
	}
	port = atoi(argv[1]);
	long long total = atoll(argv[2]);
	int nconn = argc > 3 ? atoi(argv[3]) : 512;
	long long budget_ms = argc > 4 ? atoll(argv[4]) * 1000 : 0;
	int out_of_time = 0;
	conn *cs = calloc((size_t)nconn, sizeof(*cs));
	struct pollfd *pfd = calloc((size_t)nconn, sizeof(*pfd));
	long long started = 0, probes = 0, probe_failed = 0, probe_max = 0, probe_sum = 0;
	long long t0 = now_ms();

	if (!cs || !pfd || port <= 0 || total <= 0 || nconn <= 0)
		return 2;
	build_many_params();
	for (int i = 0; i < nconn; i++)
		cs[i].fd = -1;
	for (;;) {
		long long now = now_ms();
		int active = 0;

		if (budget_ms > 0 && now - t0 >= budget_ms && !out_of_time) {
			out_of_time = 1;
			total = started;
			for (int i = 0; i < nconn; i++)
				if (cs[i].fd >= 0)
					on_due_now(&cs[i]);
		}

		for (int i = 0; i < nconn; i++) {
			if (cs[i].fd < 0 && started < total) {
				start(&cs[i], (enum kind)(started % KINDS), now, started / KINDS);
				started++;
				if (started % PROBE_EVERY == 0) {
					long long ms = probe();
					probes++;
					if (ms < 0)
						probe_failed++;
					else {
						probe_sum += ms;
						probe_max = ms > probe_max ? ms : probe_max;
					}
				}
			}
			if (cs[i].fd >= 0 && cs[i].due_ms <= now)
				on_due(&cs[i], now);
			pfd[i].fd = cs[i].fd;
			pfd[i].events = POLLIN;
			active += cs[i].fd >= 0;
		}
		if (active == 0 && started >= total)
			break;
		if (poll(pfd, (nfds_t)nconn, 20) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < nconn; i++)
			if (cs[i].fd >= 0 && pfd[i].fd == cs[i].fd &&
			    (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				on_input(&cs[i]);
	}
	printf("hostile requests: %lld in %.1f s over up to %d connections%s\n", total,
	       (double)(now_ms() - t0) / 1000.0, nconn,
	       out_of_time ? " (stopped: out of time)" : "");
	for (int k = 0; k < KINDS; k++) {
		printf("  %-6s", kind_name[k]);
		for (int o = 0; o < OUTCOMES; o++)
			if (counts[k][o])
				printf("  %s: %lld", outcome_name[o], counts[k][o]);
		printf("\n");
	}
	printf("probes: %lld, unanswered %lld, mean %.1f ms, max %lld ms\n", probes, probe_failed,
	       probes > probe_failed ? (double)probe_sum / (double)(probes - probe_failed) : 0.0,
	       probe_max);
	for (int i = 0; i < nconn; i++)
		free(cs[i].got);
	free(cs);
	free(pfd);
	free(many_params);
	return 0;
}
