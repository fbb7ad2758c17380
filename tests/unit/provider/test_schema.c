/* Unit tests for the schemas (schema.c): the rules Terraform enforces when it loads a provider
   schema (reference section 4), and the contents the spec asks for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "prov_schema.h"
#include "tfplugin6.pb-c.h"

static Tfplugin6__GetProviderSchema__Response *fetch(prov_schemas *s)
{
	hwims_error err;
	assert_int_equal(prov_schemas_build(s, &err), 0);
	uint8_t *data;
	size_t len;
	assert_int_equal(prov_schema_response(s, &data, &len, &err), 0);
	Tfplugin6__GetProviderSchema__Response *r =
	    (Tfplugin6__GetProviderSchema__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_provider_schema__response__descriptor, NULL, len, data);
	free(data);
	assert_non_null(r);
	return r;
}

/* configschema.InternalValidate, as far as this provider's schema can exercise it. */
static void check_block(const Tfplugin6__Schema__Block *b)
{
	assert_non_null(b);
	regex_t re;
	regcomp(&re, "^[a-z0-9_]+$", REG_EXTENDED | REG_NOSUB);
	for (size_t i = 0; i < b->n_attributes; i++) {
		const Tfplugin6__Schema__Attribute *a = b->attributes[i];
		assert_int_equal(regexec(&re, a->name, 0, NULL, 0), 0);
		assert_true(a->required || a->optional || a->computed);
		assert_false(a->required && a->optional);
		assert_false(a->required && a->computed);
		/* exactly one of type / nested_type, and the type JSON parses */
		assert_null(a->nested_type);
		assert_true(a->type.len > 0);
		prov_type *t = NULL;
		hwims_error err;
		if (prov_type_from_json((const char *)a->type.data, a->type.len, &t, &err) != 0)
			fail_msg("attribute %s: type %.*s: %s", a->name, (int)a->type.len,
			         (const char *)a->type.data, err.message);
		prov_type_unref(t);
		assert_false(a->write_only);
		for (size_t k = 0; k < b->n_block_types; k++)
			assert_string_not_equal(a->name, b->block_types[k]->type_name);
		for (size_t k = i + 1; k < b->n_attributes; k++)
			assert_string_not_equal(a->name, b->attributes[k]->name);
	}
	for (size_t i = 0; i < b->n_block_types; i++) {
		const Tfplugin6__Schema__NestedBlock *nb = b->block_types[i];
		assert_int_equal(regexec(&re, nb->type_name, 0, NULL, 0), 0);
		assert_int_not_equal(nb->nesting,
		                     TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__INVALID);
		assert_true(nb->min_items >= 0 && nb->max_items >= 0);
		if (nb->nesting == TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__SINGLE)
			assert_true(nb->min_items == nb->max_items && nb->min_items <= 1);
		check_block(nb->block);
	}
	regfree(&re);
}

static const Tfplugin6__Schema__Attribute *attr(const Tfplugin6__Schema__Block *b, const char *name)
{
	for (size_t i = 0; i < b->n_attributes; i++) {
		if (strcmp(b->attributes[i]->name, name) == 0)
			return b->attributes[i];
	}
	fail_msg("no attribute %s", name);
	return NULL;
}

static void type_is(const Tfplugin6__Schema__Attribute *a, const char *json)
{
	assert_int_equal(a->type.len, strlen(json));
	assert_memory_equal(a->type.data, json, a->type.len);
}

static void schema_passes_terraform_rules(void **state)
{
	(void)state;
	prov_schemas s;
	Tfplugin6__GetProviderSchema__Response *r = fetch(&s);
	assert_non_null(r->provider);
	assert_int_equal(r->provider->version, 0);
	check_block(r->provider->block);
	assert_int_equal(r->n_resource_schemas, 1);
	assert_string_equal(r->resource_schemas[0]->key, "huaweicloud_images_image_copy");
	const Tfplugin6__Schema *rs = r->resource_schemas[0]->value;
	assert_non_null(rs);
	assert_int_equal(rs->version, PROV_RESOURCE_SCHEMA_VERSION);
	assert_true(rs->version >= 0);
	check_block(rs->block);
	assert_int_equal(r->n_diagnostics, 0);
	assert_non_null(r->server_capabilities);
	assert_false(r->server_capabilities->plan_destroy);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_schemas_free(&s);
}

static void provider_block_has_the_settings(void **state)
{
	(void)state;
	prov_schemas s;
	Tfplugin6__GetProviderSchema__Response *r = fetch(&s);
	const Tfplugin6__Schema__Block *b = r->provider->block;
	const char *strings[] = {
	    "region",     "access_key", "secret_key",           "security_token",
	    "project_id", "cloud",      "enterprise_project_id"};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		const Tfplugin6__Schema__Attribute *a = attr(b, strings[i]);
		type_is(a, "\"string\"");
		assert_true(a->optional);
		assert_false(a->required || a->computed);
		assert_true(strlen(a->description) > 0);
	}
	assert_true(attr(b, "secret_key")->sensitive);
	assert_true(attr(b, "security_token")->sensitive);
	assert_false(attr(b, "region")->sensitive);
	type_is(attr(b, "endpoints"), "[\"map\",\"string\"]");
	type_is(attr(b, "insecure"), "\"bool\"");
	type_is(attr(b, "max_retries"), "\"number\"");
	/* the complete list, against the official schema: test_provider_block.c */
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_schemas_free(&s);
}

static void resource_follows_the_attribute_table(void **state)
{
	(void)state;
	prov_schemas s;
	Tfplugin6__GetProviderSchema__Response *r = fetch(&s);
	const Tfplugin6__Schema__Block *b = r->resource_schemas[0]->value->block;
	size_t count;
	const hwims_attr *rows = hwims_attrs(&count);
	assert_int_equal(b->n_attributes, count + 1);
	for (size_t i = 0; i < count; i++) {
		const Tfplugin6__Schema__Attribute *a = attr(b, rows[i].name);
		assert_int_equal(a->required, (rows[i].flags & HWIMS_ATTR_REQUIRED) != 0);
		assert_int_equal(a->optional, (rows[i].flags & HWIMS_ATTR_OPTIONAL) != 0);
		assert_int_equal(a->computed, (rows[i].flags & HWIMS_ATTR_COMPUTED) != 0);
		assert_int_equal(a->sensitive, (rows[i].flags & HWIMS_ATTR_SENSITIVE) != 0);
		assert_int_equal(a->deprecated, (rows[i].flags & HWIMS_ATTR_DEPRECATED) != 0);
		assert_string_equal(a->description, rows[i].description);
		const char *want = rows[i].type == HWIMS_ATTR_BOOL         ? "\"bool\""
		                   : rows[i].type == HWIMS_ATTR_INT        ? "\"number\""
		                   : rows[i].type == HWIMS_ATTR_STRING_MAP ? "[\"map\",\"string\"]"
		                                                           : "\"string\"";
		type_is(a, want);
	}
	/* spot checks against the spec */
	assert_true(attr(b, "source_image_id")->required);
	assert_true(attr(b, "name")->required);
	assert_true(attr(b, "description")->optional);
	assert_true(attr(b, "description")->computed); /* as the official schema */
	assert_true(attr(b, "tags")->optional && attr(b, "tags")->computed);
	assert_true(attr(b, "status")->computed);
	/* SDKv2's id: optional + computed string */
	const Tfplugin6__Schema__Attribute *id = attr(b, "id");
	type_is(id, "\"string\"");
	assert_true(id->optional && id->computed);
	/* timeouts: SINGLE block of optional strings create and delete */
	assert_int_equal(b->n_block_types, 1);
	const Tfplugin6__Schema__NestedBlock *t = b->block_types[0];
	assert_string_equal(t->type_name, "timeouts");
	assert_int_equal(t->nesting, TFPLUGIN6__SCHEMA__NESTED_BLOCK__NESTING_MODE__SINGLE);
	assert_int_equal(t->block->n_attributes, 2);
	for (size_t i = 0; i < 2; i++) {
		const Tfplugin6__Schema__Attribute *a = t->block->attributes[i];
		assert_true(strcmp(a->name, "create") == 0 || strcmp(a->name, "delete") == 0);
		type_is(a, "\"string\"");
		assert_true(a->optional && !a->computed && !a->required);
	}
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_schemas_free(&s);
}

static void implied_type_covers_attributes_and_blocks(void **state)
{
	(void)state;
	prov_schemas s;
	hwims_error err;
	assert_int_equal(prov_schemas_build(&s, &err), 0);
	const prov_type *t = s.resource.implied;
	assert_int_equal(t->kind, PROV_T_OBJECT);
	assert_int_equal(t->n, s.resource.n_attrs + 1);
	int ti = prov_type_attr_index(t, "timeouts");
	assert_true(ti >= 0);
	assert_int_equal(t->types[ti]->kind, PROV_T_OBJECT);
	assert_int_equal(t->types[prov_type_attr_index(t, "tags")]->kind, PROV_T_MAP);
	prov_schemas_free(&s);
}

static void metadata_names_the_resource(void **state)
{
	(void)state;
	uint8_t *data;
	size_t len;
	hwims_error err;
	prov_schemas s;
	assert_int_equal(prov_schemas_build(&s, &err), 0);
	assert_int_equal(prov_metadata_response(&s, &data, &len, &err), 0);
	prov_schemas_free(&s);
	Tfplugin6__GetMetadata__Response *r =
	    (Tfplugin6__GetMetadata__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_metadata__response__descriptor, NULL, len, data);
	assert_non_null(r);
	assert_int_equal(r->n_resources, 1);
	assert_string_equal(r->resources[0]->type_name, "huaweicloud_images_image_copy");
	assert_non_null(r->server_capabilities);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	free(data);
}

/* A data source's block, as its data_source_<name>.c would build it. */
static int build_test_data_source(prov_block_schema *b, hwims_error *err)
{
	static const prov_attr_def attrs[] = {
	    {"name", 's', PROV_A_REQUIRED, "The image name."},
	    {"id", 's', PROV_A_COMPUTED, "The image ID."},
	};
	if (prov_block_build(b, attrs, 2, "Finds one image.") != 0)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

/* What prov_provider_init does for each entry of the data source table. */
static void data_sources_are_served(void **state)
{
	(void)state;
	prov_schemas s;
	hwims_error err;
	assert_int_equal(prov_schemas_build(&s, &err), 0);
	assert_int_equal(prov_schemas_add_data_source(&s, "huaweicloud_test_image",
	                                              build_test_data_source, &err),
	                 0);
	uint8_t *data;
	size_t len;
	assert_int_equal(prov_schema_response(&s, &data, &len, &err), 0);
	Tfplugin6__GetProviderSchema__Response *r =
	    (Tfplugin6__GetProviderSchema__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_provider_schema__response__descriptor, NULL, len, data);
	free(data);
	assert_non_null(r);
	assert_int_equal(r->n_data_source_schemas, 1);
	assert_string_equal(r->data_source_schemas[0]->key, "huaweicloud_test_image");
	check_block(r->data_source_schemas[0]->value->block);
	assert_int_equal(r->data_source_schemas[0]->value->block->n_attributes, 2);
	assert_int_equal(r->n_resource_schemas, 1);
	protobuf_c_message_free_unpacked(&r->base, NULL);

	assert_int_equal(prov_metadata_response(&s, &data, &len, &err), 0);
	Tfplugin6__GetMetadata__Response *m =
	    (Tfplugin6__GetMetadata__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_metadata__response__descriptor, NULL, len, data);
	free(data);
	assert_non_null(m);
	assert_int_equal(m->n_data_sources, 1);
	assert_string_equal(m->data_sources[0]->type_name, "huaweicloud_test_image");
	protobuf_c_message_free_unpacked(&m->base, NULL);
	prov_schemas_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(schema_passes_terraform_rules),
	    cmocka_unit_test(provider_block_has_the_settings),
	    cmocka_unit_test(resource_follows_the_attribute_table),
	    cmocka_unit_test(implied_type_covers_attributes_and_blocks),
	    cmocka_unit_test(metadata_names_the_resource),
	    cmocka_unit_test(data_sources_are_served),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
