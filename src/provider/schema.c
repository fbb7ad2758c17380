/* schema.c - the provider, resource and data-source schemas and the GetProviderSchema and
   GetMetadata answers built from them (see prov_schema.h). */
#include "prov_schema.h"

#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "tfplugin6.pb-c.h"

static const prov_attr_def timeouts_attrs[] = {
    {"create", 's', PROV_A_OPTIONAL,
     "How long to wait for the copy job, as a duration such as `60m` (the default)."},
    {"delete", 's', PROV_A_OPTIONAL,
     "How long to wait for the copy to be deleted, as a duration such as `3m` (the default)."},
};

static prov_type *type_of_kind(int kind)
{
	switch (kind) {
	case 'b':
		return &prov_type_bool;
	case 'n':
		return &prov_type_number;
	case 'm':
		return prov_type_collection(PROV_T_MAP, &prov_type_string);
	case 'L':
		return prov_type_collection(PROV_T_LIST, &prov_type_string);
	default:
		return &prov_type_string;
	}
}

static prov_type *type_of_attr(hwims_attr_type t)
{
	switch (t) {
	case HWIMS_ATTR_BOOL:
		return type_of_kind('b');
	case HWIMS_ATTR_INT:
		return type_of_kind('n');
	case HWIMS_ATTR_STRING_MAP:
		return type_of_kind('m');
	default:
		return type_of_kind('s');
	}
}

static void block_free(prov_block_schema *b);
static int block_imply(prov_block_schema *b);

/* The block of a provider_args table: its attributes, and a list block of at most one item
   for each nested table. */
static int build_from_args(prov_block_schema *b, const prov_provider_arg *args, size_t n,
                           const char *description)
{
	size_t n_blocks = 0;
	for (size_t i = 0; i < n; i++)
		n_blocks += args[i].kind == 'l';
	memset(b, 0, sizeof(*b));
	b->description = description;
	b->attrs = calloc(n - n_blocks + 1, sizeof(*b->attrs));
	b->blocks = calloc(n_blocks + 1, sizeof(*b->blocks));
	if (!b->attrs || !b->blocks)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const prov_provider_arg *a = &args[i];
		if (a->kind != 'l') {
			prov_attr_schema *s = &b->attrs[b->n_attrs++];
			s->name = a->name;
			s->type = type_of_kind(a->kind);
			s->flags = a->flags;
			s->description = a->description;
			if (!s->type)
				return -1;
			continue;
		}
		prov_nested_block *nb = &b->blocks[b->n_blocks++];
		nb->name = a->name;
		nb->nesting = PROV_NEST_LIST;
		nb->max_items = 1;
		nb->block = calloc(1, sizeof(prov_block_schema));
		if (!nb->block || build_from_args(nb->block, a->block, a->n_block, NULL) != 0)
			return -1;
	}
	return block_imply(b);
}

static void block_free(prov_block_schema *b)
{
	for (size_t i = 0; i < b->n_attrs; i++)
		prov_type_unref(b->attrs[i].type);
	free(b->attrs);
	for (size_t i = 0; i < b->n_blocks; i++) {
		if (b->blocks[i].block) {
			block_free(b->blocks[i].block);
			free(b->blocks[i].block);
		}
	}
	free(b->blocks);
	prov_type_unref(b->implied);
	memset(b, 0, sizeof(*b));
}

/* The implied object type: one attribute per attribute and per nested block. */
static int block_imply(prov_block_schema *b)
{
	size_t n = b->n_attrs + b->n_blocks;
	const char **names = calloc(n ? n : 1, sizeof(char *));
	prov_type **types = calloc(n ? n : 1, sizeof(prov_type *));
	if (!names || !types) {
		free(names);
		free(types);
		return -1;
	}
	for (size_t i = 0; i < b->n_attrs; i++) {
		names[i] = b->attrs[i].name;
		types[i] = prov_type_ref(b->attrs[i].type);
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		const prov_nested_block *nb = &b->blocks[i];
		prov_type *ot = prov_type_ref(nb->block->implied);
		names[b->n_attrs + i] = nb->name;
		switch (nb->nesting) {
		case PROV_NEST_LIST:
			types[b->n_attrs + i] = prov_type_collection(PROV_T_LIST, ot);
			break;
		case PROV_NEST_SET:
			types[b->n_attrs + i] = prov_type_collection(PROV_T_SET, ot);
			break;
		case PROV_NEST_MAP:
			types[b->n_attrs + i] = prov_type_collection(PROV_T_MAP, ot);
			break;
		default:
			types[b->n_attrs + i] = ot;
		}
	}
	b->implied = prov_type_object(n, names, types);
	free(names);
	free(types);
	return b->implied ? 0 : -1;
}

int prov_block_build(prov_block_schema *b, const prov_attr_def *attrs, size_t n,
                     const char *description)
{
	memset(b, 0, sizeof(*b));
	b->description = description;
	b->attrs = calloc(n, sizeof(*b->attrs));
	if (!b->attrs)
		return -1;
	b->n_attrs = n;
	for (size_t i = 0; i < n; i++) {
		b->attrs[i].name = attrs[i].name;
		b->attrs[i].type = type_of_kind(attrs[i].kind);
		b->attrs[i].flags = attrs[i].flags;
		b->attrs[i].description = attrs[i].description;
		if (!b->attrs[i].type)
			return -1;
	}
	return block_imply(b);
}

int prov_block_set_type(prov_block_schema *b, const char *name, prov_type *t)
{
	for (size_t i = 0; t && i < b->n_attrs; i++) {
		if (strcmp(b->attrs[i].name, name) != 0)
			continue;
		prov_type_unref(b->attrs[i].type);
		b->attrs[i].type = t;
		prov_type_unref(b->implied);
		b->implied = NULL;
		return block_imply(b);
	}
	prov_type_unref(t);
	return -1;
}

static unsigned flags_of(unsigned f)
{
	unsigned out = 0;
	if (f & HWIMS_ATTR_REQUIRED)
		out |= PROV_A_REQUIRED;
	if (f & HWIMS_ATTR_OPTIONAL)
		out |= PROV_A_OPTIONAL;
	if (f & HWIMS_ATTR_COMPUTED)
		out |= PROV_A_COMPUTED;
	if (f & HWIMS_ATTR_SENSITIVE)
		out |= PROV_A_SENSITIVE;
	if (f & HWIMS_ATTR_DEPRECATED)
		out |= PROV_A_DEPRECATED;
	return out;
}

static int build_resource(prov_block_schema *b)
{
	size_t count;
	const hwims_attr *rows = hwims_attrs(&count);
	memset(b, 0, sizeof(*b));
	b->description = "Copies an IMS image within a region or to another region.";
	b->attrs = calloc(count + 1, sizeof(*b->attrs));
	b->blocks = calloc(1, sizeof(*b->blocks));
	if (!b->attrs || !b->blocks)
		return -1;
	/* SDKv2 injects `id` as optional+computed; declaring it the same way keeps state written
	   by the Go provider valid as is. */
	b->attrs[0].name = "id";
	b->attrs[0].type = &prov_type_string;
	b->attrs[0].flags = PROV_A_OPTIONAL | PROV_A_COMPUTED;
	b->attrs[0].description = "The ID of the copy (the new image's ID).";
	for (size_t i = 0; i < count; i++) {
		prov_attr_schema *a = &b->attrs[i + 1];
		a->name = rows[i].name;
		a->type = type_of_attr(rows[i].type);
		a->flags = flags_of(rows[i].flags);
		a->description = rows[i].description;
		if (!a->type)
			return -1;
	}
	b->n_attrs = count + 1;
	b->blocks[0].name = "timeouts";
	b->blocks[0].nesting = PROV_NEST_SINGLE;
	b->blocks[0].block = calloc(1, sizeof(prov_block_schema));
	b->n_blocks = 1;
	if (!b->blocks[0].block ||
	    prov_block_build(b->blocks[0].block, timeouts_attrs,
	                     sizeof(timeouts_attrs) / sizeof(timeouts_attrs[0]), NULL) != 0)
		return -1;
	return block_imply(b);
}

int prov_schemas_build(prov_schemas *s, hwims_error *err)
{
	memset(s, 0, sizeof(*s));
	size_t n_args;
	const prov_provider_arg *args = prov_provider_args(&n_args);
	if (build_from_args(&s->provider, args, n_args,
	                    "Huawei Cloud (image copies through IMS).") != 0 ||
	    build_resource(&s->resource) != 0) {
		prov_schemas_free(s);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot build the schemas");
	}
	return 0;
}

void prov_schemas_free(prov_schemas *s)
{
	if (!s)
		return;
	block_free(&s->provider);
	block_free(&s->resource);
	for (size_t i = 0; i < s->n_data_sources; i++)
		block_free(&s->data_sources[i].block);
	free(s->data_sources);
	s->data_sources = NULL;
	s->n_data_sources = 0;
}

int prov_schemas_add_data_source(prov_schemas *s, const char *name, prov_schema_builder build,
                                 hwims_error *err)
{
	prov_data_source_schema *ds =
	    realloc(s->data_sources, (s->n_data_sources + 1) * sizeof(*ds));
	if (!ds)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	s->data_sources = ds;
	ds = &s->data_sources[s->n_data_sources];
	memset(ds, 0, sizeof(*ds));
	ds->name = name;
	if (build(&ds->block, err) != 0) {
		block_free(&ds->block);
		return -1;
	}
	s->n_data_sources++;
	return 0;
}

const prov_attr_schema *prov_block_attr(const prov_block_schema *b, const char *name)
{
	for (size_t i = 0; i < b->n_attrs; i++) {
		if (strcmp(b->attrs[i].name, name) == 0)
			return &b->attrs[i];
	}
	return NULL;
}

/* ---- protobuf -------------------------------------------------------------------------- */

/* Everything allocated while building one response, freed together. */
typedef struct arena {
	void **ptrs;
	size_t n, cap;
} arena;

static void *arena_alloc(arena *a, size_t size)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		void **p = realloc(a->ptrs, cap * sizeof(void *));
		if (!p)
			return NULL;
		a->ptrs = p;
		a->cap = cap;
	}
	void *m = calloc(1, size ? size : 1);
	if (m)
		a->ptrs[a->n++] = m;
	return m;
}

static void arena_free(arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->ptrs[i]);
	free(a->ptrs);
}

static Tfplugin6__Schema__Block *pb_block(arena *a, const prov_block_schema *b)
{
	Tfplugin6__Schema__Block *pb = arena_alloc(a, sizeof(*pb));
	if (!pb)
		return NULL;
	tfplugin6__schema__block__init(pb);
	if (b->description) {
		pb->description = (char *)b->description;
		pb->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
	}
	pb->attributes = arena_alloc(a, b->n_attrs * sizeof(*pb->attributes));
	pb->block_types = arena_alloc(a, b->n_blocks * sizeof(*pb->block_types));
	if (!pb->attributes || !pb->block_types)
		return NULL;
	for (size_t i = 0; i < b->n_attrs; i++) {
		const prov_attr_schema *s = &b->attrs[i];
		Tfplugin6__Schema__Attribute *at = arena_alloc(a, sizeof(*at));
		hwims_buf tj = HWIMS_BUF_INIT;
		if (!at || prov_type_to_json(s->type, &tj) != 0) {
			hwims_buf_free(&tj);
			return NULL;
		}
		char *type_json = arena_alloc(a, tj.len + 1);
		if (!type_json) {
			hwims_buf_free(&tj);
			return NULL;
		}
		memcpy(type_json, tj.data, tj.len);
		tfplugin6__schema__attribute__init(at);
		at->name = (char *)s->name;
		at->type.data = (uint8_t *)type_json;
		at->type.len = tj.len;
		hwims_buf_free(&tj);
		at->description = (char *)(s->description ? s->description : "");
		at->description_kind = TFPLUGIN6__STRING_KIND__MARKDOWN;
		at->required = (s->flags & PROV_A_REQUIRED) != 0;
		at->optional = (s->flags & PROV_A_OPTIONAL) != 0;
		at->computed = (s->flags & PROV_A_COMPUTED) != 0;
		at->sensitive = (s->flags & PROV_A_SENSITIVE) != 0;
		at->deprecated = (s->flags & PROV_A_DEPRECATED) != 0;
		pb->attributes[pb->n_attributes++] = at;
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		Tfplugin6__Schema__NestedBlock *nb = arena_alloc(a, sizeof(*nb));
		if (!nb)
			return NULL;
		tfplugin6__schema__nested_block__init(nb);
		nb->type_name = (char *)b->blocks[i].name;
		nb->nesting = (Tfplugin6__Schema__NestedBlock__NestingMode)b->blocks[i].nesting;
		nb->min_items = b->blocks[i].min_items;
		nb->max_items = b->blocks[i].max_items;
		nb->block = pb_block(a, b->blocks[i].block);
		if (!nb->block)
			return NULL;
		pb->block_types[pb->n_block_types++] = nb;
	}
	return pb;
}

static Tfplugin6__Schema *pb_schema(arena *a, const prov_block_schema *b, int64_t version)
{
	Tfplugin6__Schema *s = arena_alloc(a, sizeof(*s));
	if (!s)
		return NULL;
	tfplugin6__schema__init(s);
	s->version = version;
	s->block = pb_block(a, b);
	return s->block ? s : NULL;
}

static uint8_t *pack(const ProtobufCMessage *m, size_t *len)
{
	*len = protobuf_c_message_get_packed_size(m);
	uint8_t *out = malloc(*len ? *len : 1);
	if (out)
		protobuf_c_message_pack(m, out);
	return out;
}

/* The data sources' schema entries, in an arena; NULL only when out of memory. */
static Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry **
pb_data_sources(arena *a, const prov_schemas *s)
{
	Tfplugin6__GetProviderSchema__Response__DataSourceSchemasEntry **entries =
	    arena_alloc(a, s->n_data_sources * sizeof(*entries));
	if (!entries)
		return NULL;
	for (size_t i = 0; i < s->n_data_sources; i++) {
		entries[i] = arena_alloc(a, sizeof(*entries[i]));
		if (!entries[i])
			return NULL;
		tfplugin6__get_provider_schema__response__data_source_schemas_entry__init(
		    entries[i]);
		entries[i]->key = (char *)s->data_sources[i].name;
		entries[i]->value = pb_schema(a, &s->data_sources[i].block, 0);
		if (!entries[i]->value)
			return NULL;
	}
	return entries;
}

int prov_schema_response(const prov_schemas *s, uint8_t **out, size_t *len, hwims_error *err)
{
	arena a = {0};
	Tfplugin6__GetProviderSchema__Response resp;
	tfplugin6__get_provider_schema__response__init(&resp);
	Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry entry;
	tfplugin6__get_provider_schema__response__resource_schemas_entry__init(&entry);
	Tfplugin6__GetProviderSchema__Response__ResourceSchemasEntry *entries[1] = {&entry};
	Tfplugin6__ServerCapabilities caps;
	tfplugin6__server_capabilities__init(&caps);
	/* The schema never depends on configuration, so later processes may reuse a cached copy;
	   destroy needs no provider logic, so terraform may plan it alone. */
	caps.get_provider_schema_optional = 1;
	caps.plan_destroy = 0;

	resp.provider = pb_schema(&a, &s->provider, 0);
	entry.key = PROV_RESOURCE_TYPE;
	entry.value = pb_schema(&a, &s->resource, PROV_RESOURCE_SCHEMA_VERSION);
	resp.n_resource_schemas = 1;
	resp.resource_schemas = entries;
	resp.data_source_schemas = pb_data_sources(&a, s);
	resp.n_data_source_schemas = s->n_data_sources;
	resp.server_capabilities = &caps;
	*out = NULL;
	if (resp.provider && entry.value && resp.data_source_schemas)
		*out = pack(&resp.base, len);
	arena_free(&a);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

int prov_metadata_response(const prov_schemas *s, uint8_t **out, size_t *len, hwims_error *err)
{
	Tfplugin6__GetMetadata__Response resp;
	tfplugin6__get_metadata__response__init(&resp);
	Tfplugin6__ServerCapabilities caps;
	tfplugin6__server_capabilities__init(&caps);
	caps.get_provider_schema_optional = 1;
	Tfplugin6__GetMetadata__ResourceMetadata rm;
	tfplugin6__get_metadata__resource_metadata__init(&rm);
	rm.type_name = PROV_RESOURCE_TYPE;
	Tfplugin6__GetMetadata__ResourceMetadata *rms[1] = {&rm};
	size_t n_ds = s->n_data_sources;
	Tfplugin6__GetMetadata__DataSourceMetadata *dsm = calloc(n_ds ? n_ds : 1, sizeof(*dsm));
	Tfplugin6__GetMetadata__DataSourceMetadata **dsp = calloc(n_ds ? n_ds : 1, sizeof(*dsp));
	*out = NULL;
	if (dsm && dsp) {
		for (size_t i = 0; i < n_ds; i++) {
			tfplugin6__get_metadata__data_source_metadata__init(&dsm[i]);
			dsm[i].type_name = (char *)s->data_sources[i].name;
			dsp[i] = &dsm[i];
		}
		resp.server_capabilities = &caps;
		resp.n_resources = 1;
		resp.resources = rms;
		resp.n_data_sources = n_ds;
		resp.data_sources = dsp;
		*out = pack(&resp.base, len);
	}
	free(dsm);
	free(dsp);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}
