/* failalloc.c - the link-time allocation wrappers of the fault tests (see failalloc.h). */
#include "failalloc.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define HAVE_STACKS 1
#endif

/* The real functions, reached through the linker's --wrap (they resolve to libc's, or to the
   sanitizer's interceptors in an ASan build, so leak and overflow checks still see every
   block). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

json_t *__real_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error);

json_t *__wrap_json_pack(const char *fmt, ...);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
json_t *__wrap_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error);

static atomic_int armed;
static pthread_t owner;
static failalloc_mode mode;
static size_t fail_at, count, refused;
static _Thread_local int
    inside;       /* in a library call that counts as one allocation (the armed thread's) */
static int trace; /* FAULTS_TRACE set: print where each refused allocation was made */

/* The distinct places that allocated in the last counting run (the caller of the wrapped
   function, or the place inside jansson for its values). */
#define MAX_SITES 4096
static void *sites[MAX_SITES];
static size_t n_sites;

static void note_site(void *site)
{
	for (size_t i = 0; i < n_sites; i++)
		if (sites[i] == site)
			return;
	if (n_sites < MAX_SITES)
		sites[n_sites++] = site;
}

/* 1 if this allocation (made at site) is to fail. Counts only the armed thread's calls. */
static int refuse_at(void *site)
{
	if (!atomic_load_explicit(&armed, memory_order_acquire) ||
	    !pthread_equal(pthread_self(), owner) || inside)
		return 0;
	count++;
	if (mode == FAILALLOC_COUNT)
		note_site(site);
	int no = (mode == FAILALLOC_ONCE && count == fail_at) ||
	         (mode == FAILALLOC_FROM && count >= fail_at);
	if (no) {
		refused++;
		errno = ENOMEM;
#ifdef HAVE_STACKS
		if (trace)
			__sanitizer_print_stack_trace();
#endif
	}
	return no;
}

#define refuse() refuse_at(__builtin_return_address(0))

void *__wrap_malloc(size_t n)
{
	return refuse() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return refuse() ? NULL : __real_calloc(n, size);
}

/* A refused realloc leaves the block as it was, as the real one does. */
void *__wrap_realloc(void *p, size_t n)
{
	return refuse() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return refuse() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return refuse() ? NULL : __real_strndup(s, n);
}

/*
 * jansson's parser does not survive its own allocations failing (2.14 writes through the NULL
 * it got while scanning a string), so a parse counts as one allocation: refused, it fails as
 * jansson reports running out of memory; allowed, nothing inside it is counted.
 */
json_t *__wrap_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	if (refuse()) {
		if (error) {
			memset(error, 0, sizeof(*error));
			snprintf(error->text, sizeof(error->text), "out of memory");
			error->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
		}
		return NULL;
	}
	int was = inside;
	inside = 1;
	json_t *v = __real_json_loadb(buf, len, flags, error);
	inside = was;
	return v;
}

/* What a failed json_pack does to its arguments: the values packed with "o" were handed over,
   so they are released (jansson does the same when packing fails). Walks the formats the
   project uses: s (with #, % or + forms), n, b, i, I, f, o, O, each optionally with ? or *. */
static void release_stolen(const char *fmt, va_list ap)
{
	for (const char *f = fmt; *f; f++) {
		switch (*f) {
		case 's':
			(void)va_arg(ap, const char *);
			if (f[1] == '#')
				(void)va_arg(ap, int), f++;
			else if (f[1] == '%')
				(void)va_arg(ap, size_t), f++;
			break;
		case 'b':
		case 'i':
			(void)va_arg(ap, int);
			break;
		case 'I':
			(void)va_arg(ap, json_int_t);
			break;
		case 'f':
			(void)va_arg(ap, double);
			break;
		case 'o':
			json_decref(va_arg(ap, json_t *));
			break;
		case 'O':
			(void)va_arg(ap, json_t *);
			break;
		default: /* n, brackets, separators, modifiers: no argument */
			break;
		}
	}
}

/* Packing, too, counts as one allocation: jansson 2.14 reads its arguments out of step once
   an allocation inside json_pack has failed. */
json_t *__wrap_json_pack(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *v = NULL;
	if (refuse()) {
		release_stolen(fmt, ap);
	} else {
		int was = inside;
		inside = 1;
		v = json_vpack_ex(NULL, 0, fmt, ap);
		inside = was;
	}
	va_end(ap);
	return v;
}

static void *json_malloc(size_t n)
{
	return refuse() ? NULL : __real_malloc(n);
}

void failalloc_init(void)
{
	json_set_alloc_funcs(json_malloc, free);
	trace = getenv("FAULTS_TRACE") != NULL;
}

void failalloc_arm(failalloc_mode m, size_t n)
{
	owner = pthread_self();
	mode = m;
	fail_at = n;
	count = 0;
	refused = 0;
	if (m == FAILALLOC_COUNT)
		n_sites = 0;
	atomic_store_explicit(&armed, 1, memory_order_release);
}

size_t failalloc_disarm(void)
{
	atomic_store_explicit(&armed, 0, memory_order_release);
	return count;
}

size_t failalloc_sites(void)
{
	return n_sites;
}

failalloc_mode failalloc_mode_armed(void)
{
	return mode;
}

size_t failalloc_refused(void)
{
	return refused;
}
