/* gate.c - imsd's accept loop and head gate (see gate.h). */
/* accept4, to take each connection non-blocking and close-on-exec in one call. */
#define _GNU_SOURCE
#include "gate.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dlist.h"

/* How long a refused connection is read from (and its bytes dropped) after its answer, so
 * that closing it with unread bytes does not reset the answer away before the client reads
 * it. */
#define LINGER_NS (1000LL * 1000 * 1000)
#define TICK_MS   250

/* One connection waiting for its head, or lingering after a refusal. Each kind sits on its
 * own list in the order it got there; since every entry of a list gets the same delay, that
 * is also deadline order, so expiry only ever looks at the front. */
typedef struct pending {
	imsd_dlink link; /* first: on g->waiting or g->lingering */
	int fd;
	int lingering;
	long long deadline_ns;
	struct sockaddr_storage addr;
	socklen_t addrlen;
} pending;

struct imsd_gate {
	imsd_gate_options o;
	pthread_t thread;
	int epfd, stopfd;
	imsd_dlist waiting, lingering;
	char *peek; /* IMSD_MAX_HEAD + 1 bytes: room to see that a head is too large */
};

long long imsd_gate_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The oldest entry of a list, or NULL. */
static pending *oldest(const imsd_dlist *l)
{
	return (pending *)l->head;
}

static imsd_dlist *list_of(imsd_gate *g, pending *p)
{
	return p->lingering ? &g->lingering : &g->waiting;
}

/* Forget p; close its socket unless keep_fd (it was handed on). */
static void drop(imsd_gate *g, pending *p, int keep_fd)
{
	imsd_dlist_unlink(list_of(g, p), &p->link);
	epoll_ctl(g->epfd, EPOLL_CTL_DEL, p->fd, NULL);
	if (!keep_fd)
		close(p->fd);
	free(p);
}

static void accept_one(imsd_gate *g, int fd, const struct sockaddr_storage *addr, socklen_t addrlen)
{
	struct epoll_event ev;
	pending *p;

	/* Full: the connection that has waited longest goes, since a client that sends its
	 * head at once is through the gate long before it would be the oldest. */
	if (g->waiting.n >= g->o.max_pending)
		drop(g, oldest(&g->waiting), 0);
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return;
	}
	p->fd = fd;
	p->addr = *addr;
	p->addrlen = addrlen;
	p->deadline_ns = imsd_gate_now_ns() + (long long)(g->o.header_timeout_s * 1e9);
	memset(&ev, 0, sizeof(ev));
	/* Edge-triggered: a peek leaves the bytes readable, so level-triggered would wake the
	 * loop again at once for a head still incomplete. */
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = p;
	if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		close(fd);
		free(p);
		return;
	}
	imsd_dlist_push(&g->waiting, &p->link);
}

static void accept_all(imsd_gate *g, int lfd)
{
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t addrlen = sizeof(addr);
		int fd =
		    accept4(lfd, (struct sockaddr *)&addr, &addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			accept_one(g, fd, &addr, addrlen);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		/* Out of descriptors: a waiting connection makes room for the next one. */
		if ((errno == EMFILE || errno == ENFILE) && g->waiting.head) {
			drop(g, oldest(&g->waiting), 0);
			continue;
		}
		return; /* EAGAIN, or nothing to free: the backlog keeps the rest */
	}
}

/* Answer a refused head once, then linger (see LINGER_NS). */
static void refuse(imsd_gate *g, pending *p, const imsd_head_error *why, size_t seen)
{
	hwims_buf out = HWIMS_BUF_INIT;
	ssize_t got;

	/* The bytes seen are consumed first: fewer unread bytes, less chance of a reset. */
	got = recv(p->fd, g->peek, seen, 0);
	(void)got;
	g->o.refusal(g->o.arg, why, &out);
	if (out.len > 0)
		(void)send(p->fd, out.data, out.len, MSG_NOSIGNAL);
	hwims_buf_free(&out);
	shutdown(p->fd, SHUT_WR);
	imsd_dlist_unlink(&g->waiting, &p->link);
	p->lingering = 1;
	p->deadline_ns = imsd_gate_now_ns() + LINGER_NS;
	imsd_dlist_push(&g->lingering, &p->link);
}

static void on_readable(imsd_gate *g, pending *p)
{
	imsd_head_error why;
	size_t head_len;
	ssize_t n;

	if (p->lingering) {
		/* Drop what the refused client still sends, until it closes. */
		do
			n = recv(p->fd, g->peek, IMSD_MAX_HEAD + 1, 0);
		while (n > 0);
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			drop(g, p, 0);
		return;
	}
	n = recv(p->fd, g->peek, IMSD_MAX_HEAD + 1, MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(g, p, 0); /* closed or failed before its head was complete */
		return;
	}
	switch (imsd_head_check(g->peek, (size_t)n, &head_len, &why)) {
	case IMSD_HEAD_INCOMPLETE:
		return;
	case IMSD_HEAD_BAD:
		refuse(g, p, &why, (size_t)n);
		return;
	case IMSD_HEAD_OK: {
		int fd = p->fd;
		struct sockaddr_storage addr = p->addr;
		socklen_t addrlen = p->addrlen;

		drop(g, p, 1);
		g->o.admit(g->o.arg, fd, (const struct sockaddr *)&addr, addrlen);
		return;
	}
	}
}

static void expire(imsd_gate *g, imsd_dlist *l, long long now)
{
	/* A head not complete in time is cut without an answer: the client is too slow to
	 * send one, so it is too slow to read one. */
	while (oldest(l) && oldest(l)->deadline_ns <= now)
		drop(g, oldest(l), 0);
}

/* The earlier of next and the first deadline on l. */
static long long earliest(const imsd_dlist *l, long long next)
{
	const pending *p = oldest(l);

	return p && p->deadline_ns < next ? p->deadline_ns : next;
}

static int next_timeout_ms(imsd_gate *g, long long now)
{
	long long next = earliest(&g->lingering, earliest(&g->waiting, now + TICK_MS * 1000000LL));

	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

static void *gate_main(void *arg)
{
	imsd_gate *g = arg;
	struct epoll_event evs[64];
	long long last_tick = imsd_gate_now_ns();

	for (;;) {
		long long now = imsd_gate_now_ns();
		int n = epoll_wait(g->epfd, evs, 64, next_timeout_ms(g, now));

		for (int i = 0; i < n; i++) {
			void *ptr = evs[i].data.ptr;
			if (ptr == &g->stopfd)
				return NULL;
			if (ptr == &g->o.listen_fd)
				accept_all(g, g->o.listen_fd);
			else
				on_readable(g, ptr);
		}
		now = imsd_gate_now_ns();
		expire(g, &g->waiting, now);
		expire(g, &g->lingering, now);
		if (g->o.tick && now - last_tick >= TICK_MS * 1000000LL) {
			g->o.tick(g->o.arg);
			last_tick = now;
		}
	}
}

static int watch(imsd_gate *g, int fd, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = ptr;
	return epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void gate_free(imsd_gate *g)
{
	while (g->waiting.head)
		drop(g, oldest(&g->waiting), 0);
	while (g->lingering.head)
		drop(g, oldest(&g->lingering), 0);
	if (g->epfd >= 0)
		close(g->epfd);
	if (g->stopfd >= 0)
		close(g->stopfd);
	close(g->o.listen_fd);
	free(g->peek);
	free(g);
}

int imsd_gate_start(imsd_gate **out, const imsd_gate_options *opts, hwims_error *err)
{
	imsd_gate *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (!g) {
		close(opts->listen_fd);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	g->o = *opts;
	g->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g->epfd = epoll_create1(EPOLL_CLOEXEC);
	g->peek = malloc(IMSD_MAX_HEAD + 1);
	if (g->stopfd < 0 || g->epfd < 0 || !g->peek || watch(g, g->stopfd, &g->stopfd) != 0 ||
	    watch(g, g->o.listen_fd, &g->o.listen_fd) != 0) {
		gate_free(g);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL,
		                       "cannot set up the accept loop: %m");
	}
	if (pthread_create(&g->thread, NULL, gate_main, g) != 0) {
		gate_free(g);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot start the accept thread");
	}
	*out = g;
	return 0;
}

void imsd_gate_stop(imsd_gate *g)
{
	uint64_t one = 1;

	if (!g)
		return;
	if (write(g->stopfd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		abort(); /* an eventfd write of 1 cannot fail; a thread left running would */
	pthread_join(g->thread, NULL);
	gate_free(g);
}
