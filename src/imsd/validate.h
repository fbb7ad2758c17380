/*
 * validate.h - the IMS input rules (names, descriptions, tags). Each check
 * returns NULL when the input is fine, else the IMS error code and a
 * message in msg.
 */
#ifndef IMSD_VALIDATE_H
#define IMSD_VALIDATE_H

#include <stddef.h>

/* A buffer for the message of a failed check; the longest of them fits. */
#define IMSD_CHECK_MESSAGE_SIZE 256

/* Number of UTF-8 characters in s (s must be valid UTF-8). */
size_t imsd_utf8_chars(const char *s);

/* Image name: 1-128 characters of letters, digits, '-', '.', '_', space and
 * CJK; no leading/trailing space. IMG.0013 / IMG.0002 / IMG.0003. */
const char *imsd_check_name(const char *name, char *msg, size_t msglen);
/* Description: <= 1024 characters, no CR/LF, '<' or '>'. IMG.0004 / IMG.0054. */
const char *imsd_check_description(const char *desc, char *msg, size_t msglen);
/* Tag key/value for "create" (charset and lengths) or "delete" (lengths only). IMG.0115. */
const char *imsd_check_tag(const char *key, const char *value, int for_create, int key_max,
                           int value_max, char *msg, size_t msglen);

#endif
