/* tags.c - the owned key/value tag list (see include/hwims/tags.h). */
#include "hwims/tags.h"

#include <stdlib.h>
#include <string.h>

static hwims_tag *find(const hwims_tags *t, const char *key)
{
	if (!t || !key)
		return NULL;
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->items[i].key, key) == 0)
			return &t->items[i];
	}
	return NULL;
}

int hwims_tags_set(hwims_tags *t, const char *key, const char *value, hwims_error *err)
{
	char *v = strdup(value ? value : "");
	if (!v)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	hwims_tag *old = find(t, key);
	if (old) {
		free(old->value);
		old->value = v;
		return 0;
	}
	char *k = strdup(key);
	hwims_tag *items = k ? realloc(t->items, (t->count + 1) * sizeof(*items)) : NULL;
	if (!items) {
		free(k);
		free(v);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	t->items = items;
	t->items[t->count].key = k;
	t->items[t->count].value = v;
	t->count++;
	return 0;
}

void hwims_tags_remove(hwims_tags *t, const char *key)
{
	hwims_tag *tag = find(t, key);
	if (!tag)
		return;
	size_t i = (size_t)(tag - t->items);
	free(tag->key);
	free(tag->value);
	memmove(&t->items[i], &t->items[i + 1], (t->count - i - 1) * sizeof(t->items[0]));
	t->count--;
	if (t->count == 0) {
		free(t->items);
		t->items = NULL;
	}
}

const char *hwims_tags_get(const hwims_tags *t, const char *key)
{
	const hwims_tag *tag = find(t, key);
	return tag ? tag->value : NULL;
}

int hwims_tags_copy(hwims_tags *dst, const hwims_tags *src, hwims_error *err)
{
	dst->items = NULL;
	dst->count = 0;
	if (!src)
		return 0;
	for (size_t i = 0; i < src->count; i++) {
		if (hwims_tags_set(dst, src->items[i].key, src->items[i].value, err) != 0) {
			hwims_tags_free(dst);
			return -1;
		}
	}
	return 0;
}

int hwims_tags_equal(const hwims_tags *a, const hwims_tags *b)
{
	size_t na = a ? a->count : 0, nb = b ? b->count : 0;
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++) {
		const char *v = hwims_tags_get(b, a->items[i].key);
		if (!v || strcmp(v, a->items[i].value) != 0)
			return 0;
	}
	return 1;
}

void hwims_tags_free(hwims_tags *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++) {
		free(t->items[i].key);
		free(t->items[i].value);
	}
	free(t->items);
	t->items = NULL;
	t->count = 0;
}
