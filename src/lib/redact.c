/* redact.c - masking secrets in text bound for logs and messages (hwims_redact in log.h). */
#include "hwims/log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hwims/buf.h"

#define MASK "***"

enum redact_kind {
	R_VALUE, /* mask up to the next delimiter (query values, Signature=) */
	R_KEEP4, /* keep the first 4 characters, mask the rest up to a delimiter (access keys) */
	R_LINE,  /* header value: skip blanks, mask to end of line */
	R_AUTH,  /* Authorization header: SDK schemes are handled by the Signature= rule, any
	            other scheme (Bearer, Basic, ...) is masked whole */
	R_JSON,  /* JSON string value after "key": */
	R_JSON4, /* JSON string value, first 4 characters kept */
};

static const struct {
	const char *prefix;
	enum redact_kind kind;
} rules[] = {
    {"Signature=", R_VALUE},       {"Access=", R_KEEP4},         {"X-Security-Token:", R_LINE},
    {"X-Auth-Token:", R_LINE},     {"X-Subject-Token:", R_LINE}, {"Authorization:", R_AUTH},
    {"\"secret_key\"", R_JSON},    {"\"secret\"", R_JSON},       {"\"security_token\"", R_JSON},
    {"\"securitytoken\"", R_JSON}, {"\"password\"", R_JSON},     {"\"token\"", R_JSON},
    {"\"signature\"", R_JSON},     {"\"access_key\"", R_JSON4},  {"\"access\"", R_JSON4},
    {"security_token=", R_VALUE},  {"secret_key=", R_VALUE},     {"signature=", R_VALUE},
    {"password=", R_VALUE},        {"token=", R_VALUE},          {"sk=", R_VALUE},
};

static int is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static int is_delim(char c)
{
	return c == '\0' || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' ||
	       isspace((unsigned char)c);
}

/* Length of the value starting at s up to a delimiter. */
static size_t value_len(const char *s)
{
	size_t n = 0;
	while (!is_delim(s[n]))
		n++;
	return n;
}

static size_t line_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != '\r' && s[n] != '\n')
		n++;
	return n;
}

/* Emit prefix-consumed text for rule `kind` starting at s (just after the matched prefix);
   returns how many bytes of s were consumed, appending the masked form to out. */
static size_t apply(hwims_buf *out, enum redact_kind kind, const char *s, int *oom)
{
	size_t i = 0, n;

	switch (kind) {
	case R_VALUE:
		n = value_len(s);
		if (n)
			*oom |= hwims_buf_puts(out, MASK);
		return n;
	case R_KEEP4:
		n = value_len(s);
		if (n > 4) {
			*oom |= hwims_buf_append(out, s, 4);
			*oom |= hwims_buf_puts(out, MASK);
		} else {
			*oom |= hwims_buf_append(out, s, n);
		}
		return n;
	case R_LINE:
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		*oom |= hwims_buf_append(out, s, i);
		n = line_len(s + i);
		if (n)
			*oom |= hwims_buf_puts(out, MASK);
		return i + n;
	case R_AUTH:
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		*oom |= hwims_buf_append(out, s, i);
		if (strncasecmp(s + i, "SDK-", 4) == 0)
			return i; /* Access= and Signature= rules mask the parts that matter */
		n = line_len(s + i);
		if (n)
			*oom |= hwims_buf_puts(out, MASK);
		return i + n;
	case R_JSON:
	case R_JSON4:
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != ':')
			return 0;
		i++;
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] != '"')
			return 0; /* null, a number, ...: nothing secret to hide */
		i++;
		*oom |= hwims_buf_append(out, s, i);
		n = 0;
		while (s[i + n] && s[i + n] != '"') {
			if (s[i + n] == '\\' && s[i + n + 1])
				n++;
			n++;
		}
		if (kind == R_JSON4 && n > 4) {
			*oom |= hwims_buf_append(out, s + i, 4);
			*oom |= hwims_buf_puts(out, MASK);
		} else if (kind == R_JSON4) {
			*oom |= hwims_buf_append(out, s + i, n);
		} else if (n) {
			*oom |= hwims_buf_puts(out, MASK);
		}
		return i + n;
	}
	return 0;
}

char *hwims_redact(const char *text)
{
	hwims_buf out = HWIMS_BUF_INIT;
	int oom = 0;

	if (!text)
		return NULL;
	for (size_t pos = 0; text[pos];) {
		size_t matched = 0;
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			const char *p = rules[r].prefix;
			size_t plen = strlen(p);
			if (strncasecmp(text + pos, p, plen) != 0)
				continue;
			/* Unquoted names must start a word: "token=" must not fire inside
			 * "mytoken=". */
			if (p[0] != '"' && pos > 0 && is_word(text[pos - 1]))
				continue;
			oom |= hwims_buf_append(&out, text + pos, plen);
			matched = plen + apply(&out, rules[r].kind, text + pos + plen, &oom);
			break;
		}
		if (!matched) {
			oom |= hwims_buf_append(&out, text + pos, 1);
			matched = 1;
		}
		pos += matched;
	}
	if (oom) {
		hwims_buf_free(&out);
		return NULL;
	}
	return hwims_buf_detach(&out);
}
