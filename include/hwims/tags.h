/*
 * hwims/tags.h - a small owned list of key/value tags (Terraform's `tags` map).
 *
 * Keys are unique within a list; the order is insertion order (the API's order when read).
 * A hwims_tags owns every string in it. Zero-initialise (HWIMS_TAGS_INIT) before first use;
 * free with hwims_tags_free.
 */
#ifndef HWIMS_TAGS_H
#define HWIMS_TAGS_H

#include "hwims/export.h"

#include <stddef.h>

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_tag {
	char *key;   /* owned, never NULL */
	char *value; /* owned, never NULL (may be "") */
} hwims_tag;

typedef struct hwims_tags {
	hwims_tag *items; /* owned array of count elements */
	size_t count;
} hwims_tags;

#define HWIMS_TAGS_INIT                                                                            \
	{                                                                                          \
		NULL, 0                                                                            \
	}

/* Add key=value, or replace the value when key is already there. Copies both strings.
   Errors: HWIMS_ERR_INTERNAL (out of memory); the list is unchanged then. */
HWIMS_EXTERN int hwims_tags_set(hwims_tags *t, const char *key, const char *value,
                                hwims_error *err);

/* Remove key if present (no error when absent). */
HWIMS_EXTERN void hwims_tags_remove(hwims_tags *t, const char *key);

/* The value of key (borrowed, valid until the list changes), or NULL when absent. */
HWIMS_EXTERN const char *hwims_tags_get(const hwims_tags *t, const char *key);

/* Deep copy of src into *dst (whose previous contents are ignored). Caller frees *dst with
   hwims_tags_free. src may be NULL (empty copy). */
HWIMS_EXTERN int hwims_tags_copy(hwims_tags *dst, const hwims_tags *src, hwims_error *err);

/* 1 when a and b hold the same keys with the same values (order ignored), else 0. NULL is
   the empty list. */
HWIMS_EXTERN int hwims_tags_equal(const hwims_tags *a, const hwims_tags *b);

/* Free every string and the array, and reset to empty. Safe on an empty list and on NULL. */
HWIMS_EXTERN void hwims_tags_free(hwims_tags *t);

#ifdef __cplusplus
}
#endif

#endif
