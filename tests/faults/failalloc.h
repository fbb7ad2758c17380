/*
 * failalloc.h - fail the n-th allocation made by the project's own code.
 *
 * The fault test programs are linked with -Wl,--wrap=malloc,calloc,realloc,strdup,strndup, so
 * every such call compiled into them (libhwims, the provider's objects, the inline msgpack
 * buffer functions in msgpack's headers) lands in this module first; jansson's allocations
 * are routed here too through json_set_alloc_funcs. Calls made inside shared libraries
 * (libcurl, gRPC, protobuf-c's unpacker, msgpack's unpacker, OpenSSL, libc's own) are not
 * counted and never fail: their handling of memory is their own test suites' business.
 *
 * The model is curl's torture mode (count the allocations of a clean run, then fail each in
 * turn) and libgit2's allocation limits in its test suite (an allocator that refuses once a
 * limit is reached). Counting happens only while armed, and only on the thread that armed it,
 * so the harness's own bookkeeping and other threads never shift the count.
 */
#ifndef FAILALLOC_H
#define FAILALLOC_H

#include <stddef.h>

typedef enum failalloc_mode {
	FAILALLOC_COUNT, /* count only, fail nothing */
	FAILALLOC_ONCE,  /* fail the n-th allocation only; later ones succeed */
	FAILALLOC_FROM   /* fail the n-th allocation and every one after it */
} failalloc_mode;

/* Route jansson's allocations through the counter. Call once, before any JSON value exists. */
void failalloc_init(void);

/* Start counting on the calling thread; with ONCE or FROM, allocation number n (from 1)
   fails. */
void failalloc_arm(failalloc_mode mode, size_t n);

/* Stop counting. Returns how many allocations were attempted while armed. */
size_t failalloc_disarm(void);

/* How many distinct places allocated in the last FAILALLOC_COUNT run. */
size_t failalloc_sites(void);

/* The mode of the last arm. */
failalloc_mode failalloc_mode_armed(void);

/* How many allocations were refused since the last arm. */
size_t failalloc_refused(void);

#endif
