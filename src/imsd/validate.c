/* validate.c - the IMS input rules (see validate.h). */
#include "validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t imsd_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Next code point of valid UTF-8, advancing *p. */
static uint32_t next_cp(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		len = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		len = 3;
	} else {
		cp = s[0] & 0x07;
		len = 4;
	}
	for (size_t i = 1; i < len && s[i]; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	*p += len;
	return cp;
}

static int is_alnum_ascii(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_cjk(uint32_t c)
{
	return c >= 0x4E00 && c <= 0x9FFF;
}

const char *imsd_check_name(const char *name, char *msg, size_t msglen)
{
	size_t n, len;

	if (!name || !*name) {
		snprintf(msg, msglen, "The image name is not specified.");
		return "IMG.0013";
	}
	n = imsd_utf8_chars(name);
	if (n > 128) {
		snprintf(msg, msglen, "The image name contains more than 128 characters.");
		return "IMG.0002";
	}
	len = strlen(name);
	if (name[0] == ' ' || name[len - 1] == ' ') {
		snprintf(msg, msglen, "The image name cannot start or end with a space.");
		return "IMG.0003";
	}
	for (const char *p = name; *p;) {
		uint32_t c = next_cp(&p);
		if (!is_alnum_ascii(c) && c != '-' && c != '.' && c != '_' && c != ' ' &&
		    !is_cjk(c)) {
			snprintf(msg, msglen,
			         "The image name format is invalid: only letters, digits, spaces, "
			         "hyphens (-), periods (.) and underscores (_) are allowed.");
			return "IMG.0003";
		}
	}
	return NULL;
}

const char *imsd_check_description(const char *desc, char *msg, size_t msglen)
{
	if (!desc)
		return NULL;
	if (imsd_utf8_chars(desc) > 1024) {
		snprintf(msg, msglen, "The image description contains more than 1024 characters.");
		return "IMG.0004";
	}
	if (strpbrk(desc, "\r\n<>")) {
		snprintf(msg, msglen,
		         "The image description format is invalid: carriage returns and angle "
		         "brackets (< >) are not allowed.");
		return "IMG.0054";
	}
	return NULL;
}

static int tag_char_ok(uint32_t c, int is_value)
{
	return is_alnum_ascii(c) || is_cjk(c) || c == ' ' || c == '_' || c == '.' || c == ':' ||
	       c == '+' || c == '-' || c == '@' || (is_value && c == '/');
}

const char *imsd_check_tag(const char *key, const char *value, int for_create, int key_max,
                           int value_max, char *msg, size_t msglen)
{
	size_t kn = imsd_utf8_chars(key), vn = imsd_utf8_chars(value);

	if (kn == 0 || kn > (size_t)key_max) {
		snprintf(msg, msglen, "Invalid tag: the key must be 1 to %d characters long.",
		         key_max);
		return "IMG.0115";
	}
	if (vn > (size_t)value_max) {
		snprintf(msg, msglen, "Invalid tag: the value must be at most %d characters long.",
		         value_max);
		return "IMG.0115";
	}
	if (!for_create)
		return NULL;
	if (key[0] == ' ' || key[strlen(key) - 1] == ' ' ||
	    (vn > 0 && (value[0] == ' ' || value[strlen(value) - 1] == ' '))) {
		snprintf(msg, msglen,
		         "Invalid tag: keys and values cannot start or end with a space.");
		return "IMG.0115";
	}
	for (const char *p = key; *p;) {
		if (!tag_char_ok(next_cp(&p), 0)) {
			snprintf(msg, msglen,
			         "Invalid tag key: it contains an unsupported character.");
			return "IMG.0115";
		}
	}
	for (const char *p = value; *p;) {
		if (!tag_char_ok(next_cp(&p), 1)) {
			snprintf(msg, msglen,
			         "Invalid tag value: it contains an unsupported character.");
			return "IMG.0115";
		}
	}
	return NULL;
}
