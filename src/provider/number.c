/* number.c - cty numbers: parsing, canonical text, comparison (see prov_value.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

/* Longest canonical text we produce: plenty for any float64 in plain notation (~1100 chars)
   and a guard against "1e999999999" from untrusted input. */
#define PROV_NUMBER_MAX_TEXT 4096

/* Canonical plain decimal of digits (no sign, no point) * 10^exp, with sign. NULL if too long
   or out of memory. */
static char *canonical(int negative, const char *digits, size_t nd, long exp)
{
	while (nd > 0 && *digits == '0') {
		digits++;
		nd--;
	}
	while (nd > 0 && digits[nd - 1] == '0') {
		nd--;
		exp++;
	}
	if (nd == 0)
		return strdup("0");
	long pos = (long)nd + exp; /* digits before the point */
	long total = 2 + (long)nd + (exp > 0 ? exp : 0) + (pos <= 0 ? 1 - pos : 0) + 1;
	if (total > PROV_NUMBER_MAX_TEXT || exp > PROV_NUMBER_MAX_TEXT ||
	    exp < -PROV_NUMBER_MAX_TEXT)
		return NULL;
	char *out = malloc((size_t)total + 1);
	if (!out)
		return NULL;
	char *p = out;
	if (negative)
		*p++ = '-';
	if (exp >= 0) {
		memcpy(p, digits, nd);
		p += nd;
		memset(p, '0', (size_t)exp);
		p += exp;
	} else if (pos <= 0) {
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', (size_t)-pos);
		p += -pos;
		memcpy(p, digits, nd);
		p += nd;
	} else {
		memcpy(p, digits, (size_t)pos);
		p += pos;
		*p++ = '.';
		memcpy(p, digits + pos, nd - (size_t)pos);
		p += nd - (size_t)pos;
	}
	*p = '\0';
	return out;
}

/* Parse into canonical text; NULL if not a number. */
static char *parse_canonical(const char *s, size_t len)
{
	size_t i = 0;
	int negative = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		negative = s[i++] == '-';
	char *digits = malloc(len + 1);
	if (!digits)
		return NULL;
	size_t nd = 0;
	long exp = 0;
	int any = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		digits[nd++] = s[i++];
		any = 1;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			digits[nd++] = s[i++];
			exp--;
			any = 1;
		}
	}
	if (!any) {
		free(digits);
		return NULL;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		long e = 0;
		int edigits = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (e < 100000000L)
				e = e * 10 + (s[i] - '0');
			i++;
			edigits = 1;
		}
		if (!edigits) {
			free(digits);
			return NULL;
		}
		exp += eneg ? -e : e;
	}
	if (i != len) {
		free(digits);
		return NULL;
	}
	char *out = canonical(negative, digits, nd, exp);
	free(digits);
	if (out && strcmp(out, "-0") == 0)
		out[0] = '0', out[1] = '\0';
	return out;
}

/* The int64 value of canonical text, if it is an integer in range. */
static int text_int64(const char *text, int64_t *out)
{
	if (strchr(text, '.'))
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int prov_number_parse(const char *text, size_t len, prov_number *out)
{
	memset(out, 0, sizeof(*out));
	char *canon = parse_canonical(text, len);
	if (!canon)
		return -1;
	int64_t i;
	if (text_int64(canon, &i) == 0) {
		free(canon);
		out->kind = PROV_NUM_INT;
		out->i = i;
		return 0;
	}
	out->kind = PROV_NUM_DECIMAL;
	out->text = canon;
	return 0;
}

/* Shortest decimal that reads back as f (what Go's big.Float.Text('f', -1) prints for a
   53-bit float), in canonical plain form. */
static char *float_text(double f)
{
	if (isinf(f))
		return strdup(f > 0 ? "+Inf" : "-Inf");
	if (isnan(f))
		return strdup("NaN");
	char buf[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	return parse_canonical(buf, strlen(buf));
}

char *prov_number_text(const prov_number *n)
{
	char buf[32];
	switch (n->kind) {
	case PROV_NUM_INT:
		snprintf(buf, sizeof(buf), "%" PRId64, n->i);
		return strdup(buf);
	case PROV_NUM_FLOAT:
		return float_text(n->f);
	case PROV_NUM_DECIMAL:
		return strdup(n->text);
	}
	return NULL;
}

/* The exact decimal value (a double's full binary expansion, not its shortest spelling), so
   that equality means the same number as go-cty's big.Float comparison. */
static char *exact_text(const prov_number *n)
{
	if (n->kind != PROV_NUM_FLOAT || !isfinite(n->f))
		return prov_number_text(n);
	char buf[1200];
	snprintf(buf, sizeof(buf), "%.1100f", n->f);
	return parse_canonical(buf, strlen(buf));
}

int prov_number_equal(const prov_number *a, const prov_number *b)
{
	if (a->kind == PROV_NUM_INT && b->kind == PROV_NUM_INT)
		return a->i == b->i;
	char *ta = exact_text(a);
	char *tb = exact_text(b);
	int eq = ta && tb && strcmp(ta, tb) == 0;
	free(ta);
	free(tb);
	return eq;
}

int prov_number_int64(const prov_number *n, int64_t *out)
{
	switch (n->kind) {
	case PROV_NUM_INT:
		*out = n->i;
		return 0;
	case PROV_NUM_FLOAT:
		if (!isfinite(n->f) || n->f != floor(n->f) || n->f < -9223372036854775808.0 ||
		    n->f >= 9223372036854775808.0)
			return -1;
		*out = (int64_t)n->f;
		return 0;
	case PROV_NUM_DECIMAL:
		return text_int64(n->text, out);
	}
	return -1;
}
