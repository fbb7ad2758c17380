/* duration.c - Go-style duration parsing and formatting (see include/hwims/duration.h). */
#include "hwims/duration.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 micro sign */
    {"\xce\xbcs", 1000}, /* U+03BC Greek mu */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", UINT64_C(60) * 1000000000},
    {"h", UINT64_C(3600) * 1000000000},
};

/* Largest magnitude: 2^63 is allowed only for negative durations (INT64_MIN). */
#define DUR_LIMIT (UINT64_C(1) << 63)

static int bad(hwims_error *err, const char *text, const char *why)
{
	return hwims_error_set(
	    err, HWIMS_ERR_USAGE,
	    "invalid duration \"%s\": %s (examples: \"60m\", \"1h30m\", \"90s\", "
	    "\"500ms\")",
	    text, why);
}

int hwims_duration_parse(const char *text, int64_t *ns_out, hwims_error *err)
{
	const char *s = text;
	uint64_t total = 0;
	int neg = 0;

	if (!text)
		return bad(err, "", "empty");
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*ns_out = 0;
		return 0;
	}
	if (*s == '\0')
		return bad(err, text, "empty");
	while (*s) {
		uint64_t whole = 0, frac = 0;
		double scale = 1;
		int digits = 0, overflow = 0;

		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return bad(err, text, "expected a number");
		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			if (whole > (UINT64_MAX - 9) / 10)
				overflow = 1;
			whole = whole * 10 + (uint64_t)(*s - '0');
		}
		if (overflow || whole > DUR_LIMIT)
			return bad(err, text, "out of range");
		if (*s == '.') {
			s++;
			for (; *s >= '0' && *s <= '9'; s++, digits++) {
				/* Digits beyond what fits are below a nanosecond: ignore them. */
				if (frac <= (UINT64_MAX - 9) / 10 && scale < 1e18) {
					frac = frac * 10 + (uint64_t)(*s - '0');
					scale *= 10;
				}
			}
		}
		if (digits == 0)
			return bad(err, text, "expected digits");
		size_t ulen = 0;
		while (s[ulen] && s[ulen] != '.' && !(s[ulen] >= '0' && s[ulen] <= '9'))
			ulen++;
		if (ulen == 0)
			return bad(err, text, "missing unit (one of ns, us, ms, s, m, h)");
		uint64_t unit = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strlen(units[i].name) == ulen && strncmp(units[i].name, s, ulen) == 0)
				unit = units[i].ns;
		}
		if (unit == 0)
			return bad(err, text, "unknown unit (use ns, us, ms, s, m or h)");
		s += ulen;
		if (whole > DUR_LIMIT / unit)
			return bad(err, text, "out of range");
		uint64_t v = whole * unit;
		if (frac > 0) {
			/* Like Go: the fraction is scaled in floating point, then truncated. */
			v += (uint64_t)((double)frac * ((double)unit / scale));
			if (v > DUR_LIMIT)
				return bad(err, text, "out of range");
		}
		if (v > DUR_LIMIT - total)
			return bad(err, text, "out of range");
		total += v;
	}
	if (!neg && total > (uint64_t)INT64_MAX)
		return bad(err, text, "out of range");
	*ns_out = neg ? (int64_t)(0 - total) : (int64_t)total;
	return 0;
}

/* Write v's fraction with prec digits (trailing zeros dropped) right-aligned ending at *pos;
   returns v divided by 10^prec. */
static uint64_t put_frac(char *out, size_t *pos, uint64_t v, int prec)
{
	int print = 0;

	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(v % 10);
		print = print || digit != 0;
		if (print)
			out[--*pos] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		out[--*pos] = '.';
	return v;
}

static void put_int(char *out, size_t *pos, uint64_t v)
{
	do {
		out[--*pos] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
}

void hwims_duration_format(int64_t ns, char *buf, size_t buflen)
{
	char out[40];
	size_t pos = sizeof(out) - 1;
	int neg = ns < 0;
	uint64_t u = neg ? 0 - (uint64_t)ns : (uint64_t)ns;

	if (!buf || buflen == 0)
		return;
	out[pos] = '\0';
	if (u < 1000000000) {
		/* Below a second Go switches to the smallest unit that keeps a leading digit. */
		int prec = 0;
		const char *unit;
		if (u == 0) {
			snprintf(buf, buflen, "0s");
			return;
		} else if (u < 1000) {
			unit = "ns";
		} else if (u < 1000000) {
			prec = 3;
			unit = "\xc2\xb5s";
		} else {
			prec = 6;
			unit = "ms";
		}
		size_t ul = strlen(unit);
		pos -= ul;
		memcpy(out + pos, unit, ul);
		u = put_frac(out, &pos, u, prec);
		put_int(out, &pos, u);
	} else {
		out[--pos] = 's';
		u = put_frac(out, &pos, u, 9);
		put_int(out, &pos, u % 60);
		u /= 60;
		if (u > 0) {
			out[--pos] = 'm';
			put_int(out, &pos, u % 60);
			u /= 60;
			if (u > 0) {
				out[--pos] = 'h';
				put_int(out, &pos, u);
			}
		}
	}
	if (neg)
		out[--pos] = '-';
	snprintf(buf, buflen, "%s", out + pos);
}
