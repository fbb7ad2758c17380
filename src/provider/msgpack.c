/* msgpack.c - cty msgpack codec (go-cty cty/msgpack rules; see prov_value.h). */
#include <inttypes.h>
#include <math.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

/* go-cty: refined unknowns carry at most 1024 bytes of refinement payload. */
#define PROV_REFINEMENT_MAX 1024
/* cty's extension type for refined unknowns. */
#define PROV_EXT_REFINED 12

/* ---- decoding ---------------------------------------------------------------------------- */

typedef struct path {
	char text[256];
	size_t len;
} path;

static size_t path_push(path *p, const char *fmt, const char *s, size_t slen, long idx)
{
	size_t old = p->len;
	int n;
	if (s)
		n = snprintf(p->text + p->len, sizeof(p->text) - p->len, fmt, (int)slen, s);
	else
		n = snprintf(p->text + p->len, sizeof(p->text) - p->len, fmt, idx);
	if (n > 0)
		p->len +=
		    (size_t)n < sizeof(p->text) - p->len ? (size_t)n : sizeof(p->text) - p->len - 1;
	return old;
}

static void path_pop(path *p, size_t old)
{
	p->len = old;
	p->text[old] = '\0';
}

static prov_value *fail(path *p, hwims_error *err, const char *what)
{
	hwims_error_set(err, HWIMS_ERR_INVALID, "msgpack value%s%s: %s", p->len ? " at " : "",
	                p->text, what);
	return NULL;
}

/* Refinement payload: a msgpack map with integer keys (go-cty ignores keys it does not know).
 */
static int sane_counts(const unsigned char *d, size_t len);

static int refinement_ok(const char *data, size_t len)
{
	if (!sane_counts((const unsigned char *)data, len))
		return 0;
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	int ok = msgpack_unpack_next(&u, data, len, &off) == MSGPACK_UNPACK_SUCCESS && off == len &&
	         u.data.type == MSGPACK_OBJECT_MAP;
	if (ok) {
		for (uint32_t i = 0; i < u.data.via.map.size; i++) {
			msgpack_object_type kt = u.data.via.map.ptr[i].key.type;
			if (kt != MSGPACK_OBJECT_POSITIVE_INTEGER &&
			    kt != MSGPACK_OBJECT_NEGATIVE_INTEGER)
				ok = 0;
		}
	}
	msgpack_unpacked_destroy(&u);
	return ok;
}

static prov_value *decode(const prov_type *t, const msgpack_object *o, path *p, hwims_error *err);

static prov_value *decode_unknown(const prov_type *t, const msgpack_object *o, path *p,
                                  hwims_error *err)
{
	const msgpack_object_ext *ext = &o->via.ext;
	if (ext->size <= 1)
		return prov_value_or_oom(prov_value_unknown((prov_type *)t), err);
	if (ext->type != PROV_EXT_REFINED)
		return fail(p, err, "unsupported msgpack extension type");
	if (ext->size > PROV_REFINEMENT_MAX)
		return fail(p, err, "unknown value refinements are too long");
	if (!refinement_ok(ext->ptr, ext->size))
		return fail(p, err, "invalid unknown value refinements");
	prov_value *v = prov_value_unknown((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	v->refinement = malloc(ext->size);
	if (!v->refinement) {
		prov_value_free(v);
		return prov_value_oom(err);
	}
	memcpy(v->refinement, ext->ptr, ext->size);
	v->refinement_len = ext->size;
	return v;
}

static prov_value *decode_number(const msgpack_object *o, path *p, hwims_error *err)
{
	prov_number n = {0};
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 <= INT64_MAX) {
			n.kind = PROV_NUM_INT;
			n.i = (int64_t)o->via.u64;
		} else {
			char buf[32];
			snprintf(buf, sizeof(buf), "%" PRIu64, o->via.u64);
			if (prov_number_parse(buf, strlen(buf), &n) != 0)
				return prov_value_oom(err);
		}
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		n.kind = PROV_NUM_INT;
		n.i = o->via.i64;
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (isnan(o->via.f64))
			return fail(p, err, "NaN is not a number");
		n.kind = PROV_NUM_FLOAT;
		n.f = o->via.f64;
		break;
	case MSGPACK_OBJECT_STR:
		if (prov_number_parse(o->via.str.ptr, o->via.str.size, &n) != 0)
			return fail(p, err, "a number is required (invalid number string)");
		break;
	default:
		return fail(p, err, "a number is required");
	}
	return prov_value_or_oom(prov_value_number(&n), err);
}

/* Append, dropping duplicates for sets. */
static int add_element(prov_value *coll, prov_value *elem, int is_set)
{
	if (is_set) {
		for (size_t i = 0; i < coll->u.coll.n; i++) {
			if (prov_value_equal(coll->u.coll.items[i], elem) &&
			    elem->state == PROV_KNOWN) {
				prov_value_free(elem);
				return 0;
			}
		}
	}
	return prov_value_append(coll, elem);
}

static prov_value *decode_array(const prov_type *t, const msgpack_object *o, path *p,
                                hwims_error *err)
{
	if (o->type != MSGPACK_OBJECT_ARRAY)
		return fail(p, err,
		            t->kind == PROV_T_TUPLE ? "a tuple is required"
		                                    : "a list or set is required");
	const msgpack_object_array *a = &o->via.array;
	if (t->kind == PROV_T_TUPLE && a->size != t->n)
		return fail(p, err, "wrong number of tuple elements");
	prov_value *v = prov_value_collection((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	for (uint32_t i = 0; i < a->size; i++) {
		size_t old = path_push(p, "[%ld]", NULL, 0, (long)i);
		const prov_type *et = t->kind == PROV_T_TUPLE ? t->types[i] : t->elem;
		prov_value *e = decode(et, &a->ptr[i], p, err);
		path_pop(p, old);
		if (!e || add_element(v, e, t->kind == PROV_T_SET) != 0) {
			prov_value_free(v);
			return e ? prov_value_oom(err) : NULL;
		}
	}
	return v;
}

static int key_of(const msgpack_object *k, const char **s, size_t *len)
{
	if (k->type == MSGPACK_OBJECT_STR) {
		*s = k->via.str.ptr;
		*len = k->via.str.size;
	} else if (k->type == MSGPACK_OBJECT_BIN) {
		*s = k->via.bin.ptr;
		*len = k->via.bin.size;
	} else {
		return -1;
	}
	if (!*s)
		*s = ""; /* msgpack-c hands over NULL for empty keys */
	return memchr(*s, '\0', *len) ? -1 : 0;
}

static prov_value *decode_map(const prov_type *t, const msgpack_object *o, path *p,
                              hwims_error *err)
{
	if (o->type != MSGPACK_OBJECT_MAP)
		return fail(p, err, "a map is required");
	prov_value *v = prov_value_collection((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const char *ks;
		size_t klen;
		if (key_of(&o->via.map.ptr[i].key, &ks, &klen) != 0) {
			prov_value_free(v);
			return fail(p, err, "map keys must be strings");
		}
		/* not strndup: the key is not NUL-terminated inside the message */
		char *key = malloc(klen + 1);
		if (key) {
			memcpy(key, ks, klen);
			key[klen] = '\0';
		}
		if (!key) {
			prov_value_free(v);
			return prov_value_oom(err);
		}
		size_t old = path_push(p, "[\"%.*s\"]", ks, klen > 64 ? 64 : klen, 0);
		prov_value *e = decode(t->elem, &o->via.map.ptr[i].val, p, err);
		path_pop(p, old);
		if (!e || prov_value_map_put(v, key, e) != 0) {
			free(key);
			prov_value_free(v);
			return e ? prov_value_oom(err) : NULL;
		}
		free(key);
	}
	return v;
}

static prov_value *decode_object(const prov_type *t, const msgpack_object *o, path *p,
                                 hwims_error *err)
{
	if (o->type != MSGPACK_OBJECT_MAP)
		return fail(p, err, "an object is required");
	if (o->via.map.size != t->n) {
		char what[96];
		snprintf(what, sizeof(what), "an object with %zu attributes is required (%u given)",
		         t->n, o->via.map.size);
		return fail(p, err, what);
	}
	prov_value *v = prov_value_collection((prov_type *)t);
	if (!v)
		return prov_value_oom(err);
	v->u.coll.items = calloc(t->n ? t->n : 1, sizeof(prov_value *));
	if (!v->u.coll.items) {
		prov_value_free(v);
		return prov_value_oom(err);
	}
	v->u.coll.n = t->n;
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const char *ks;
		size_t klen;
		char name[256];
		if (key_of(&o->via.map.ptr[i].key, &ks, &klen) != 0 || klen >= sizeof(name)) {
			prov_value_free(v);
			return fail(p, err, "object keys must be attribute names");
		}
		memcpy(name, ks, klen);
		name[klen] = '\0';
		int idx = prov_type_attr_index(t, name);
		if (idx < 0 || v->u.coll.items[idx]) {
			prov_value_free(v);
			char what[320];
			snprintf(what, sizeof(what), "%s attribute \"%s\"",
			         idx < 0 ? "unsupported" : "duplicate", name);
			return fail(p, err, what);
		}
		size_t old = path_push(p, ".%.*s", ks, klen, 0);
		prov_value *e = decode(t->types[idx], &o->via.map.ptr[i].val, p, err);
		path_pop(p, old);
		if (!e) {
			prov_value_free(v);
			return NULL;
		}
		v->u.coll.items[idx] = e;
	}
	return v;
}

static prov_value *decode_dynamic(const msgpack_object *o, path *p, hwims_error *err)
{
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 2)
		return fail(p, err, "a dynamic value must be a [type, value] pair");
	const msgpack_object *tj = &o->via.array.ptr[0];
	const char *text;
	size_t len;
	if (tj->type == MSGPACK_OBJECT_BIN) {
		text = tj->via.bin.ptr ? tj->via.bin.ptr : "";
		len = tj->via.bin.size;
	} else if (tj->type == MSGPACK_OBJECT_STR) {
		text = tj->via.str.ptr ? tj->via.str.ptr : "";
		len = tj->via.str.size;
	} else {
		return fail(p, err, "a dynamic value's type must be JSON bytes");
	}
	prov_type *t;
	hwims_error terr;
	if (prov_type_from_json(text, len, &t, &terr) != 0)
		return fail(p, err, terr.message);
	prov_value *v = decode(t, &o->via.array.ptr[1], p, err);
	prov_type_unref(t);
	return v;
}

static prov_value *decode(const prov_type *t, const msgpack_object *o, path *p, hwims_error *err)
{
	if (o->type == MSGPACK_OBJECT_NIL)
		return prov_value_or_oom(prov_value_null((prov_type *)t), err);
	if (o->type == MSGPACK_OBJECT_EXT)
		return decode_unknown(t, o, p, err);
	switch (t->kind) {
	case PROV_T_DYNAMIC:
		return decode_dynamic(o, p, err);
	case PROV_T_STRING:
		if (o->type == MSGPACK_OBJECT_STR)
			return prov_value_or_oom(
			    prov_value_string_len(o->via.str.ptr, o->via.str.size), err);
		if (o->type == MSGPACK_OBJECT_BIN)
			return prov_value_or_oom(
			    prov_value_string_len(o->via.bin.ptr, o->via.bin.size), err);
		return fail(p, err, "a string is required");
	case PROV_T_NUMBER:
		return decode_number(o, p, err);
	case PROV_T_BOOL:
		if (o->type != MSGPACK_OBJECT_BOOLEAN)
			return fail(p, err, "a bool is required");
		return prov_value_or_oom(prov_value_bool(o->via.boolean), err);
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_TUPLE:
		return decode_array(t, o, p, err);
	case PROV_T_MAP:
		return decode_map(t, o, p, err);
	case PROV_T_OBJECT:
		return decode_object(t, o, p, err);
	}
	return fail(p, err, "unsupported type");
}

/* The formats 0xc0..0xdf: how many bytes of length (or count) follow the first byte, how many
   fixed bytes follow those (an ext's type byte included), and what the length counts. */
enum { F_BYTES, F_ARRAY, F_MAP, F_BAD };
static const struct {
	unsigned char hdr, skip, what;
} formats[32] = {
    [0x01] = {0, 0, F_BAD}, /* 0xc1: never used; nil, false, true are all zero */
    [0x04] = {1, 0, F_BYTES}, [0x05] = {2, 0, F_BYTES},  [0x06] = {4, 0, F_BYTES}, /* bin */
    [0x07] = {1, 1, F_BYTES}, [0x08] = {2, 1, F_BYTES},  [0x09] = {4, 1, F_BYTES}, /* ext */
    [0x0a] = {0, 4, F_BYTES}, [0x0b] = {0, 8, F_BYTES}, /* float 32, 64 */
    [0x0c] = {0, 1, F_BYTES}, [0x0d] = {0, 2, F_BYTES}, /* uint 8, 16 */
    [0x0e] = {0, 4, F_BYTES}, [0x0f] = {0, 8, F_BYTES}, /* uint 32, 64 */
    [0x10] = {0, 1, F_BYTES}, [0x11] = {0, 2, F_BYTES}, /* int 8, 16 */
    [0x12] = {0, 4, F_BYTES}, [0x13] = {0, 8, F_BYTES}, /* int 32, 64 */
    [0x14] = {0, 2, F_BYTES}, [0x15] = {0, 3, F_BYTES},  [0x16] = {0, 5, F_BYTES},
    [0x17] = {0, 9, F_BYTES}, [0x18] = {0, 17, F_BYTES}, /* fixext 1..16: type + data */
    [0x19] = {1, 0, F_BYTES}, [0x1a] = {2, 0, F_BYTES},  [0x1b] = {4, 0, F_BYTES}, /* str */
    [0x1c] = {2, 0, F_ARRAY}, [0x1d] = {4, 0, F_ARRAY},  [0x1e] = {2, 0, F_MAP},
    [0x1f] = {4, 0, F_MAP},
};

/* Read the head of the item at d[*off] (off < len): *skip, the bytes of its body, and
 *children, the items nested in it. -1 for an invalid or truncated head. */
static int item_head(const unsigned char *d, size_t len, size_t *off, uint64_t *skip,
                     uint64_t *children)
{
	unsigned char c = d[(*off)++];
	*skip = 0;
	*children = 0;
	if (c <= 0x7f || c >= 0xe0)
		return 0; /* fixint */
	if (c <= 0x8f) {
		*children = 2u * (c & 0x0f); /* fixmap */
		return 0;
	}
	if (c <= 0x9f) {
		*children = c & 0x0f; /* fixarray */
		return 0;
	}
	if (c <= 0xbf) {
		*skip = c & 0x1f; /* fixstr */
		return 0;
	}
	unsigned hdr = formats[c - 0xc0].hdr, what = formats[c - 0xc0].what;
	if (what == F_BAD || len - *off < hdr)
		return -1;
	uint64_t n = 0;
	for (size_t i = 0; i < hdr; i++)
		n = (n << 8) | d[*off + i];
	*off += hdr;
	*skip = formats[c - 0xc0].skip;
	if (what == F_ARRAY)
		*children = n;
	else if (what == F_MAP)
		*children = 2 * n;
	else
		*skip += n;
	return 0;
}

/* msgpack-c allocates a container's element array from the declared count before it reads
   the elements, so a 5-byte header claiming 2^32 entries would ask for gigabytes. Walk the
   encoding first and refuse counts that the remaining bytes cannot possibly hold. */
static int sane_counts(const unsigned char *d, size_t len)
{
	size_t pending = 1, off = 0;
	while (pending > 0) {
		if (off >= len)
			return 0;
		pending--;
		uint64_t skip, children;
		if (item_head(d, len, &off, &skip, &children) != 0 || skip > len - off)
			return 0;
		off += skip;
		/* every element takes at least one byte */
		if (children > len - off)
			return 0;
		pending += children;
	}
	return off == len;
}

int prov_value_from_msgpack(const prov_type *t, const void *data, size_t len, prov_value **out,
                            hwims_error *err)
{
	*out = NULL;
	if (!sane_counts(data, len))
		return hwims_error_set(err, HWIMS_ERR_INVALID,
		                       "msgpack value is malformed or has trailing data");
	msgpack_unpacked u;
	msgpack_unpacked_init(&u);
	size_t off = 0;
	int rc = msgpack_unpack_next(&u, data, len, &off);
	if (rc != MSGPACK_UNPACK_SUCCESS || off != len) {
		msgpack_unpacked_destroy(&u);
		return hwims_error_set(err, HWIMS_ERR_INVALID, "msgpack value is malformed");
	}
	path p = {.len = 0};
	p.text[0] = '\0';
	*out = decode(t, &u.data, &p, err);
	msgpack_unpacked_destroy(&u);
	return *out ? 0 : -1;
}

/* ---- encoding ---------------------------------------------------------------------------- */

static int buf_write(void *data, const char *bytes, size_t len)
{
	return hwims_buf_append(data, bytes, len);
}

static int encode(msgpack_packer *pk, const prov_value *v, const prov_type *t, hwims_error *err);

/* go-cty: an integer within int64 -> int; else a float64 if exact; else the decimal text. */
static int encode_number(msgpack_packer *pk, const prov_number *n)
{
	int64_t i;
	if (prov_number_int64(n, &i) == 0)
		return msgpack_pack_int64(pk, i);
	if (n->kind == PROV_NUM_FLOAT)
		return msgpack_pack_double(pk, n->f);
	double d = strtod(n->text, NULL);
	if (isfinite(d)) {
		char exact[1200];
		snprintf(exact, sizeof(exact), "%.1100f", d);
		prov_number canon;
		if (prov_number_parse(exact, strlen(exact), &canon) == 0) {
			char *ct = prov_number_text(&canon);
			int same = ct && strcmp(ct, n->text) == 0;
			free(ct);
			free(canon.text);
			if (same)
				return msgpack_pack_double(pk, d);
		}
	}
	size_t len = strlen(n->text);
	return msgpack_pack_str(pk, len) || msgpack_pack_str_body(pk, n->text, len);
}

/* go-cty writes set elements in its canonical order; for primitive elements that is the
   natural order (strings bytewise, numbers numerically, false before true). */
static int elem_before(const prov_value *a, const prov_value *b)
{
	if (a->state != PROV_KNOWN || b->state != PROV_KNOWN)
		return a->state == PROV_KNOWN && b->state != PROV_KNOWN;
	switch (a->type->kind) {
	case PROV_T_STRING: {
		size_t m = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
		int c = memcmp(a->u.str.ptr, b->u.str.ptr, m);
		return c < 0 || (c == 0 && a->u.str.len < b->u.str.len);
	}
	case PROV_T_NUMBER: {
		char *ta = prov_number_text(&a->u.num), *tb = prov_number_text(&b->u.num);
		int lt = ta && tb && strtod(ta, NULL) < strtod(tb, NULL);
		free(ta);
		free(tb);
		return lt;
	}
	case PROV_T_BOOL:
		return a->u.b < b->u.b;
	default:
		return 0;
	}
}

static int encode_items(msgpack_packer *pk, const prov_value *v, const prov_type *t,
                        hwims_error *err)
{
	size_t n = v->u.coll.n;
	if (msgpack_pack_array(pk, n) != 0)
		return -1;
	size_t *order = malloc((n ? n : 1) * sizeof(size_t));
	if (!order)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		if (t->kind != PROV_T_SET)
			continue;
		for (size_t j = i;
		     j > 0 && elem_before(v->u.coll.items[order[j]], v->u.coll.items[order[j - 1]]);
		     j--) {
			size_t tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const prov_type *et = t->kind == PROV_T_TUPLE ? t->types[order[i]] : t->elem;
		rc = encode(pk, v->u.coll.items[order[i]], et, err);
	}
	free(order);
	return rc;
}

static int encode(msgpack_packer *pk, const prov_value *v, const prov_type *t, hwims_error *err)
{
	/* Under a dynamic type, only a null or unknown of unknown type goes bare; everything
	   with a type, typed nulls and unknowns included, gets the [type, value] wrapper. */
	if (t->kind == PROV_T_DYNAMIC && v->type->kind != PROV_T_DYNAMIC) {
		hwims_buf tj = HWIMS_BUF_INIT;
		if (prov_type_to_json(v->type, &tj) != 0) {
			hwims_buf_free(&tj);
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
		int rc = msgpack_pack_array(pk, 2) || msgpack_pack_bin(pk, tj.len) ||
		         msgpack_pack_bin_body(pk, tj.data, tj.len);
		hwims_buf_free(&tj);
		return rc ? -1 : encode(pk, v, v->type, err);
	}
	if (v->state == PROV_NULL)
		return msgpack_pack_nil(pk);
	if (v->state == PROV_UNKNOWN) {
		if (v->refinement)
			return msgpack_pack_ext(pk, v->refinement_len, PROV_EXT_REFINED) ||
			       msgpack_pack_ext_body(pk, v->refinement, v->refinement_len);
		static const unsigned char zero = 0;
		return msgpack_pack_ext(pk, 1, 0) || msgpack_pack_ext_body(pk, &zero, 1);
	}
	if (t->kind == PROV_T_DYNAMIC)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "known value of no type");
	if (!prov_type_equal(v->type, t) && v->type->kind != t->kind)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "value does not match its type");
	switch (t->kind) {
	case PROV_T_STRING:
		return msgpack_pack_str(pk, v->u.str.len) ||
		       msgpack_pack_str_body(pk, v->u.str.ptr, v->u.str.len);
	case PROV_T_NUMBER:
		return encode_number(pk, &v->u.num);
	case PROV_T_BOOL:
		return v->u.b ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_TUPLE:
		return encode_items(pk, v, t, err);
	case PROV_T_MAP:
		if (msgpack_pack_map(pk, v->u.coll.n) != 0)
			return -1;
		for (size_t i = 0; i < v->u.coll.n; i++) {
			size_t kl = strlen(v->u.coll.keys[i]);
			if (msgpack_pack_str(pk, kl) ||
			    msgpack_pack_str_body(pk, v->u.coll.keys[i], kl) ||
			    encode(pk, v->u.coll.items[i], t->elem, err))
				return -1;
		}
		return 0;
	case PROV_T_OBJECT:
		if (msgpack_pack_map(pk, t->n) != 0)
			return -1;
		for (size_t i = 0; i < t->n; i++) {
			size_t kl = strlen(t->names[i]);
			if (msgpack_pack_str(pk, kl) ||
			    msgpack_pack_str_body(pk, t->names[i], kl) ||
			    encode(pk, v->u.coll.items[i], t->types[i], err))
				return -1;
		}
		return 0;
	case PROV_T_DYNAMIC:
		break;
	}
	return -1;
}

int prov_value_to_msgpack(const prov_value *v, const prov_type *t, hwims_buf *b, hwims_error *err)
{
	msgpack_packer pk;
	msgpack_packer_init(&pk, b, buf_write);
	hwims_error_clear(err);
	if (encode(&pk, v, t, err) != 0) {
		if (err && err->kind == HWIMS_ERR_NONE)
			hwims_error_set(err, HWIMS_ERR_INTERNAL,
			                "cannot encode as msgpack: out of memory, or a type "
			                "msgpack cannot carry");
		return -1;
	}
	return 0;
}
