/* type.c - cty types and their JSON form (see prov_value.h). */
#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

/* Nesting limit for type JSON: far beyond any schema, low enough for untrusted input. */
#define PROV_TYPE_MAX_DEPTH 64

prov_type prov_type_string = {.kind = PROV_T_STRING, .refs = PROV_TYPE_STATIC};
prov_type prov_type_number = {.kind = PROV_T_NUMBER, .refs = PROV_TYPE_STATIC};
prov_type prov_type_bool = {.kind = PROV_T_BOOL, .refs = PROV_TYPE_STATIC};
prov_type prov_type_dynamic = {.kind = PROV_T_DYNAMIC, .refs = PROV_TYPE_STATIC};

/*
 * The schema's types are shared by all gRPC call threads, and every value takes a reference,
 * so the count changes on many threads at once; a plain int lost updates (a type freed while
 * still in use, or never freed). A static type's count is PROV_TYPE_STATIC for good and a
 * counted type's is at least 1 while the caller holds its reference, so the sign read before
 * the update cannot change in between.
 */
prov_type *prov_type_ref(prov_type *t)
{
	/* Relaxed: the caller's own reference keeps t alive; nothing is published here. */
	if (t && atomic_load_explicit(&t->refs, memory_order_relaxed) != PROV_TYPE_STATIC)
		atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
	return t;
}

void prov_type_unref(prov_type *t)
{
	if (!t || atomic_load_explicit(&t->refs, memory_order_relaxed) == PROV_TYPE_STATIC)
		return;
	/* Release so this thread's use of t happens before the free; acquire so the thread that
	   frees sees every other thread's use finished. */
	if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
		return;
	prov_type_unref(t->elem);
	for (size_t i = 0; i < t->n; i++) {
		if (t->names)
			free(t->names[i]);
		if (t->types)
			prov_type_unref(t->types[i]);
	}
	free(t->names);
	free(t->types);
	free(t);
}

prov_type *prov_type_collection(prov_kind kind, prov_type *elem)
{
	if (!elem)
		return NULL;
	prov_type *t = calloc(1, sizeof(*t));
	if (!t) {
		prov_type_unref(elem);
		return NULL;
	}
	t->kind = kind;
	atomic_init(&t->refs, 1);
	t->elem = elem;
	return t;
}

static int cmp_index_by_name(const void *a, const void *b, void *names)
{
	const char *const *nm = names;
	return strcmp(nm[*(const size_t *)a], nm[*(const size_t *)b]);
}

/* qsort_r is not in C17/POSIX; n is small, so a plain insertion sort does. */
static void sort_indices(size_t *idx, size_t n, const char *const *names)
{
	for (size_t i = 1; i < n; i++) {
		size_t v = idx[i];
		size_t j = i;
		while (j > 0 && cmp_index_by_name(&idx[j - 1], &v, (void *)names) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
}

prov_type *prov_type_object(size_t n, const char *const *names, prov_type **types)
{
	prov_type *t = calloc(1, sizeof(*t));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	if (t) {
		t->kind = PROV_T_OBJECT;
		atomic_init(&t->refs, 1);
		t->names = calloc(n ? n : 1, sizeof(char *));
		t->types = calloc(n ? n : 1, sizeof(prov_type *));
	}
	if (!t || !idx || !t->names || !t->types) {
		for (size_t i = 0; i < n; i++)
			prov_type_unref(types[i]);
		free(idx);
		if (t) {
			free(t->names);
			free(t->types);
			free(t);
		}
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_indices(idx, n, names);
	t->n = n;
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		t->types[i] = types[idx[i]];
		t->names[i] = strdup(names[idx[i]]);
		if (!t->names[i] || (i > 0 && strcmp(names[idx[i - 1]], names[idx[i]]) == 0))
			bad = 1;
	}
	free(idx);
	if (bad) {
		prov_type_unref(t);
		return NULL;
	}
	return t;
}

prov_type *prov_type_tuple(size_t n, prov_type **types)
{
	prov_type *t = calloc(1, sizeof(*t));
	if (t)
		t->types = calloc(n ? n : 1, sizeof(prov_type *));
	if (!t || !t->types) {
		for (size_t i = 0; i < n; i++)
			prov_type_unref(types[i]);
		free(t);
		return NULL;
	}
	t->kind = PROV_T_TUPLE;
	atomic_init(&t->refs, 1);
	t->n = n;
	if (n)
		memcpy(t->types, types, n * sizeof(prov_type *));
	return t;
}

int prov_type_equal(const prov_type *a, const prov_type *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_MAP:
		return prov_type_equal(a->elem, b->elem);
	case PROV_T_OBJECT:
	case PROV_T_TUPLE:
		if (a->n != b->n)
			return 0;
		for (size_t i = 0; i < a->n; i++) {
			if (a->kind == PROV_T_OBJECT && strcmp(a->names[i], b->names[i]) != 0)
				return 0;
			if (!prov_type_equal(a->types[i], b->types[i]))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

int prov_type_attr_index(const prov_type *obj, const char *name)
{
	if (!obj || obj->kind != PROV_T_OBJECT)
		return -1;
	size_t lo = 0, hi = obj->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(obj->names[mid], name);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static prov_type *type_from(json_t *j, int depth, hwims_error *err);

static prov_type *type_primitive(const char *s, hwims_error *err)
{
	if (strcmp(s, "string") == 0)
		return &prov_type_string;
	if (strcmp(s, "number") == 0)
		return &prov_type_number;
	if (strcmp(s, "bool") == 0)
		return &prov_type_bool;
	if (strcmp(s, "dynamic") == 0)
		return &prov_type_dynamic;
	hwims_error_set(err, HWIMS_ERR_INVALID, "invalid primitive type name \"%.64s\"", s);
	return NULL;
}

/* ["list"|"set"|"map", elem] */
static prov_type *type_collection(const char *kind, json_t *arg, size_t size, int depth,
                                  hwims_error *err)
{
	if (size != 2) {
		hwims_error_set(err, HWIMS_ERR_INVALID, "invalid %s type", kind);
		return NULL;
	}
	prov_type *elem = type_from(arg, depth + 1, err);
	if (!elem)
		return NULL;
	prov_kind k = kind[0] == 'l' ? PROV_T_LIST : kind[0] == 's' ? PROV_T_SET : PROV_T_MAP;
	prov_type *t = prov_type_collection(k, elem);
	if (!t)
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return t;
}

/* Drop the first n references of types and free the array (a failed object or tuple). */
static void types_release(prov_type **types, size_t n)
{
	for (size_t k = 0; k < n; k++)
		prov_type_unref(types[k]);
	free(types);
}

/* ["object", {name: type, ...}] (a third element, optional attribute names, only appears in
   type constraints; the value type is the same object). */
static prov_type *type_object(json_t *arg, int depth, hwims_error *err)
{
	size_t n = json_object_size(arg);
	const char **names = calloc(n ? n : 1, sizeof(char *));
	prov_type **types = calloc(n ? n : 1, sizeof(prov_type *));
	if (!names || !types) {
		free(names);
		free(types);
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return NULL;
	}
	size_t i = 0;
	const char *key;
	json_t *val;
	json_object_foreach(arg, key, val)
	{
		types[i] = type_from(val, depth + 1, err);
		if (!types[i]) {
			types_release(types, i);
			free(names);
			return NULL;
		}
		names[i++] = key;
	}
	prov_type *t = prov_type_object(n, names, types);
	free(names);
	free(types);
	if (!t)
		hwims_error_set(err, HWIMS_ERR_INVALID, "invalid object type");
	return t;
}

/* ["tuple", [type, ...]] */
static prov_type *type_tuple(json_t *arg, int depth, hwims_error *err)
{
	size_t n = json_array_size(arg);
	prov_type **types = calloc(n ? n : 1, sizeof(prov_type *));
	if (!types) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		types[i] = type_from(json_array_get(arg, i), depth + 1, err);
		if (!types[i]) {
			types_release(types, i);
			return NULL;
		}
	}
	prov_type *t = prov_type_tuple(n, types);
	free(types);
	if (!t)
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return t;
}

static prov_type *type_from(json_t *j, int depth, hwims_error *err)
{
	if (depth > PROV_TYPE_MAX_DEPTH) {
		hwims_error_set(err, HWIMS_ERR_INVALID, "type constraint nested too deeply");
		return NULL;
	}
	if (json_is_string(j))
		return type_primitive(json_string_value(j), err);
	if (!json_is_array(j) || json_array_size(j) < 2 || !json_is_string(json_array_get(j, 0))) {
		hwims_error_set(err, HWIMS_ERR_INVALID, "invalid type constraint");
		return NULL;
	}
	const char *kind = json_string_value(json_array_get(j, 0));
	json_t *arg = json_array_get(j, 1);
	size_t size = json_array_size(j);
	if (strcmp(kind, "list") == 0 || strcmp(kind, "set") == 0 || strcmp(kind, "map") == 0)
		return type_collection(kind, arg, size, depth, err);
	if (strcmp(kind, "object") == 0 && json_is_object(arg) && (size == 2 || size == 3))
		return type_object(arg, depth, err);
	if (strcmp(kind, "tuple") == 0 && json_is_array(arg) && size == 2)
		return type_tuple(arg, depth, err);
	hwims_error_set(err, HWIMS_ERR_INVALID, "invalid type constraint \"%.32s\"", kind);
	return NULL;
}

int prov_type_from_json(const char *json, size_t len, prov_type **out, hwims_error *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *j = json_loadb(json, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return hwims_error_set(err, HWIMS_ERR_INVALID, "type constraint is not JSON: %s",
		                       jerr.text);
	*out = type_from(j, 0, err);
	json_decref(j);
	return *out ? 0 : -1;
}

static int put_json_string(hwims_buf *b, const char *s)
{
	/* Attribute names are [a-z0-9_] in schemas; escape anyway for names from dynamic types. */
	json_t *j = json_string(s);
	if (!j)
		return -1;
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	if (!text)
		return -1;
	int rc = hwims_buf_puts(b, text);
	free(text);
	return rc;
}

int prov_type_to_json(const prov_type *t, hwims_buf *b)
{
	switch (t->kind) {
	case PROV_T_STRING:
		return hwims_buf_puts(b, "\"string\"");
	case PROV_T_NUMBER:
		return hwims_buf_puts(b, "\"number\"");
	case PROV_T_BOOL:
		return hwims_buf_puts(b, "\"bool\"");
	case PROV_T_DYNAMIC:
		return hwims_buf_puts(b, "\"dynamic\"");
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_MAP: {
		const char *k = t->kind == PROV_T_LIST  ? "list"
		                : t->kind == PROV_T_SET ? "set"
		                                        : "map";
		if (hwims_buf_printf(b, "[\"%s\",", k) != 0 || prov_type_to_json(t->elem, b) != 0)
			return -1;
		return hwims_buf_puts(b, "]");
	}
	case PROV_T_OBJECT:
		if (hwims_buf_puts(b, "[\"object\",{") != 0)
			return -1;
		for (size_t i = 0; i < t->n; i++) {
			if ((i && hwims_buf_puts(b, ",") != 0) ||
			    put_json_string(b, t->names[i]) != 0 || hwims_buf_puts(b, ":") != 0 ||
			    prov_type_to_json(t->types[i], b) != 0)
				return -1;
		}
		return hwims_buf_puts(b, "}]");
	case PROV_T_TUPLE:
		if (hwims_buf_puts(b, "[\"tuple\",[") != 0)
			return -1;
		for (size_t i = 0; i < t->n; i++) {
			if ((i && hwims_buf_puts(b, ",") != 0) ||
			    prov_type_to_json(t->types[i], b) != 0)
				return -1;
		}
		return hwims_buf_puts(b, "]]");
	}
	return -1;
}
