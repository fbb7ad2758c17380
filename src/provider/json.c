/* json.c - cty JSON codec (go-cty cty/json rules; see prov_value.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

/* ---- decoding ---------------------------------------------------------------------------- */

static prov_value *jfail(const char *where, hwims_error *err, const char *what)
{
	hwims_error_set(err, HWIMS_ERR_INVALID, "JSON value%s%s: %s", *where ? " at " : "", where,
	                what);
	return NULL;
}

/* A JSON number as a cty number. jansson hands reals over as doubles; the shortest text that
   reads back as that double is what the JSON most likely said, and parsing that text gives
   the same decimal number go-cty would hold (e.g. 0.1 stays the decimal 0.1). */
static int number_of(json_t *j, prov_number *out)
{
	if (json_is_integer(j)) {
		memset(out, 0, sizeof(*out));
		out->kind = PROV_NUM_INT;
		out->i = (int64_t)json_integer_value(j);
		return 0;
	}
	prov_number f = {.kind = PROV_NUM_FLOAT, .f = json_real_value(j)};
	char *text = prov_number_text(&f);
	if (!text)
		return -1;
	int rc = prov_number_parse(text, strlen(text), out);
	free(text);
	return rc;
}

static prov_value *jdecode(const prov_type *t, json_t *j, char *where, size_t wcap,
                           hwims_error *err);

static prov_value *jdecode_child(const prov_type *t, json_t *j, char *where, size_t wcap,
                                 const char *fmt, const char *key, size_t idx, hwims_error *err)
{
	size_t old = strlen(where);
	if (key)
		snprintf(where + old, wcap - old, fmt, key);
	else
		snprintf(where + old, wcap - old, fmt, idx);
	prov_value *v = jdecode(t, j, where, wcap, err);
	where[old] = '\0';
	return v;
}

/* Under the dynamic pseudo-type: {"value":...,"type":...}, decoded against that type. */
static prov_value *jdecode_dynamic(json_t *j, char *where, size_t wcap, hwims_error *err)
{
	json_t *tj = json_object_get(j, "type"), *vj = json_object_get(j, "value");
	if (!json_is_object(j) || !tj || !vj || json_object_size(j) != 2)
		return jfail(where, err, "a dynamic value must be {\"value\":...,\"type\":...}");
	char *ttext = json_dumps(tj, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!ttext)
		return prov_value_oom(err);
	prov_type *vt;
	hwims_error terr;
	int rc = prov_type_from_json(ttext, strlen(ttext), &vt, &terr);
	free(ttext);
	if (rc != 0)
		return jfail(where, err, terr.message);
	prov_value *v = jdecode(vt, vj, where, wcap, err);
	prov_type_unref(vt);
	return v;
}

/* A string; as go-cty, a bool or a number converts to its text. */
static prov_value *jdecode_string(json_t *j, const char *where, hwims_error *err)
{
	if (json_is_string(j))
		return prov_value_or_oom(
		    prov_value_string_len(json_string_value(j), json_string_length(j)), err);
	if (json_is_boolean(j))
		return prov_value_or_oom(prov_value_string(json_is_true(j) ? "true" : "false"),
		                         err);
	if (!json_is_number(j))
		return jfail(where, err, "a string is required");
	prov_number n;
	if (number_of(j, &n) != 0)
		return prov_value_oom(err);
	char *text = prov_number_text(&n);
	free(n.text);
	prov_value *v = text ? prov_value_string(text) : NULL;
	free(text);
	return prov_value_or_oom(v, err);
}

/* A number, or a string holding one. */
static prov_value *jdecode_number(json_t *j, const char *where, hwims_error *err)
{
	prov_number n;
	if (json_is_number(j)) {
		if (number_of(j, &n) != 0)
			return prov_value_oom(err);
	} else if (json_is_string(j)) {
		if (prov_number_parse(json_string_value(j), json_string_length(j), &n) != 0)
			return jfail(where, err, "a number is required");
	} else {
		return jfail(where, err, "a number is required");
	}
	return prov_value_or_oom(prov_value_number(&n), err);
}

/* A bool, or the string "true" / "false". */
static prov_value *jdecode_bool(json_t *j, const char *where, hwims_error *err)
{
	if (json_is_boolean(j))
		return prov_value_or_oom(prov_value_bool(json_is_true(j)), err);
	if (json_is_string(j) && strcmp(json_string_value(j), "true") == 0)
		return prov_value_or_oom(prov_value_bool(1), err);
	if (json_is_string(j) && strcmp(json_string_value(j), "false") == 0)
		return prov_value_or_oom(prov_value_bool(0), err);
	return jfail(where, err, "a bool is required");
}

/* A list, set (duplicates dropped) or tuple, from an array. */
static prov_value *jdecode_items(const prov_type *t, json_t *j, char *where, size_t wcap,
                                 hwims_error *err)
{
	if (!json_is_array(j))
		return jfail(where, err, "an array is required");
	if (t->kind == PROV_T_TUPLE && json_array_size(j) != t->n)
		return jfail(where, err, "wrong number of tuple elements");
	prov_value *v = prov_value_collection((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	for (size_t i = 0; i < json_array_size(j); i++) {
		const prov_type *et = t->kind == PROV_T_TUPLE ? t->types[i] : t->elem;
		prov_value *e =
		    jdecode_child(et, json_array_get(j, i), where, wcap, "[%zu]", NULL, i, err);
		int dup = 0;
		for (size_t k = 0; e && t->kind == PROV_T_SET && k < v->u.coll.n; k++)
			dup |= prov_value_equal(v->u.coll.items[k], e);
		if (e && dup) {
			prov_value_free(e);
			continue;
		}
		if (!e || prov_value_append(v, e) != 0) {
			prov_value_free(v);
			return e ? prov_value_oom(err) : NULL;
		}
	}
	return v;
}

static prov_value *jdecode_map(const prov_type *t, json_t *j, char *where, size_t wcap,
                               hwims_error *err)
{
	if (!json_is_object(j))
		return jfail(where, err, "an object is required for a map");
	prov_value *v = prov_value_collection((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	const char *key;
	json_t *val;
	json_object_foreach(j, key, val)
	{
		prov_value *e =
		    jdecode_child(t->elem, val, where, wcap, "[\"%.64s\"]", key, 0, err);
		if (!e || prov_value_map_put(v, key, e) != 0) {
			prov_value_free(v);
			return e ? prov_value_oom(err) : NULL;
		}
	}
	return v;
}

/* An object: every key must be an attribute; missing attributes are null. */
static prov_value *jdecode_object(const prov_type *t, json_t *j, char *where, size_t wcap,
                                  hwims_error *err)
{
	if (!json_is_object(j))
		return jfail(where, err, "an object is required");
	const char *key;
	json_t *val;
	json_object_foreach(j, key, val)
	{
		if (prov_type_attr_index(t, key) < 0) {
			char what[160];
			snprintf(what, sizeof(what), "unsupported attribute \"%.100s\"", key);
			return jfail(where, err, what);
		}
	}
	prov_value *v = prov_value_object((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	for (size_t i = 0; i < t->n; i++) {
		json_t *aj = json_object_get(j, t->names[i]);
		if (!aj)
			continue;
		prov_value *e =
		    jdecode_child(t->types[i], aj, where, wcap, ".%s", t->names[i], 0, err);
		if (!e) {
			prov_value_free(v);
			return NULL;
		}
		prov_value_free(v->u.coll.items[i]);
		v->u.coll.items[i] = e;
	}
	return v;
}

static prov_value *jdecode(const prov_type *t, json_t *j, char *where, size_t wcap,
                           hwims_error *err)
{
	if (json_is_null(j))
		return prov_value_or_oom(prov_value_null((prov_type *)t), err);
	switch (t->kind) {
	case PROV_T_DYNAMIC:
		return jdecode_dynamic(j, where, wcap, err);
	case PROV_T_STRING:
		return jdecode_string(j, where, err);
	case PROV_T_NUMBER:
		return jdecode_number(j, where, err);
	case PROV_T_BOOL:
		return jdecode_bool(j, where, err);
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_TUPLE:
		return jdecode_items(t, j, where, wcap, err);
	case PROV_T_MAP:
		return jdecode_map(t, j, where, wcap, err);
	case PROV_T_OBJECT:
		return jdecode_object(t, j, where, wcap, err);
	}
	return jfail(where, err, "unsupported type");
}

char *prov_json_quote_numbers(const char *json, size_t len, size_t *out_len)
{
	hwims_buf b = HWIMS_BUF_INIT;
	size_t i = 0;
	int rc = 0;
	while (i < len && rc == 0) {
		char c = json[i];
		if (c == '"') {
			size_t start = i++;
			while (i < len && json[i] != '"')
				i += (json[i] == '\\' && i + 1 < len) ? 2 : 1;
			i = i < len ? i + 1 : len;
			rc = hwims_buf_append(&b, json + start, i - start);
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t start = i;
			while (i < len && strchr("0123456789+-.eE", json[i]) && json[i] != '\0')
				i++;
			rc = hwims_buf_puts(&b, "\"") ||
			     hwims_buf_append(&b, json + start, i - start) ||
			     hwims_buf_puts(&b, "\"");
		} else {
			size_t start = i;
			while (i < len && json[i] != '"' && json[i] != '-' &&
			       !(json[i] >= '0' && json[i] <= '9'))
				i++;
			rc = hwims_buf_append(&b, json + start, i - start);
		}
	}
	if (rc != 0 || hwims_buf_append(&b, "", 0) != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	*out_len = b.len;
	return hwims_buf_detach(&b);
}

int prov_value_from_json(const prov_type *t, const char *json, size_t len, prov_value **out,
                         hwims_error *err)
{
	*out = NULL;
	json_error_t jerr;
	/* jansson turns numbers into int64 or double, which loses digits (or fails) where go-cty
	   keeps them exactly; handed over as strings, they reach prov_number_parse as written. */
	size_t qlen = 0;
	char *quoted = prov_json_quote_numbers(json, len, &qlen);
	if (!quoted)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	json_t *j = json_loadb(quoted, qlen, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	free(quoted);
	if (!j)
		return hwims_error_set(err, HWIMS_ERR_INVALID, "invalid JSON: %s (line %d)",
		                       jerr.text, jerr.line);
	char where[256] = "";
	*out = jdecode(t, j, where, sizeof(where), err);
	json_decref(j);
	return *out ? 0 : -1;
}

/* ---- encoding ---------------------------------------------------------------------------- */

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, min = 0x80, *cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, min = 0x800, *cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, *cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Go's encoding/json string form: HTML-safe escapes for < > &, \u2028/\u2029, invalid UTF-8
   replaced by U+FFFD. */
static int put_string(hwims_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (hwims_buf_puts(b, "\"") != 0)
		return -1;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t l = utf8_len(p + i, n - i, &cp);
		int rc;
		if (l == 0) {
			rc = hwims_buf_puts(b, "\\ufffd");
			l = 1;
		} else if (cp == '"') {
			rc = hwims_buf_puts(b, "\\\"");
		} else if (cp == '\\') {
			rc = hwims_buf_puts(b, "\\\\");
		} else if (cp == '\n') {
			rc = hwims_buf_puts(b, "\\n");
		} else if (cp == '\r') {
			rc = hwims_buf_puts(b, "\\r");
		} else if (cp == '\t') {
			rc = hwims_buf_puts(b, "\\t");
		} else if (cp == '\b') {
			rc = hwims_buf_puts(b, "\\b");
		} else if (cp == '\f') {
			rc = hwims_buf_puts(b, "\\f");
		} else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 ||
		           cp == 0x2029) {
			rc = hwims_buf_printf(b, "\\u%04x", cp);
		} else {
			rc = hwims_buf_append(b, p + i, l);
		}
		if (rc != 0)
			return -1;
		i += l;
	}
	return hwims_buf_puts(b, "\"");
}

static int jencode(hwims_buf *b, const prov_value *v, const prov_type *t, hwims_error *err)
{
	/* As go-cty: under a dynamic type, a value that has a type (typed nulls included) is
	   written with it; only a null of unknown type is a bare null. */
	if (t->kind == PROV_T_DYNAMIC && v->type->kind != PROV_T_DYNAMIC &&
	    v->state != PROV_UNKNOWN) {
		if (hwims_buf_puts(b, "{\"value\":") != 0 || jencode(b, v, v->type, err) != 0 ||
		    hwims_buf_puts(b, ",\"type\":") != 0 || prov_type_to_json(v->type, b) != 0)
			return -1;
		return hwims_buf_puts(b, "}");
	}
	if (v->state == PROV_NULL)
		return hwims_buf_puts(b, "null");
	if (v->state == PROV_UNKNOWN)
		return hwims_error_set(err, HWIMS_ERR_INVALID,
		                       "JSON cannot represent unknown values");
	if (t->kind == PROV_T_DYNAMIC)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "known value of no type");
	switch (t->kind) {
	case PROV_T_STRING:
		return put_string(b, v->u.str.ptr, v->u.str.len);
	case PROV_T_NUMBER: {
		if (v->u.num.kind == PROV_NUM_FLOAT && !isfinite(v->u.num.f))
			return hwims_error_set(err, HWIMS_ERR_INVALID,
			                       "JSON cannot represent infinity");
		char *text = prov_number_text(&v->u.num);
		int rc = text ? hwims_buf_puts(b, text) : -1;
		free(text);
		return rc;
	}
	case PROV_T_BOOL:
		return hwims_buf_puts(b, v->u.b ? "true" : "false");
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_TUPLE:
		if (hwims_buf_puts(b, "[") != 0)
			return -1;
		for (size_t i = 0; i < v->u.coll.n; i++) {
			const prov_type *et = t->kind == PROV_T_TUPLE ? t->types[i] : t->elem;
			if ((i && hwims_buf_puts(b, ",") != 0) ||
			    jencode(b, v->u.coll.items[i], et, err) != 0)
				return -1;
		}
		return hwims_buf_puts(b, "]");
	case PROV_T_MAP:
	case PROV_T_OBJECT:
		if (hwims_buf_puts(b, "{") != 0)
			return -1;
		for (size_t i = 0; i < v->u.coll.n; i++) {
			const char *k = t->kind == PROV_T_MAP ? v->u.coll.keys[i] : t->names[i];
			const prov_type *et = t->kind == PROV_T_MAP ? t->elem : t->types[i];
			if ((i && hwims_buf_puts(b, ",") != 0) ||
			    put_string(b, k, strlen(k)) != 0 || hwims_buf_puts(b, ":") != 0 ||
			    jencode(b, v->u.coll.items[i], et, err) != 0)
				return -1;
		}
		return hwims_buf_puts(b, "}");
	case PROV_T_DYNAMIC:
		break;
	}
	return -1;
}

int prov_value_to_json(const prov_value *v, const prov_type *t, hwims_buf *b, hwims_error *err)
{
	hwims_error_clear(err);
	if (jencode(b, v, t, err) != 0) {
		if (err && err->kind == HWIMS_ERR_NONE)
			hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return -1;
	}
	return 0;
}
