/* resource_image_copy_upgrade.c - UpgradeResourceState of huaweicloud_images_image_copy: state
   written by the Go provider (version 0) or by this one, as the current schema's object. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "prov_image_copy.h"

/* Keep only what the current schema knows (state written by the Go provider or by an older
   version may carry more), recursively for the timeouts block. */
static void strip_unknown_keys(json_t *obj, const prov_type *t)
{
	if (!json_is_object(obj) || t->kind != PROV_T_OBJECT)
		return;
	const char *key;
	json_t *val;
	void *tmp;
	json_object_foreach_safe(obj, tmp, key, val)
	{
		int idx = prov_type_attr_index(t, key);
		if (idx < 0)
			json_object_del(obj, key);
		else if (t->types[idx]->kind == PROV_T_OBJECT)
			strip_unknown_keys(val, t->types[idx]);
	}
}

/* SDKv2 state spells an unset string "" and an unset map {}; for arguments that are not
   computed the configuration says null, so null is what the state must hold to plan empty. */
static void empty_to_null(json_t *obj, const prov_block_schema *rs)
{
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		if (a->flags & PROV_A_COMPUTED)
			continue;
		json_t *v = json_object_get(obj, a->name);
		if ((json_is_string(v) && json_string_length(v) == 0) ||
		    (json_is_object(v) && json_object_size(v) == 0))
			json_object_set_new(obj, a->name, json_null());
	}
}

/* The stored JSON state as a jansson object, its numbers kept as written; NULL after a
   diagnostic. */
static json_t *load_state(const prov_op *op, const Tfplugin6__RawState *raw)
{
	if (!raw || !raw->json.len) {
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Unsupported state format",
		              "Only JSON state (Terraform 0.12 and later) can be upgraded.", NULL);
		return NULL;
	}
	json_error_t jerr;
	size_t qlen = 0;
	char *quoted = prov_json_quote_numbers((const char *)raw->json.data, raw->json.len, &qlen);
	json_t *j = quoted ? json_loadb(quoted, qlen, JSON_ALLOW_NUL, &jerr) : NULL;
	free(quoted);
	if (!json_is_object(j)) {
		json_decref(j);
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid state",
		              "The stored state is not a JSON object.", NULL);
		return NULL;
	}
	return j;
}

prov_value *prov_ic_upgrade(const prov_op *op, int64_t version, const Tfplugin6__RawState *raw)
{
	if (version > PROV_RESOURCE_SCHEMA_VERSION) {
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Unsupported state version",
		              "This state was written by a newer provider version.", NULL);
		return NULL;
	}
	json_t *j = load_state(op, raw);
	if (!j)
		return NULL;
	const prov_type *t = op->schema->implied;
	strip_unknown_keys(j, t);
	if (version == 0)
		empty_to_null(j, op->schema); /* the Go provider's state */
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	prov_value *st = NULL;
	hwims_error err;
	if (!text)
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
	if (!text || prov_value_from_json(t, text, strlen(text), &st, &err) != 0)
		prov_diag_from_error(op->d, "Cannot upgrade the state", &err, NULL);
	free(text);
	return st;
}
