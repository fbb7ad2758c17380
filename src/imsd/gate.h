/*
 * gate.h - imsd's accept loop: holds each new connection until the head of its first request
 * has arrived in full, then hands it to the HTTP server.
 *
 * Why in front of libmicrohttpd: its connection timeout is an idle timeout that every byte
 * restarts, so a client that trickles header lines holds a connection slot indefinitely, and
 * enough of them lock every other client out; and some malformed heads are mishandled on its
 * own error paths (see head.h). A connection waits here, not in a server slot, until its head
 * is complete (one peek per arrival; nothing is consumed, so the server reads the request
 * from the start); a head that does not complete within the header timeout is cut, one that
 * fails imsd_head_check is answered here, and when max_pending connections wait at once the
 * oldest is cut to make room, so a client that sends its head at once always gets in.
 */
#ifndef IMSD_GATE_H
#define IMSD_GATE_H

#include <stddef.h>
#include <sys/socket.h>

#include <hwims/buf.h>
#include <hwims/error.h>

#include "head.h"

typedef struct imsd_gate imsd_gate;

typedef struct imsd_gate_options {
	int listen_fd;           /* listening, non-blocking; owned by the gate once started */
	double header_timeout_s; /* > 0: from accept to the end of the first head */
	size_t max_pending;      /* > 0: connections waiting for their head at once */
	/* A connection whose first head is complete; the callee owns fd from then on (closes it
	 * on failure too). */
	void (*admit)(void *arg, int fd, const struct sockaddr *addr, socklen_t addrlen);
	/* The whole answer (status line to body) to a refused head; appended to out. */
	void (*refusal)(void *arg, const imsd_head_error *why, hwims_buf *out);
	/* Called on the gate's thread about four times a second. May be NULL. */
	void (*tick)(void *arg);
	void *arg;
} imsd_gate_options;

/* Start the gate's thread. Caller stops with imsd_gate_stop. */
int imsd_gate_start(imsd_gate **out, const imsd_gate_options *opts, hwims_error *err);
/* Stop the thread, close the listening socket and every connection still waiting, free. */
void imsd_gate_stop(imsd_gate *g);

/* Monotonic clock in nanoseconds, the clock of every deadline here and in server.c. */
long long imsd_gate_now_ns(void);

#endif
