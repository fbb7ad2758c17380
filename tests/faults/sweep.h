/*
 * sweep.h - run one operation once per allocation it makes, failing that allocation.
 *
 * A scenario is an operation (run, counted) between a set-up (prepare) and a verdict
 * (check), neither of which is counted. The sweep runs it clean first to learn N, the number
 * of allocations it makes, and requires that run to succeed; then for n = 1..N it fails the
 * n-th allocation only (later ones succeed: the operation may recover, as it would after a
 * passing shortage), and, when asked, fails every allocation from the n-th on (nothing can
 * recover: every path must still end in an error, not a crash). After every run:
 *  - a failed run must carry a clear error (a kind and a message), and may fail only if an
 *    allocation was refused;
 *  - check() judges the run's outputs and what it left behind (for a copy: every image it
 *    made is reported by the run, then removed);
 * and after the whole sweep LeakSanitizer (in the ASan build) must find nothing unreachable.
 * Include after cmocka.h.
 */
#ifndef FAULTS_SWEEP_H
#define FAULTS_SWEEP_H

#include <stddef.h>

#include "failalloc.h"
#include "hwims/error.h"

typedef struct sweep_case {
	const char *name;
	void *ctx;
	/* Before each run, not counted; may be NULL. Returns 0, or -1 to abort the sweep. */
	int (*prepare)(void *ctx);
	/* The operation under test, counted. Returns 0 on success or -1 with err filled. */
	int (*run)(void *ctx, hwims_error *err);
	/* After each run, not counted: judge and free what the run produced, clean up what it
	   left. rc and err are the run's. Returns 0, or -1 with the reason in why. */
	int (*check)(void *ctx, int rc, const hwims_error *err, char *why, size_t why_len);
	/* Also sweep "every allocation from the n-th on" (every n_from_stride-th n; 0: none). */
	size_t from_stride;
} sweep_case;

typedef struct sweep_stats {
	size_t allocations; /* N: allocations of the clean run */
	size_t sites;       /* the distinct places that made them */
	size_t runs;        /* runs with one allocation refused */
	size_t failed;      /* ... that ended in an error */
	size_t absorbed;    /* ... that succeeded all the same */
	size_t from_runs;   /* runs with every allocation from the n-th on refused */
	size_t from_failed; /* ... that ended in an error (the others needed nothing more) */
} sweep_stats;

/* In main: with a scenario name as argv[1], run only the cmocka test "<name>_*". */
void sweep_select(int argc, char **argv);

/* Sweep sc and print its figures; fails the cmocka test at the first problem, naming the
   run. */
void sweep_run(const sweep_case *sc);

#endif
