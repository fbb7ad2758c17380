/* value.c - the cty value model (see prov_value.h). */
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

static prov_value *alloc_value(prov_type *t, prov_state state)
{
	prov_value *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->type = prov_type_ref(t);
	v->state = state;
	return v;
}

prov_value *prov_value_null(prov_type *t)
{
	return alloc_value(t, PROV_NULL);
}

prov_value *prov_value_unknown(prov_type *t)
{
	return alloc_value(t, PROV_UNKNOWN);
}

prov_value *prov_value_string_len(const char *s, size_t len)
{
	prov_value *v = alloc_value(&prov_type_string, PROV_KNOWN);
	if (!v)
		return NULL;
	v->u.str.ptr = malloc(len + 1);
	if (!v->u.str.ptr) {
		free(v);
		return NULL;
	}
	if (len) /* msgpack-c hands over NULL for empty strings */
		memcpy(v->u.str.ptr, s, len);
	v->u.str.ptr[len] = '\0';
	v->u.str.len = len;
	return v;
}

prov_value *prov_value_string(const char *s)
{
	return prov_value_string_len(s, strlen(s));
}

prov_value *prov_value_bool(int b)
{
	prov_value *v = alloc_value(&prov_type_bool, PROV_KNOWN);
	if (v)
		v->u.b = b ? 1 : 0;
	return v;
}

prov_value *prov_value_int(int64_t i)
{
	prov_value *v = alloc_value(&prov_type_number, PROV_KNOWN);
	if (v) {
		v->u.num.kind = PROV_NUM_INT;
		v->u.num.i = i;
	}
	return v;
}

prov_value *prov_value_number(prov_number *n)
{
	prov_value *v = alloc_value(&prov_type_number, PROV_KNOWN);
	if (!v) {
		free(n->text);
		n->text = NULL;
		return NULL;
	}
	v->u.num = *n;
	n->text = NULL;
	return v;
}

prov_value *prov_value_collection(prov_type *t)
{
	return alloc_value(t, PROV_KNOWN);
}

prov_value *prov_value_object(prov_type *t)
{
	prov_value *v = alloc_value(t, PROV_KNOWN);
	if (!v || t->kind != PROV_T_OBJECT)
		return v;
	v->u.coll.n = t->n;
	v->u.coll.items = calloc(t->n ? t->n : 1, sizeof(prov_value *));
	if (!v->u.coll.items) {
		prov_value_free(v);
		return NULL;
	}
	for (size_t i = 0; i < t->n; i++) {
		v->u.coll.items[i] = prov_value_null(t->types[i]);
		if (!v->u.coll.items[i]) {
			prov_value_free(v);
			return NULL;
		}
	}
	return v;
}

static int has_items(const prov_value *v)
{
	switch (v->type->kind) {
	case PROV_T_LIST:
	case PROV_T_SET:
	case PROV_T_MAP:
	case PROV_T_OBJECT:
	case PROV_T_TUPLE:
		return 1;
	default:
		return 0;
	}
}

void prov_value_free(prov_value *v)
{
	if (!v)
		return;
	if (v->state == PROV_KNOWN) {
		if (v->type->kind == PROV_T_STRING)
			free(v->u.str.ptr);
		else if (v->type->kind == PROV_T_NUMBER)
			free(v->u.num.text);
		else if (has_items(v)) {
			for (size_t i = 0; i < v->u.coll.n; i++) {
				if (v->u.coll.items)
					prov_value_free(v->u.coll.items[i]);
				if (v->u.coll.keys)
					free(v->u.coll.keys[i]);
			}
			free(v->u.coll.items);
			free(v->u.coll.keys);
		}
	}
	free(v->refinement);
	prov_type_unref(v->type);
	free(v);
}

prov_value *prov_value_clone(const prov_value *v)
{
	if (!v)
		return NULL;
	prov_value *c = alloc_value(v->type, v->state);
	if (!c)
		return NULL;
	if (v->refinement) {
		c->refinement = malloc(v->refinement_len);
		if (!c->refinement)
			goto fail;
		memcpy(c->refinement, v->refinement, v->refinement_len);
		c->refinement_len = v->refinement_len;
	}
	if (v->state != PROV_KNOWN)
		return c;
	switch (v->type->kind) {
	case PROV_T_STRING:
		c->u.str.ptr = malloc(v->u.str.len + 1);
		if (!c->u.str.ptr)
			goto fail;
		memcpy(c->u.str.ptr, v->u.str.ptr, v->u.str.len + 1);
		c->u.str.len = v->u.str.len;
		return c;
	case PROV_T_NUMBER:
		c->u.num = v->u.num;
		if (v->u.num.text && !(c->u.num.text = strdup(v->u.num.text)))
			goto fail;
		return c;
	case PROV_T_BOOL:
		c->u.b = v->u.b;
		return c;
	default:
		break;
	}
	if (!has_items(v))
		return c;
	size_t n = v->u.coll.n;
	c->u.coll.items = calloc(n ? n : 1, sizeof(prov_value *));
	if (!c->u.coll.items)
		goto fail;
	if (v->u.coll.keys) {
		c->u.coll.keys = calloc(n ? n : 1, sizeof(char *));
		if (!c->u.coll.keys)
			goto fail;
	}
	c->u.coll.n = n;
	for (size_t i = 0; i < n; i++) {
		c->u.coll.items[i] = prov_value_clone(v->u.coll.items[i]);
		if (!c->u.coll.items[i])
			goto fail;
		if (v->u.coll.keys && !(c->u.coll.keys[i] = strdup(v->u.coll.keys[i])))
			goto fail;
	}
	return c;
fail:
	prov_value_free(c);
	return NULL;
}

static int set_contains(const prov_value *set, const prov_value *elem)
{
	for (size_t i = 0; i < set->u.coll.n; i++) {
		if (prov_value_equal(set->u.coll.items[i], elem))
			return 1;
	}
	return 0;
}

int prov_value_equal(const prov_value *a, const prov_value *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->state != b->state || !prov_type_equal(a->type, b->type))
		return 0;
	if (a->state != PROV_KNOWN)
		return 1;
	switch (a->type->kind) {
	case PROV_T_STRING:
		return a->u.str.len == b->u.str.len &&
		       memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
	case PROV_T_NUMBER:
		return prov_number_equal(&a->u.num, &b->u.num);
	case PROV_T_BOOL:
		return a->u.b == b->u.b;
	case PROV_T_DYNAMIC:
		return 1;
	default:
		break;
	}
	if (a->u.coll.n != b->u.coll.n)
		return 0;
	for (size_t i = 0; i < a->u.coll.n; i++) {
		if (a->type->kind == PROV_T_SET) {
			if (!set_contains(b, a->u.coll.items[i]))
				return 0;
			continue;
		}
		if (a->u.coll.keys && strcmp(a->u.coll.keys[i], b->u.coll.keys[i]) != 0)
			return 0;
		if (!prov_value_equal(a->u.coll.items[i], b->u.coll.items[i]))
			return 0;
	}
	return 1;
}

int prov_value_wholly_known(const prov_value *v)
{
	if (v->state == PROV_UNKNOWN)
		return 0;
	if (v->state == PROV_NULL || !has_items(v))
		return 1;
	for (size_t i = 0; i < v->u.coll.n; i++) {
		if (!prov_value_wholly_known(v->u.coll.items[i]))
			return 0;
	}
	return 1;
}

const prov_value *prov_value_attr(const prov_value *obj, const char *name)
{
	if (!obj || obj->state != PROV_KNOWN || obj->type->kind != PROV_T_OBJECT)
		return NULL;
	int i = prov_type_attr_index(obj->type, name);
	return i < 0 ? NULL : obj->u.coll.items[i];
}

int prov_value_set_attr(prov_value *obj, const char *name, prov_value *val)
{
	if (!val)
		return -1;
	int i = (obj && obj->state == PROV_KNOWN) ? prov_type_attr_index(obj->type, name) : -1;
	if (i < 0) {
		prov_value_free(val);
		return -1;
	}
	prov_value_free(obj->u.coll.items[i]);
	obj->u.coll.items[i] = val;
	return 0;
}

prov_value *prov_value_oom(hwims_error *err)
{
	hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return NULL;
}

prov_value *prov_value_or_oom(prov_value *v, hwims_error *err)
{
	return v ? v : prov_value_oom(err);
}

int prov_value_set_str(prov_value *obj, const char *name, const char *s)
{
	return prov_value_set_attr(obj, name,
	                           s ? prov_value_string(s) : prov_value_null(&prov_type_string));
}

int prov_value_append(prov_value *coll, prov_value *val)
{
	if (!val)
		return -1;
	prov_value **items = realloc(coll->u.coll.items, (coll->u.coll.n + 1) * sizeof(*items));
	if (!items) {
		prov_value_free(val);
		return -1;
	}
	coll->u.coll.items = items;
	items[coll->u.coll.n++] = val;
	return 0;
}

int prov_value_map_put(prov_value *map, const char *key, prov_value *val)
{
	if (!val)
		return -1;
	size_t n = map->u.coll.n, pos = 0;
	while (pos < n && strcmp(map->u.coll.keys[pos], key) < 0)
		pos++;
	if (pos < n && strcmp(map->u.coll.keys[pos], key) == 0) {
		prov_value_free(map->u.coll.items[pos]);
		map->u.coll.items[pos] = val;
		return 0;
	}
	char *k = strdup(key);
	prov_value **items = realloc(map->u.coll.items, (n + 1) * sizeof(*items));
	if (items)
		map->u.coll.items = items;
	char **keys = items ? realloc(map->u.coll.keys, (n + 1) * sizeof(*keys)) : NULL;
	if (keys)
		map->u.coll.keys = keys;
	if (!k || !items || !keys) {
		free(k);
		prov_value_free(val);
		return -1;
	}
	memmove(items + pos + 1, items + pos, (n - pos) * sizeof(*items));
	memmove(keys + pos + 1, keys + pos, (n - pos) * sizeof(*keys));
	items[pos] = val;
	keys[pos] = k;
	map->u.coll.n = n + 1;
	return 0;
}

const char *prov_value_str(const prov_value *v)
{
	if (!v || v->state != PROV_KNOWN || v->type->kind != PROV_T_STRING)
		return NULL;
	return v->u.str.ptr;
}

int prov_value_is_null(const prov_value *v)
{
	return !v || v->state == PROV_NULL;
}

int prov_value_is_unknown(const prov_value *v)
{
	return v && v->state == PROV_UNKNOWN;
}

void prov_value_unknowns_to_null(prov_value *obj)
{
	if (!obj || obj->state != PROV_KNOWN || !has_items(obj))
		return;
	for (size_t i = 0; i < obj->u.coll.n; i++) {
		prov_value *e = obj->u.coll.items[i];
		if (e->state == PROV_UNKNOWN) {
			prov_value *n = prov_value_null(e->type);
			if (n) {
				prov_value_free(e);
				obj->u.coll.items[i] = n;
			}
		} else {
			prov_value_unknowns_to_null(e);
		}
	}
}
