/* sweep.c - the allocation-failure sweep (see sweep.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sweep.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define HAVE_LSAN 1
#endif

/* One run with the n-th allocation (or every one from it) refused; returns allocations made. */
static size_t one_run(const sweep_case *sc, failalloc_mode mode, size_t n, sweep_stats *st)
{
	const char *how = mode == FAILALLOC_FROM   ? "from"
	                  : mode == FAILALLOC_ONCE ? "only"
	                                           : "none";
	if (sc->prepare && sc->prepare(sc->ctx) != 0)
		fail_msg("%s: set-up before the run failing allocation %zu (%s) failed", sc->name,
		         n, how);
	hwims_error err;
	hwims_error_clear(&err);
	failalloc_arm(mode, n);
	int rc = sc->run(sc->ctx, &err);
	size_t made = failalloc_disarm();
	size_t refused = failalloc_refused();
	char why[512] = "";
	int bad = sc->check(sc->ctx, rc, &err, why, sizeof(why));
	if (bad)
		fail_msg("%s, allocation %zu (%s) refused: %s", sc->name, n, how, why);
	if (rc != 0 && (err.kind == HWIMS_ERR_NONE || !err.message[0]))
		fail_msg("%s, allocation %zu (%s) refused: failed without an error (kind %s, "
		         "message \"%s\")",
		         sc->name, n, how, hwims_error_kind_name(err.kind), err.message);
	if (rc != 0 && !refused)
		fail_msg("%s, allocation %zu (%s): failed with no allocation refused: %s", sc->name,
		         n, how, err.message);
	if (refused && mode == FAILALLOC_FROM) {
		st->from_runs++;
		st->from_failed += rc != 0;
	} else if (refused) {
		st->runs++;
		st->failed += rc != 0;
		st->absorbed += rc == 0;
	}
	return made;
}

static void leak_check(const sweep_case *sc)
{
#ifdef HAVE_LSAN
	/* Attributes a leak to this scenario; the report above it names the allocation. */
	if (__lsan_do_recoverable_leak_check())
		fail_msg("%s: LeakSanitizer found memory that the runs leaked", sc->name);
#else
	(void)sc;
#endif
}

void sweep_run(const sweep_case *sc)
{
	sweep_stats stats, *st = &stats;
	memset(st, 0, sizeof(*st));
	/* The clean run must succeed: otherwise every refused allocation would look handled. */
	if (sc->prepare && sc->prepare(sc->ctx) != 0)
		fail_msg("%s: set-up of the clean run failed", sc->name);
	hwims_error err;
	hwims_error_clear(&err);
	failalloc_arm(FAILALLOC_COUNT, 0);
	int rc = sc->run(sc->ctx, &err);
	st->allocations = failalloc_disarm();
	st->sites = failalloc_sites();
	char why[512] = "";
	if (sc->check(sc->ctx, rc, &err, why, sizeof(why)) != 0)
		fail_msg("%s: clean run: %s", sc->name, why);
	if (rc != 0)
		fail_msg("%s: clean run failed: %s", sc->name, err.message);
	if (st->allocations == 0)
		fail_msg("%s: the clean run made no allocation: the wrappers are not linked in",
		         sc->name);
	/* A run may allocate a little more or less than the clean one (a retry, a poll more);
	   every n the clean run reached is tried. */
	for (size_t n = 1; n <= st->allocations; n++)
		one_run(sc, FAILALLOC_ONCE, n, st);
	if (sc->from_stride)
		for (size_t n = 1; n <= st->allocations; n += sc->from_stride)
			one_run(sc, FAILALLOC_FROM, n, st);
	leak_check(sc);
	print_message("%s: %zu allocations at %zu places in a clean run; %zu runs with one "
	              "refused: %zu failed with an error, %zu recovered; %zu runs with all from "
	              "the n-th on refused: %zu failed with an error\n",
	              sc->name, st->allocations, st->sites, st->runs, st->failed, st->absorbed,
	              st->from_runs, st->from_failed);
}

void sweep_select(int argc, char **argv)
{
	static char filter[64];
	if (argc > 1) {
		snprintf(filter, sizeof(filter), "%s_*", argv[1]);
		cmocka_set_test_filter(filter);
	}
}
