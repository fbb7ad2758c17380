/*
 * The data sources huaweicloud_images_image and huaweicloud_images_images through the RPC frame:
 * the schema Terraform sees (every documented name and type), the plan-time checks and their
 * attribute paths, and reads against a real imsd with its default seed (one image, none,
 * several with and without most_recent, a result spanning many pages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hwims_test.h"
#include "prov_provider.h"
#include "prov_rpc.h"

#define DEMO_AK "HWIMSDEMOACCESSKEY01"
#define DEMO_SK "hwimsDemoSecretKey0123456789abcdefghijklm"
#define ONE     "huaweicloud_images_image"
#define MANY    "huaweicloud_images_images"

static char *const no_env[] = {NULL};

typedef struct fx {
	prov_provider p;
	hwims_test_imsd imsd;
	int imsd_running;
} fx;

static ProtobufCMessage *call(fx *f, prov_handler_fn handler, const ProtobufCMessage *m,
                              const ProtobufCMessageDescriptor *desc)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(len + 1);
	protobuf_c_message_pack(m, buf);
	prov_reply reply = {.status = GRPC_STATUS_OK};
	handler(&f->p, buf, len, &reply);
	assert_int_equal(reply.status, GRPC_STATUS_OK);
	ProtobufCMessage *r = protobuf_c_message_unpack(desc, NULL, reply.len, reply.data);
	assert_non_null(r);
	free(buf);
	free(reply.data);
	return r;
}

static const prov_block_schema *ds_schema(fx *f, const char *name)
{
	for (size_t i = 0; i < f->p.schemas.n_data_sources; i++)
		if (strcmp(f->p.schemas.data_sources[i].name, name) == 0)
			return &f->p.schemas.data_sources[i].block;
	fail_msg("no data source %s", name);
	return NULL;
}

static prov_value *from_json(const prov_type *t, const char *json)
{
	prov_value *v = NULL;
	hwims_error err;
	if (prov_value_from_json(t, json, strlen(json), &v, &err) != 0)
		fail_msg("%s: %s", json, err.message);
	return v;
}

static void configure(fx *f)
{
	char json[1024];
	snprintf(json, sizeof(json),
	         "{\"region\":\"cn-north-4\",\"access_key\":\"" DEMO_AK "\",\"secret_key\":"
	         "\"" DEMO_SK "\",\"max_retries\":2,\"endpoints\":{\"ims\":\"%s/{region}/\","
	         "\"iam\":\"%s/iam/\",\"eps\":\"%s/eps/\"}}",
	         f->imsd.base_url, f->imsd.base_url, f->imsd.base_url);
	prov_value *cfg = from_json(f->p.schemas.provider.implied, json);
	Tfplugin6__DynamicValue dv;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_dv_encode(cfg, f->p.schemas.provider.implied, &dv, &b, &err), 0);
	Tfplugin6__ConfigureProvider__Request rq;
	tfplugin6__configure_provider__request__init(&rq);
	rq.terraform_version = "1.9.0";
	rq.config = &dv;
	Tfplugin6__ConfigureProvider__Response *r = (Tfplugin6__ConfigureProvider__Response *)call(
	    f, prov_rpc_configure_provider, &rq.base,
	    &tfplugin6__configure_provider__response__descriptor);
	assert_int_equal(r->n_diagnostics, 0);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	hwims_buf_free(&b);
	prov_value_free(cfg);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	hwims_error err;
	if (!f || prov_provider_init(&f->p, NULL, no_env, &err) != 0)
		return -1;
	*state = f;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0)
		return 0;
	if (hwims_test_imsd_start(&f->imsd, NULL, 1000, NULL) != 0)
		return -1;
	f->imsd_running = 1;
	configure(f);
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	prov_provider_destroy(&f->p);
	if (f->imsd_running)
		hwims_test_imsd_stop(&f->imsd);
	free(f);
	return 0;
}

/* ---- the schema ---- */

static Tfplugin6__Schema__Block *served_block(Tfplugin6__GetProviderSchema__Response *r,
                                              const char *name)
{
	for (size_t i = 0; i < r->n_data_source_schemas; i++)
		if (strcmp(r->data_source_schemas[i]->key, name) == 0)
			return r->data_source_schemas[i]->value->block;
	fail_msg("GetProviderSchema does not serve %s", name);
	return NULL;
}

/* Every name in want ("name=type-json", NULL-terminated) is an attribute of b with that type,
   and b has no others. */
static void has_exactly(const Tfplugin6__Schema__Block *b, const char *const *want)
{
	size_t n = 0;
	for (; want[n]; n++) {
		const char *eq = strchr(want[n], '=');
		size_t k = 0;
		while (k < b->n_attributes &&
		       (strlen(b->attributes[k]->name) != (size_t)(eq - want[n]) ||
		        strncmp(b->attributes[k]->name, want[n], eq - want[n])))
			k++;
		if (k == b->n_attributes)
			fail_msg("attribute %.*s missing", (int)(eq - want[n]), want[n]);
		const ProtobufCBinaryData *t = &b->attributes[k]->type;
		if (t->len != strlen(eq + 1) || memcmp(t->data, eq + 1, t->len) != 0)
			fail_msg("%s: type %.*s", want[n], (int)t->len, (const char *)t->data);
	}
	assert_int_equal(b->n_attributes, n);
}

#define ARGS                                                                                       \
	"region=\"string\"", "image_id=\"string\"", "name=\"string\"", "name_regex=\"string\"",    \
	    "image_type=\"string\"", "is_whole_image=\"bool\"", "visibility=\"string\"",           \
	    "owner=\"string\"", "flavor_id=\"string\"", "sort_key=\"string\"",                     \
	    "sort_direction=\"string\"", "os=\"string\"", "architecture=\"string\"",               \
	    "tag=\"string\"", "enterprise_project_id=\"string\""
#define IMAGE_ATTRS                                                                                \
	"os_version=\"string\"", "file=\"string\"", "schema=\"string\"", "status=\"string\"",      \
	    "description=\"string\"", "protected=\"bool\"", "container_format=\"string\"",         \
	    "min_ram_mb=\"number\"", "max_ram_mb=\"number\"", "min_disk_gb=\"number\"",            \
	    "disk_format=\"string\"", "data_origin=\"string\"", "backup_id=\"string\"",            \
	    "size_bytes=\"number\"", "active_at=\"string\"", "created_at=\"string\"",              \
	    "updated_at=\"string\""

static void both_are_served_with_every_documented_attribute(void **state)
{
	fx *f = *state;
	uint8_t *data;
	size_t len;
	hwims_error err;
	assert_int_equal(prov_schema_response(&f->p.schemas, &data, &len, &err), 0);
	Tfplugin6__GetProviderSchema__Response *r =
	    (Tfplugin6__GetProviderSchema__Response *)protobuf_c_message_unpack(
	        &tfplugin6__get_provider_schema__response__descriptor, NULL, len, data);
	free(data);
	assert_non_null(r);
	static const char *const one[] = {ARGS, "most_recent=\"bool\"", "id=\"string\"",
	                                  IMAGE_ATTRS, NULL};
	has_exactly(served_block(r, ONE), one);
	static const char *const many[] = {
	    ARGS, "__support_agent_list=\"string\"", "id=\"string\"",
	    "images=[\"list\",[\"object\",{\"__support_agent_list\":\"string\",\"active_at\":"
	    "\"string\",\"architecture\":\"string\",\"backup_id\":\"string\",\"container_format\":"
	    "\"string\",\"created_at\":\"string\",\"data_origin\":\"string\",\"description\":"
	    "\"string\",\"disk_format\":\"string\",\"enterprise_project_id\":\"string\",\"file\":"
	    "\"string\",\"id\":\"string\",\"image_type\":\"string\",\"max_ram_mb\":\"number\","
	    "\"min_disk_gb\":\"number\",\"min_ram_mb\":\"number\",\"name\":\"string\",\"os\":"
	    "\"string\",\"os_version\":\"string\",\"owner\":\"string\",\"protected\":\"bool\","
	    "\"schema\":\"string\",\"size_bytes\":\"number\",\"status\":\"string\",\"updated_at\":"
	    "\"string\",\"visibility\":\"string\"}]]",
	    NULL};
	has_exactly(served_block(r, MANY), many);
	/* arguments are optional; what a read fills in is computed, and nothing is required */
	Tfplugin6__Schema__Block *b = served_block(r, ONE);
	for (size_t i = 0; i < b->n_attributes; i++)
		assert_false(b->attributes[i]->required);
	protobuf_c_message_free_unpacked(&r->base, NULL);
}

/* ---- validation ---- */

static Tfplugin6__ValidateDataResourceConfig__Response *validate(fx *f, const char *type,
                                                                 const prov_value *config)
{
	Tfplugin6__ValidateDataResourceConfig__Request rq;
	tfplugin6__validate_data_resource_config__request__init(&rq);
	Tfplugin6__DynamicValue c;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_dv_encode(config, ds_schema(f, type)->implied, &c, &b, &err), 0);
	rq.type_name = (char *)type;
	rq.config = &c;
	Tfplugin6__ValidateDataResourceConfig__Response *r =
	    (Tfplugin6__ValidateDataResourceConfig__Response *)call(
	        f, prov_rpc_validate_data_resource_config, &rq.base,
	        &tfplugin6__validate_data_resource_config__response__descriptor);
	hwims_buf_free(&b);
	return r;
}

/* config (JSON) of type gets one error at attribute whose detail holds words; NULL attribute:
   no diagnostics at all. */
static void expect_validation(fx *f, const char *type, const char *json, const char *attribute,
                              const char *words)
{
	prov_value *config = from_json(ds_schema(f, type)->implied, json);
	Tfplugin6__ValidateDataResourceConfig__Response *r = validate(f, type, config);
	if (!attribute) {
		if (r->n_diagnostics)
			fail_msg("%s: %s", json, r->diagnostics[0]->detail);
	} else {
		if (r->n_diagnostics != 1)
			fail_msg("%s: %zu diagnostics", json, r->n_diagnostics);
		Tfplugin6__Diagnostic *d = r->diagnostics[0];
		assert_int_equal(d->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
		assert_non_null(d->attribute);
		assert_string_equal(d->attribute->steps[0]->attribute_name, attribute);
		if (!strstr(d->detail, words))
			fail_msg("%s: detail \"%s\" lacks \"%s\"", json, d->detail, words);
	}
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_value_free(config);
}

static void plan_time_checks_point_at_the_argument(void **state)
{
	fx *f = *state;
	const char *types[] = {ONE, MANY};
	for (int i = 0; i < 2; i++) {
		expect_validation(f, types[i], "{\"name\":\"a\",\"name_regex\":\"^a\"}",
		                  "name_regex", "cannot be used together");
		expect_validation(f, types[i], "{\"name_regex\":\"(unclosed\"}", "name_regex",
		                  "POSIX extended regular expression");
		expect_validation(f, types[i], "{\"visibility\":\"everyone\"}", "visibility",
		                  "public, private, market, shared");
		expect_validation(f, types[i], "{\"image_type\":\"Vm\"}", "image_type",
		                  "FusionCompute");
		expect_validation(f, types[i], "{\"architecture\":\"mips\"}", "architecture",
		                  "x86");
		expect_validation(f, types[i], "{\"sort_key\":\"owner\"}", "sort_key",
		                  "created_at");
		expect_validation(f, types[i], "{\"sort_direction\":\"up\"}", "sort_direction",
		                  "asc");
		expect_validation(f, types[i], "{\"tag\":\"=v\"}", "tag", "Key=Value");
		expect_validation(f, types[i], "{\"name_regex\":\"^Ubuntu (20|22)\\\\.04\"}", NULL,
		                  NULL);
		/* an unknown value is checked once it is known, not before */
		prov_value *cfg = from_json(ds_schema(f, types[i])->implied, "{\"name\":\"a\"}");
		prov_value_set_attr(cfg, "name_regex", prov_value_unknown(&prov_type_string));
		Tfplugin6__ValidateDataResourceConfig__Response *r = validate(f, types[i], cfg);
		assert_int_equal(r->n_diagnostics, 0);
		protobuf_c_message_free_unpacked(&r->base, NULL);
		prov_value_free(cfg);
	}
}

/* ---- reads ---- */

typedef struct read_result {
	Tfplugin6__ReadDataSource__Response *resp;
	prov_value *state; /* NULL when the answer has none */
} read_result;

static void do_read(fx *f, const char *type, const prov_value *config, read_result *out)
{
	const prov_type *t = ds_schema(f, type)->implied;
	Tfplugin6__ReadDataSource__Request rq;
	tfplugin6__read_data_source__request__init(&rq);
	Tfplugin6__DynamicValue c;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_dv_encode(config, t, &c, &b, &err), 0);
	rq.type_name = (char *)type;
	rq.config = &c;
	out->resp = (Tfplugin6__ReadDataSource__Response *)call(
	    f, prov_rpc_read_data_source, &rq.base,
	    &tfplugin6__read_data_source__response__descriptor);
	out->state = NULL;
	if (out->resp->state)
		assert_int_equal(prov_dv_decode(out->resp->state, t, &out->state, &err), 0);
	hwims_buf_free(&b);
}

static void read_json(fx *f, const char *type, const char *json, read_result *out)
{
	prov_value *config = from_json(ds_schema(f, type)->implied, json);
	do_read(f, type, config, out);
	prov_value_free(config);
}

static void read_free(read_result *r)
{
	protobuf_c_message_free_unpacked(&r->resp->base, NULL);
	prov_value_free(r->state);
}

static const char *str(const prov_value *obj, const char *name)
{
	const char *s = prov_value_str(prov_value_attr(obj, name));
	if (!s)
		fail_msg("%s is not a known string", name);
	return s;
}

static void no_diagnostics(const read_result *r)
{
	if (r->resp->n_diagnostics)
		fail_msg("%s: %s", r->resp->diagnostics[0]->summary,
		         r->resp->diagnostics[0]->detail);
	assert_non_null(r->state);
}

#define SKIP_WITHOUT_IMSD(f)                                                                       \
	do {                                                                                       \
		if (!(f)->imsd_running)                                                            \
			skip();                                                                    \
	} while (0)

static void one_image_by_name(void **state)
{
	fx *f = *state;
	SKIP_WITHOUT_IMSD(f);
	read_result r;
	read_json(f, ONE, "{\"name\":\"Ubuntu 22.04 server 64bit\",\"visibility\":\"public\"}", &r);
	no_diagnostics(&r);
	assert_string_equal(str(r.state, "id"), "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06");
	assert_string_equal(str(r.state, "image_id"), "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06");
	assert_string_equal(str(r.state, "region"), "cn-north-4");
	assert_string_equal(str(r.state, "os"), "Ubuntu");
	assert_string_equal(str(r.state, "architecture"), "x86");
	assert_string_equal(str(r.state, "image_type"), "FusionCompute");
	assert_string_equal(str(r.state, "status"), "active");
	assert_true(prov_value_wholly_known(r.state));
	read_free(&r);
}

static void none_and_several_say_what_to_do(void **state)
{
	fx *f = *state;
	SKIP_WITHOUT_IMSD(f);
	read_result r;
	read_json(f, ONE, "{\"name\":\"no such image\"}", &r);
	assert_null(r.state);
	assert_int_equal(r.resp->n_diagnostics, 1);
	assert_string_equal(r.resp->diagnostics[0]->summary, "No image found");
	assert_non_null(strstr(r.resp->diagnostics[0]->detail, "no results"));
	read_free(&r);

	read_json(f, ONE, "{\"os\":\"Ubuntu\",\"visibility\":\"public\"}", &r);
	assert_null(r.state);
	assert_int_equal(r.resp->n_diagnostics, 1);
	assert_string_equal(r.resp->diagnostics[0]->summary, "More than one image found");
	assert_non_null(strstr(r.resp->diagnostics[0]->detail, "most_recent = true"));
	assert_string_equal(r.resp->diagnostics[0]->attribute->steps[0]->attribute_name,
	                    "most_recent");
	read_free(&r);

	/* the newest of the public Ubuntu images in cn-north-4 is the Arm one (2025-10-02) */
	read_json(f, ONE, "{\"os\":\"Ubuntu\",\"visibility\":\"public\",\"most_recent\":true}", &r);
	no_diagnostics(&r);
	assert_string_equal(str(r.state, "name"), "Ubuntu 22.04 server 64bit for Arm");
	assert_string_equal(str(r.state, "architecture"), "arm");
	read_free(&r);
}

static void many_images_are_paged_through(void **state)
{
	fx *f = *state;
	SKIP_WITHOUT_IMSD(f);
	read_result r;
	read_json(f, MANY, "{\"region\":\"ap-southeast-1\",\"name_regex\":\"^nightly-backup-\"}",
	          &r);
	no_diagnostics(&r);
	const prov_value *images = prov_value_attr(r.state, "images");
	assert_int_equal(images->u.coll.n, 520);
	assert_string_equal(str(r.state, "region"), "ap-southeast-1");
	/* sorted by name, ascending, by default */
	for (size_t i = 1; i < images->u.coll.n; i++)
		assert_true(strcmp(str(images->u.coll.items[i - 1], "name"),
		                   str(images->u.coll.items[i], "name")) <= 0);
	read_free(&r);

	read_json(f, MANY, "{\"name\":\"no such image\"}", &r);
	no_diagnostics(&r);
	assert_int_equal(prov_value_attr(r.state, "images")->u.coll.n, 0);
	read_free(&r);

	read_json(f, MANY, "{\"visibility\":\"public\",\"architecture\":\"arm\"}", &r);
	no_diagnostics(&r);
	images = prov_value_attr(r.state, "images");
	assert_int_equal(images->u.coll.n, 2);
	for (size_t i = 0; i < images->u.coll.n; i++) {
		assert_string_equal(str(images->u.coll.items[i], "architecture"), "arm");
		assert_string_equal(str(images->u.coll.items[i], "visibility"), "public");
	}
	read_free(&r);
}

static void a_read_with_unknowns_is_refused(void **state)
{
	fx *f = *state;
	prov_value *cfg = from_json(ds_schema(f, ONE)->implied, "{}");
	prov_value_set_attr(cfg, "name", prov_value_unknown(&prov_type_string));
	read_result r;
	do_read(f, ONE, cfg, &r);
	assert_null(r.state);
	assert_int_equal(r.resp->n_diagnostics, 1);
	assert_string_equal(r.resp->diagnostics[0]->summary, "Configuration not known yet");
	read_free(&r);
	prov_value_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(both_are_served_with_every_documented_attribute),
	    cmocka_unit_test(plan_time_checks_point_at_the_argument),
	    cmocka_unit_test(one_image_by_name),
	    cmocka_unit_test(none_and_several_say_what_to_do),
	    cmocka_unit_test(many_images_are_paged_through),
	    cmocka_unit_test(a_read_with_unknowns_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
