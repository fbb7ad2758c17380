/*
 * hwims/buf.h - a growable byte/string buffer.
 *
 * A hwims_buf owns its data. `data` is NULL until the first append and is
 * always NUL-terminated when non-NULL (the terminator is not counted in
 * `len`), so a buffer holding text can be used as a C string directly.
 * Initialise with HWIMS_BUF_INIT; release with hwims_buf_free or take the data
 * with hwims_buf_detach. Not thread-safe: one owner at a time.
 */
#ifndef HWIMS_BUF_H
#define HWIMS_BUF_H

#include "hwims/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_buf {
	char *data; /* owned; NUL-terminated when non-NULL */
	size_t len; /* bytes used, excluding the terminator */
	size_t cap; /* bytes allocated */
} hwims_buf;

#define HWIMS_BUF_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/* Append len bytes (may contain NULs). Returns 0, or -1 on out of memory (buffer unchanged). */
HWIMS_EXTERN int hwims_buf_append(hwims_buf *b, const void *data, size_t len);

/* Append a C string. Returns 0 / -1 on out of memory. */
HWIMS_EXTERN int hwims_buf_puts(hwims_buf *b, const char *s);

/* Append printf-style formatted text. Returns 0 / -1 on out of memory or format error. */
HWIMS_EXTERN int hwims_buf_printf(hwims_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Take ownership of the data: returns it (caller frees with free()) and
 * resets the buffer to empty. Returns an allocated "" for a buffer that was
 * never appended to, or NULL if that allocation fails.
 */
HWIMS_EXTERN char *hwims_buf_detach(hwims_buf *b);

/* Free the data and reset the buffer to empty. Safe on NULL and on empty buffers. */
HWIMS_EXTERN void hwims_buf_free(hwims_buf *b);

#ifdef __cplusplus
}
#endif

#endif
