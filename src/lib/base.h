/* base.h - helpers of libhwims' base layer that only the library uses (private). */
#ifndef HWIMS_BASE_H
#define HWIMS_BASE_H

#include "hwims/error.h"

/* Record "out of memory" (HWIMS_ERR_INTERNAL) in err (may be NULL). Returns -1. */
int error_oom(hwims_error *err);

/* A copy of s when it is set (not NULL, not ""), else NULL; NULL also when out of memory for
   a set s. Caller frees. */
char *str_dup_set(const char *s);

#endif
