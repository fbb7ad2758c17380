/* state.c - resource object <-> libhwims mapping (see prov_state.h). */
#include "prov_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "hwims/duration.h"

static int set_field(char **field, const prov_value *obj, const char *name, int *unknown,
                     hwims_error *err)
{
	const prov_value *v = prov_value_attr(obj, name);
	if (prov_value_is_unknown(v)) {
		if (unknown)
			*unknown = 1;
		return 0;
	}
	const char *s = prov_value_str(v);
	return s ? hwims_copy_spec_set(field, s, err) : 0;
}

static void set_ram(const prov_value *obj, const char *name, int *has, int64_t *out, int *unknown)
{
	const prov_value *v = prov_value_attr(obj, name);
	if (prov_value_is_unknown(v) && unknown)
		*unknown = 1;
	if (v && v->state == PROV_KNOWN && prov_number_int64(&v->u.num, out) == 0)
		*has = 1;
}

int prov_spec_from_value(const prov_value *obj, hwims_copy_spec *spec, int *unknown,
                         hwims_error *err)
{
	memset(spec, 0, sizeof(*spec));
	if (unknown)
		*unknown = 0;
	if (!obj || obj->state != PROV_KNOWN)
		return 0;
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
	    {"source_image_id", offsetof(hwims_copy_spec, source_image_id)},
	    {"name", offsetof(hwims_copy_spec, name)},
	    {"description", offsetof(hwims_copy_spec, description)},
	    {"region", offsetof(hwims_copy_spec, region)},
	    {"target_region", offsetof(hwims_copy_spec, target_region)},
	    {"kms_key_id", offsetof(hwims_copy_spec, kms_key_id)},
	    {"enterprise_project_id", offsetof(hwims_copy_spec, enterprise_project_id)},
	    {"agency_name", offsetof(hwims_copy_spec, agency_name)},
	    {"vault_id", offsetof(hwims_copy_spec, vault_id)},
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char **field = (char **)((char *)spec + fields[i].off);
		if (set_field(field, obj, fields[i].name, unknown, err) != 0) {
			hwims_copy_spec_free(spec);
			return -1;
		}
	}
	set_ram(obj, "min_ram", &spec->has_min_ram, &spec->min_ram, unknown);
	set_ram(obj, "max_ram", &spec->has_max_ram, &spec->max_ram, unknown);
	const prov_value *tags = prov_value_attr(obj, "tags");
	if (prov_value_is_unknown(tags) && unknown)
		*unknown = 1;
	if (tags && tags->state == PROV_KNOWN) {
		for (size_t i = 0; i < tags->u.coll.n; i++) {
			const prov_value *tv = tags->u.coll.items[i];
			if (tv->state == PROV_UNKNOWN && unknown)
				*unknown = 1;
			const char *s = prov_value_str(tv);
			if (hwims_tags_set(&spec->tags, tags->u.coll.keys[i], s ? s : "", err) !=
			    0) {
				hwims_copy_spec_free(spec);
				return -1;
			}
		}
	}
	return 0;
}

int prov_timeout(const prov_value *obj, const char *op, int64_t fallback, int64_t *ns,
                 hwims_error *err)
{
	*ns = fallback;
	const prov_value *t = prov_value_attr(obj, "timeouts");
	const char *s = prov_value_str(prov_value_attr(t, op));
	if (!s || !*s)
		return 0;
	if (hwims_duration_parse(s, ns, err) != 0) {
		char path[64];
		snprintf(path, sizeof(path), "timeouts.%s", op);
		hwims_error_prefix(err, "timeouts.%s", op);
		snprintf(err->attribute, sizeof(err->attribute), "%s", path);
		return -1;
	}
	if (*ns <= 0) {
		hwims_error_set_attr(err, "timeouts", "timeouts.%s must be a positive duration",
		                     op);
		snprintf(err->attribute, sizeof(err->attribute), "timeouts.%s", op);
		return -1;
	}
	return 0;
}

/* The image's value of a table attribute as a cty value (null when the image has none). */
static prov_value *image_value(const hwims_image *img, const prov_attr_schema *a, hwims_error *err)
{
	hwims_value hv;
	if (strcmp(a->name, "id") == 0)
		return prov_value_string(hwims_image_id(img));
	if (hwims_image_get(img, a->name, &hv, err) != 0)
		return NULL;
	if (hv.is_null)
		return prov_value_null(a->type);
	switch (hv.type) {
	case HWIMS_ATTR_STRING:
		return prov_value_string(hv.s ? hv.s : "");
	case HWIMS_ATTR_BOOL:
		return prov_value_bool(hv.b);
	case HWIMS_ATTR_INT:
		return prov_value_int(hv.i);
	case HWIMS_ATTR_STRING_MAP: {
		prov_value *m = prov_value_collection(a->type);
		for (size_t i = 0; m && hv.map && i < hv.map->count; i++) {
			if (prov_value_map_put(m, hv.map->items[i].key,
			                       prov_value_string(hv.map->items[i].value)) != 0) {
				prov_value_free(m);
				m = NULL;
			}
		}
		return m;
	}
	}
	return NULL;
}

/* null, "", and an empty map all mean "nothing set" for this resource's arguments. */
static int is_empty(const prov_value *v)
{
	if (!v || v->state == PROV_NULL)
		return 1;
	if (v->state != PROV_KNOWN)
		return 0;
	if (v->type->kind == PROV_T_STRING)
		return v->u.str.len == 0;
	if (v->type->kind == PROV_T_MAP)
		return v->u.coll.n == 0;
	return 0;
}

static unsigned table_flags(const char *name)
{
	const hwims_attr *row = hwims_attr_find(name);
	return row ? row->flags : 0;
}

int prov_origin_unreadable(const hwims_image *img)
{
	char *region = NULL, *source = NULL;
	int rc = hwims_data_origin_parse(hwims_image_str(img, "data_origin"), &region, &source);
	free(region);
	free(source);
	return rc == HWIMS_ENOMATCH;
}

/* The attributes a read takes from the data origin. */
static int from_origin(const char *name)
{
	return strcmp(name, "source_image_id") == 0 || strcmp(name, "region") == 0 ||
	       strcmp(name, "target_region") == 0;
}

/* Whether a read keeps the prior value bv of attribute name over what the image says (nv):
 * when the two only spell the same thing differently, or the image cannot tell. base is the
 * prior state; no_origin: the image's data origin does not parse. */
static int read_keeps_prior(const char *name, const prov_value *nv, const prov_value *bv,
                            const prov_value *base, const hwims_image *img, int no_origin)
{
	if (is_empty(nv) && is_empty(bv))
		return 1; /* "" vs null vs {}: no drift */
	if (strcmp(name, "target_region") == 0 && nv->state == PROV_NULL) {
		/* within a region the API reports no target; a configured target equal to the
		   source region means the same */
		const char *reg = prov_value_str(prov_value_attr(base, "region"));
		const char *tr = prov_value_str(bv);
		if (reg && tr && strcmp(reg, tr) == 0)
			return 1;
	}
	if (strcmp(name, "region") == 0 && nv->state == PROV_NULL)
		return 1;
	if (no_origin && from_origin(name) && bv->state == PROV_KNOWN)
		return 1;
	/* a failed tags call leaves the image without tags: not drift */
	return strcmp(name, "tags") == 0 && !hwims_image_tags(img);
}

int prov_state_from_image(const prov_block_schema *rs, const hwims_image *img,
                          const prov_value *base, prov_fill_mode mode, prov_value **out,
                          hwims_error *err)
{
	*out = NULL;
	prov_value *st = prov_value_object(rs->implied);
	if (!st)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	int no_origin = mode == PROV_FILL_READ && base && prov_origin_unreadable(img);
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		const prov_value *bv = base ? prov_value_attr(base, a->name) : NULL;
		unsigned tf = table_flags(a->name);
		prov_value *nv = NULL;
		if (mode == PROV_FILL_APPLY && bv && bv->state != PROV_UNKNOWN) {
			nv = prov_value_clone(bv); /* planned known values are the contract */
		} else if (tf & HWIMS_ATTR_NOT_READ) {
			nv = (bv && bv->state == PROV_KNOWN) ? prov_value_clone(bv)
			                                     : prov_value_null(a->type);
		} else {
			nv = image_value(img, a, err);
			if (!nv) {
				prov_value_free(st);
				if (err && err->kind == HWIMS_ERR_NONE)
					hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
				return -1;
			}
			if (mode == PROV_FILL_READ && bv && bv->state != PROV_UNKNOWN &&
			    read_keeps_prior(a->name, nv, bv, base, img, no_origin)) {
				prov_value_free(nv);
				nv = prov_value_clone(bv);
			}
		}
		if (!nv || prov_value_set_attr(st, a->name, nv) != 0) {
			prov_value_free(st);
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
	}
	/* A cross-region copy has no enterprise project argument (it may only be set within a
	   region): what the target region reports for it is left out of state, so that a
	   configuration generated from the state validates. */
	const char *reg = prov_value_str(prov_value_attr(st, "region"));
	const char *tr = prov_value_str(prov_value_attr(st, "target_region"));
	if (reg && tr && strcmp(reg, tr) != 0) {
		if (prov_value_set_str(st, "enterprise_project_id", NULL) != 0) {
			prov_value_free(st);
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
	}
	/* Blocks (timeouts) are configuration only: carried from the plan or the prior state. */
	for (size_t i = 0; i < rs->n_blocks; i++) {
		const prov_value *bv = base ? prov_value_attr(base, rs->blocks[i].name) : NULL;
		prov_value *nv = (bv && bv->state == PROV_KNOWN)
		                     ? prov_value_clone(bv)
		                     : prov_value_null(rs->blocks[i].block->implied);
		if (!nv || prov_value_set_attr(st, rs->blocks[i].name, nv) != 0) {
			prov_value_free(st);
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
	}
	prov_value_unknowns_to_null(st);
	*out = st;
	return 0;
}
