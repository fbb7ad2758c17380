/*
 * util.h - text decoding shared by the router and the handlers: percent-decoding of path
 * segments and query parameters, and UTF-8 validation. Pure functions over caller buffers, in
 * imsd's base layer so that every layer above may use them.
 */
#ifndef IMSD_UTIL_H
#define IMSD_UTIL_H

#include <stddef.h>

/* Percent-decode src[0..n) into dst (dstlen bytes incl. NUL). Returns the
 * decoded length, or -1 for a malformed escape, an encoded NUL, invalid
 * UTF-8 or no room. plus_is_space decodes '+' as ' ' (query strings). */
long imsd_percent_decode(const char *src, size_t n, char *dst, size_t dstlen, int plus_is_space);

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
int imsd_utf8_valid(const char *s, size_t n);

#endif
