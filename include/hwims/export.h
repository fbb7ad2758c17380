/*
 * hwims/export.h - what libhwims exports.
 *
 * The library is built with hidden visibility: only the functions its public
 * headers mark HWIMS_EXTERN are in libhwims.so's dynamic symbol table (a test
 * checks that the two lists are the same). Everything else, the transport and
 * signing included, is internal and may change without notice.
 */
#ifndef HWIMS_EXPORT_H
#define HWIMS_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define HWIMS_EXTERN __attribute__((visibility("default")))
#else
#define HWIMS_EXTERN
#endif

#endif
