/*
 * prov_value.h - cty values as Terraform exchanges them with providers.
 *
 * Types (prov_type) and values (prov_value) follow go-cty: primitive string,
 * number and bool; list, set, map of one element type; object with named
 * attributes; tuple; and the dynamic pseudo-type. A value is known, null or
 * unknown; an unknown may carry refinements (go-cty >= 1.13), which are kept
 * as their raw msgpack payload so they round-trip unchanged.
 *
 * Codecs (prov_msgpack.c, prov_json.c) follow go-cty's cty/msgpack and cty/json
 * rules; the reference is docs in shared/reference section 6.
 *
 * Ownership: types are immutable and reference counted (prov_type_ref /
 * prov_type_unref; the primitive types are static). A value holds a reference
 * to its type and owns everything below it; free with prov_value_free.
 *
 * Threads: the schema's types are shared by every gRPC call, each on its own
 * thread, and every value decoded there takes and drops references on them, so
 * the count is atomic; nothing else in a type changes after it is built. A
 * value itself belongs to one thread at a time.
 */
#ifndef PROV_VALUE_H
#define PROV_VALUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "hwims/buf.h"
#include "hwims/error.h"

typedef enum prov_kind {
	PROV_T_DYNAMIC,
	PROV_T_STRING,
	PROV_T_NUMBER,
	PROV_T_BOOL,
	PROV_T_LIST,
	PROV_T_SET,
	PROV_T_MAP,
	PROV_T_OBJECT,
	PROV_T_TUPLE
} prov_kind;

typedef struct prov_type prov_type;
struct prov_type {
	prov_kind kind;
	atomic_int refs;   /* PROV_TYPE_STATIC: never counted, never freed */
	prov_type *elem;   /* list, set, map */
	size_t n;          /* object attributes, tuple elements */
	char **names;      /* object attribute names, sorted bytewise (Go string order) */
	prov_type **types; /* object attribute / tuple element types */
};

/* The reference count of the static primitive types below. */
#define PROV_TYPE_STATIC (-1)

extern prov_type prov_type_string, prov_type_number, prov_type_bool, prov_type_dynamic;

/* New collection type; takes over the caller's reference to elem. NULL on out of memory
   (elem is released). */
prov_type *prov_type_collection(prov_kind kind, prov_type *elem);
/* New object type from n names and types (any order; names copied, types' references taken
   over). NULL on out of memory or duplicate names (types released). */
prov_type *prov_type_object(size_t n, const char *const *names, prov_type **types);
/* New tuple type; takes over the references in types. */
prov_type *prov_type_tuple(size_t n, prov_type **types);
/* Take a reference on t (NULL and static types pass through); returns t. The caller must
   already hold a reference (or t is static). Thread-safe. */
prov_type *prov_type_ref(prov_type *t);
/* Drop a reference; the last one frees t and drops the references t holds. Safe on NULL and
   on static types. Thread-safe. */
void prov_type_unref(prov_type *t);
int prov_type_equal(const prov_type *a, const prov_type *b);
/* Index of an object attribute, or -1. */
int prov_type_attr_index(const prov_type *obj, const char *name);

/* Type constraint JSON as in Schema.Attribute.type: "string", ["list","string"],
   ["object",{"a":"number"}], ... Caller frees with prov_type_unref. */
int prov_type_from_json(const char *json, size_t len, prov_type **out, hwims_error *err);
/* Appends the compact JSON of t to b (keys sorted, like go-cty). Returns 0 / -1 (ENOMEM). */
int prov_type_to_json(const prov_type *t, hwims_buf *b);

/* ---- numbers ---------------------------------------------------------------------------- */

/*
 * A cty number. go-cty keeps numbers as big.Float; what matters on the wire is
 * (a) the exact decimal value and (b) whether it came from a float64 (53-bit
 * precision) or from decimal text (512-bit), because the msgpack encoder writes
 * a float64 only when the value is exactly representable at that precision.
 */
typedef struct prov_number {
	enum { PROV_NUM_INT, PROV_NUM_FLOAT, PROV_NUM_DECIMAL } kind;
	int64_t i;  /* PROV_NUM_INT */
	double f;   /* PROV_NUM_FLOAT (finite or +-Inf) */
	char *text; /* PROV_NUM_DECIMAL: canonical plain decimal ("-12.5", no exponent) */
} prov_number;

/* Parse a number literal (JSON/HCL syntax, exponent allowed) into a canonical number: an
   integer that fits int64 becomes INT, anything else DECIMAL. -1 if not a number. */
int prov_number_parse(const char *text, size_t len, prov_number *out);
/* Canonical plain decimal text of n (go-cty big.Float.Text('f', -1)); caller frees. */
char *prov_number_text(const prov_number *n);
/* 1 if a and b are the same number. */
int prov_number_equal(const prov_number *a, const prov_number *b);
/* 0 and *out when n is an integer within int64, else -1. */
int prov_number_int64(const prov_number *n, int64_t *out);

/* ---- values ----------------------------------------------------------------------------- */

typedef enum prov_state { PROV_KNOWN, PROV_NULL, PROV_UNKNOWN } prov_state;

typedef struct prov_value prov_value;
struct prov_value {
	prov_type *type; /* reference held; for a known value of dynamic type: its concrete type */
	prov_state state;
	unsigned char *refinement; /* UNKNOWN only: raw ext-12 payload, or NULL */
	size_t refinement_len;
	union {
		int b;
		struct {
			char *ptr; /* NUL-terminated; len excludes it (may contain NULs) */
			size_t len;
		} str;
		prov_number num;
		struct {
			size_t n;
			prov_value **items; /* list/set/tuple elements; map values; object attrs */
			char **keys;        /* map keys (sorted bytewise); NULL otherwise */
		} coll;
	} u;
};

prov_value *prov_value_null(prov_type *t);
prov_value *prov_value_unknown(prov_type *t);
prov_value *prov_value_string(const char *s);
prov_value *prov_value_string_len(const char *s, size_t len);
prov_value *prov_value_bool(int b);
prov_value *prov_value_int(int64_t i);
/* Takes over n (and its text). */
prov_value *prov_value_number(prov_number *n);
/* A known object of type t with every attribute null. */
prov_value *prov_value_object(prov_type *t);
/* A known empty list/set/map/tuple of type t. */
prov_value *prov_value_collection(prov_type *t);
void prov_value_free(prov_value *v);
prov_value *prov_value_clone(const prov_value *v);

/* Exact equality (state, refinements ignored, type, content; sets compared as sets). */
int prov_value_equal(const prov_value *a, const prov_value *b);
/* 1 if v and everything inside it is known. */
int prov_value_wholly_known(const prov_value *v);
/* Replace every unknown inside obj by null, in place (a partial state must be wholly known).
   An unknown whose null cannot be allocated stays unknown. */
void prov_value_unknowns_to_null(prov_value *obj);

/* Object attribute access. get returns a borrowed pointer (NULL if obj is not a known object or
   has no such attribute). set takes over val (freed on failure) and returns 0 / -1. */
const prov_value *prov_value_attr(const prov_value *obj, const char *name);
int prov_value_set_attr(prov_value *obj, const char *name, prov_value *val);
/* Set a string attribute to a copy of s, or to null when s is NULL. 0 / -1 (ENOMEM, or no such
   attribute). */
int prov_value_set_str(prov_value *obj, const char *name, const char *s);
/* Append to a list/set/tuple, or put key into a map (replacing). Takes over val. */
int prov_value_append(prov_value *coll, prov_value *val);
int prov_value_map_put(prov_value *map, const char *key, prov_value *val);

/* Convenience readers: a known string's text, else NULL; a known bool (0/1), else -1. */
const char *prov_value_str(const prov_value *v);
int prov_value_is_null(const prov_value *v);
int prov_value_is_unknown(const prov_value *v);

/* ---- codecs ----------------------------------------------------------------------------- */

/* For the decoders: NULL with an out-of-memory err; v itself, or that when v is NULL (the
   allocation behind it failed). Neither takes anything over. */
prov_value *prov_value_oom(hwims_error *err);
prov_value *prov_value_or_oom(prov_value *v, hwims_error *err);

/* Decode DynamicValue.msgpack against type t. Errors (HWIMS_ERR_INVALID) name the path, as
   go-cty does. Caller frees *out with prov_value_free. */
int prov_value_from_msgpack(const prov_type *t, const void *data, size_t len, prov_value **out,
                            hwims_error *err);
/* Encode v as msgpack against type t (t matters for dynamic: known values get the
   [type JSON, value] wrapper). Appends to b. */
int prov_value_to_msgpack(const prov_value *v, const prov_type *t, hwims_buf *b, hwims_error *err);
/* Decode JSON (RawState.json, DynamicValue.json) against t: missing object attributes are
   null, unknown ones an error. */
int prov_value_from_json(const prov_type *t, const char *json, size_t len, prov_value **out,
                         hwims_error *err);
/* A copy of JSON text with every number token turned into a string token holding the same
   text, so a JSON library that parses numbers into doubles cannot round them (the value
   decoders accept numbers written as strings, as go-cty does). Caller frees; NULL on ENOMEM. */
char *prov_json_quote_numbers(const char *json, size_t len, size_t *out_len);
/* Encode v as JSON (unknowns are an error). Appends to b. */
int prov_value_to_json(const prov_value *v, const prov_type *t, hwims_buf *b, hwims_error *err);

#endif
