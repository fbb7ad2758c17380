/*
 * hwims/hex.h - hexadecimal digits (internal to libhwims, shared with imsd and the tests).
 *
 * The signer decodes %XX escapes while canonicalising a URI and imsd percent-decodes request
 * paths and queries: both read hex digits through this one function.
 */
#ifndef HWIMS_HEX_H
#define HWIMS_HEX_H

/* The value of hex digit c (0-9, a-f, A-F), or -1 when c is not one. */
int hwims_hex_digit(char c);

#endif
