/*
 * Unit tests for huaweicloud_images_image_copy's protocol handlers that need no API
 * (resource_image_copy_*.c, called through the RPC frame): plan semantics Terraform checks,
 * validation diagnostics with attribute paths, and state upgrades from the Go provider and from
 * this one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_provider.h"
#include "prov_rpc.h"
#include "prov_state.h"

static char *const no_env[] = {NULL};

typedef struct fx {
	prov_provider p;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	hwims_error err;
	if (prov_provider_init(&f->p, NULL, no_env, &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	prov_provider_destroy(&f->p);
	free(f);
	return 0;
}

static prov_type *rt(fx *f)
{
	return f->p.schemas.resource.implied;
}

static prov_value *obj(fx *f, const char *json)
{
	prov_value *v = NULL;
	hwims_error err;
	if (prov_value_from_json(rt(f), json, strlen(json), &v, &err) != 0)
		fail_msg("%s: %s", json, err.message);
	return v;
}

/* A complete prior state as a create would have left it. */
static const char *prior_json =
    "{\"id\":\"img-1\",\"region\":\"cn-north-4\",\"source_image_id\":\"src-1\","
    "\"name\":\"copy\",\"kms_key_id\":null,\"enterprise_project_id\":\"0\","
    "\"min_ram\":0,\"max_ram\":0,\"status\":\"active\",\"updated_at\":\"2026-01-01T00:00:00Z\","
    "\"protected\":false,\"min_disk\":40,\"tags\":null,\"description\":null}";

static void dv(fx *f, const prov_value *v, Tfplugin6__DynamicValue *out, hwims_buf *b)
{
	hwims_error err;
	assert_int_equal(prov_dv_encode(v, rt(f), out, b, &err), 0);
}

typedef struct plan_result {
	Tfplugin6__PlanResourceChange__Response *resp;
	prov_value *planned;
} plan_result;

static void do_plan(fx *f, const prov_value *prior, const prov_value *proposed,
                    const prov_value *config, plan_result *out)
{
	Tfplugin6__PlanResourceChange__Request rq;
	tfplugin6__plan_resource_change__request__init(&rq);
	Tfplugin6__DynamicValue a, b, c;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT, bc = HWIMS_BUF_INIT;
	dv(f, prior, &a, &ba);
	dv(f, proposed, &b, &bb);
	dv(f, config, &c, &bc);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.prior_state = &a;
	rq.proposed_new_state = &b;
	rq.config = &c;
	size_t len = protobuf_c_message_get_packed_size(&rq.base);
	uint8_t *buf = malloc(len + 1);
	protobuf_c_message_pack(&rq.base, buf);
	prov_reply reply = {.status = GRPC_STATUS_OK};
	prov_rpc_plan_resource_change(&f->p, buf, len, &reply);
	assert_int_equal(reply.status, GRPC_STATUS_OK);
	out->resp = (Tfplugin6__PlanResourceChange__Response *)protobuf_c_message_unpack(
	    &tfplugin6__plan_resource_change__response__descriptor, NULL, reply.len, reply.data);
	assert_non_null(out->resp);
	out->planned = NULL;
	hwims_error err;
	assert_int_equal(prov_dv_decode(out->resp->planned_state, rt(f), &out->planned, &err), 0);
	free(buf);
	free(reply.data);
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	hwims_buf_free(&bc);
}

static void plan_free(plan_result *r)
{
	protobuf_c_message_free_unpacked(&r->resp->base, NULL);
	prov_value_free(r->planned);
}

static int state_of(const prov_value *v, const char *name)
{
	const prov_value *a = prov_value_attr(v, name);
	assert_non_null(a);
	return a->state;
}

static void create_plan_marks_unpredictable_values_unknown(void **state)
{
	fx *f = *state;
	prov_value *null = prov_value_null(rt(f));
	prov_value *config = obj(f, "{\"source_image_id\":\"src-1\",\"name\":\"copy\"}");
	plan_result r;
	do_plan(f, null, config, config, &r);
	assert_int_equal(r.resp->n_diagnostics, 0);
	assert_int_equal(state_of(r.planned, "id"), PROV_UNKNOWN);
	assert_int_equal(state_of(r.planned, "status"), PROV_UNKNOWN);
	assert_int_equal(state_of(r.planned, "min_ram"), PROV_UNKNOWN);
	assert_int_equal(state_of(r.planned, "kms_key_id"), PROV_UNKNOWN);
	/* region: the provider's, unknown here because no provider region is configured */
	assert_int_equal(state_of(r.planned, "region"), PROV_UNKNOWN);
	/* configured values are known and unchanged; description and tags are computed as in the
	   official schema (the copy's, or the default tags merged in) */
	assert_string_equal(prov_value_str(prov_value_attr(r.planned, "name")), "copy");
	assert_int_equal(state_of(r.planned, "description"), PROV_UNKNOWN);
	assert_int_equal(state_of(r.planned, "tags"), PROV_UNKNOWN);
	assert_int_equal(state_of(r.planned, "timeouts"), PROV_NULL);
	/* what the API never returns stays as configured (null), not unknown */
	assert_int_equal(state_of(r.planned, "agency_name"), PROV_NULL);
	assert_int_equal(state_of(r.planned, "vault_id"), PROV_NULL);
	assert_int_equal(state_of(r.planned, "target_region"), PROV_NULL);
	assert_int_equal(r.resp->n_requires_replace, 0);
	assert_false(r.resp->legacy_type_system);
	plan_free(&r);
	prov_value_free(null);
	prov_value_free(config);
}

/* Terraform's proposed new state: config where set, prior for computed attributes left null. */
static prov_value *proposed_of(fx *f, const prov_value *prior, const prov_value *config)
{
	prov_value *p = prov_value_clone(config);
	const prov_block_schema *rs = &f->p.schemas.resource;
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_value *cv = prov_value_attr(config, rs->attrs[i].name);
		if ((rs->attrs[i].flags & PROV_A_COMPUTED) && prov_value_is_null(cv))
			prov_value_set_attr(
			    p, rs->attrs[i].name,
			    prov_value_clone(prov_value_attr(prior, rs->attrs[i].name)));
	}
	return p;
}

static void unchanged_config_plans_no_change(void **state)
{
	fx *f = *state;
	prov_value *prior = obj(f, prior_json);
	prov_value *config = obj(f, "{\"source_image_id\":\"src-1\",\"name\":\"copy\"}");
	prov_value *proposed = proposed_of(f, prior, config);
	plan_result r;
	do_plan(f, prior, proposed, config, &r);
	assert_true(prov_value_equal(r.planned, prior));
	assert_int_equal(r.resp->n_requires_replace, 0);
	plan_free(&r);
	prov_value_free(prior);
	prov_value_free(config);
	prov_value_free(proposed);
}

static void rename_updates_in_place(void **state)
{
	fx *f = *state;
	prov_value *prior = obj(f, prior_json);
	prov_value *config = obj(f, "{\"source_image_id\":\"src-1\",\"name\":\"new-name\"}");
	prov_value *proposed = proposed_of(f, prior, config);
	plan_result r;
	do_plan(f, prior, proposed, config, &r);
	assert_int_equal(r.resp->n_requires_replace, 0);
	assert_string_equal(prov_value_str(prov_value_attr(r.planned, "name")), "new-name");
	/* the service stamps the update; everything else keeps its prior value */
	assert_int_equal(state_of(r.planned, "updated_at"), PROV_UNKNOWN);
	assert_string_equal(prov_value_str(prov_value_attr(r.planned, "id")), "img-1");
	assert_string_equal(prov_value_str(prov_value_attr(r.planned, "status")), "active");
	plan_free(&r);
	prov_value_free(prior);
	prov_value_free(config);
	prov_value_free(proposed);
}

static void force_new_arguments_require_replacement(void **state)
{
	fx *f = *state;
	prov_value *prior = obj(f, prior_json);
	prov_value *config = obj(f, "{\"source_image_id\":\"src-2\",\"name\":\"copy\"}");
	prov_value *proposed = proposed_of(f, prior, config);
	plan_result r;
	do_plan(f, prior, proposed, config, &r);
	assert_int_equal(r.resp->n_requires_replace, 1);
	assert_int_equal(r.resp->requires_replace[0]->n_steps, 1);
	assert_string_equal(r.resp->requires_replace[0]->steps[0]->attribute_name,
	                    "source_image_id");
	assert_int_equal(state_of(r.planned, "id"), PROV_UNKNOWN);
	/* region left unset keeps the prior value rather than forcing another replacement */
	assert_string_equal(prov_value_str(prov_value_attr(r.planned, "region")), "cn-north-4");
	plan_free(&r);
	prov_value_free(prior);
	prov_value_free(config);
	prov_value_free(proposed);
}

static void destroy_plans_null(void **state)
{
	fx *f = *state;
	prov_value *prior = obj(f, prior_json);
	prov_value *null = prov_value_null(rt(f));
	plan_result r;
	do_plan(f, prior, null, null, &r);
	assert_int_equal(r.planned->state, PROV_NULL);
	plan_free(&r);
	prov_value_free(prior);
	prov_value_free(null);
}

static Tfplugin6__ValidateResourceConfig__Response *validate(fx *f, const prov_value *config)
{
	Tfplugin6__ValidateResourceConfig__Request rq;
	tfplugin6__validate_resource_config__request__init(&rq);
	Tfplugin6__DynamicValue c;
	hwims_buf b = HWIMS_BUF_INIT;
	dv(f, config, &c, &b);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.config = &c;
	size_t len = protobuf_c_message_get_packed_size(&rq.base);
	uint8_t *buf = malloc(len + 1);
	protobuf_c_message_pack(&rq.base, buf);
	prov_reply reply = {.status = GRPC_STATUS_OK};
	prov_rpc_validate_resource_config(&f->p, buf, len, &reply);
	assert_int_equal(reply.status, GRPC_STATUS_OK);
	Tfplugin6__ValidateResourceConfig__Response *r =
	    (Tfplugin6__ValidateResourceConfig__Response *)protobuf_c_message_unpack(
	        &tfplugin6__validate_resource_config__response__descriptor, NULL, reply.len,
	        reply.data);
	free(buf);
	free(reply.data);
	hwims_buf_free(&b);
	return r;
}

static void expect_diag_at(fx *f, const char *json, const char *step0, const char *step1)
{
	prov_value *config = obj(f, json);
	Tfplugin6__ValidateResourceConfig__Response *r = validate(f, config);
	if (r->n_diagnostics != 1)
		fail_msg("%s: %zu diagnostics", json, r->n_diagnostics);
	Tfplugin6__Diagnostic *d = r->diagnostics[0];
	assert_int_equal(d->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	assert_non_null(d->attribute);
	assert_string_equal(d->attribute->steps[0]->attribute_name, step0);
	if (step1)
		assert_string_equal(d->attribute->steps[1]->attribute_name, step1);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_value_free(config);
}

static void validation_points_at_the_attribute(void **state)
{
	fx *f = *state;
	expect_diag_at(f, "{\"source_image_id\":\"s\",\"name\":\" bad name<>\"}", "name", NULL);
	expect_diag_at(f, "{\"source_image_id\":\"s\",\"name\":\"ok\",\"min_ram\":-5}", "min_ram",
	               NULL);
	expect_diag_at(f,
	               "{\"source_image_id\":\"s\",\"name\":\"ok\","
	               "\"timeouts\":{\"create\":\"5x\",\"delete\":null}}",
	               "timeouts", "create");
	/* a good configuration has no diagnostics */
	prov_value *good = obj(f, "{\"source_image_id\":\"s\",\"name\":\"good-name\"}");
	Tfplugin6__ValidateResourceConfig__Response *r = validate(f, good);
	assert_int_equal(r->n_diagnostics, 0);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	/* unknown values (from other resources) are not errors at validate time */
	prov_value_set_attr(good, "name", prov_value_unknown(&prov_type_string));
	r = validate(f, good);
	assert_int_equal(r->n_diagnostics, 0);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	prov_value_free(good);
}

/* Call handler with the packed request m; the reply's response as desc (caller frees). */
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

static void expect_one_error(Tfplugin6__Diagnostic **d, size_t n, const char *summary,
                             const char *detail)
{
	assert_int_equal(n, 1);
	assert_int_equal(d[0]->severity, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR);
	assert_string_equal(d[0]->summary, summary);
	assert_string_equal(d[0]->detail, detail);
	assert_null(d[0]->attribute);
}

/* The frame answers for types the tables do not have, whatever the method. */
static void unknown_types_are_unsupported(void **state)
{
	fx *f = *state;
	Tfplugin6__ReadResource__Request rr;
	tfplugin6__read_resource__request__init(&rr);
	rr.type_name = "huaweicloud_nope";
	Tfplugin6__ReadResource__Response *r = (Tfplugin6__ReadResource__Response *)call(
	    f, prov_rpc_read_resource, &rr.base, &tfplugin6__read_resource__response__descriptor);
	expect_one_error(r->diagnostics, r->n_diagnostics, "Unsupported resource type",
	                 "This provider has no resource type \"huaweicloud_nope\".");
	assert_null(r->new_state);
	protobuf_c_message_free_unpacked(&r->base, NULL);

	Tfplugin6__ValidateDataResourceConfig__Request vd;
	tfplugin6__validate_data_resource_config__request__init(&vd);
	vd.type_name = "huaweicloud_nope";
	Tfplugin6__ValidateDataResourceConfig__Response *v =
	    (Tfplugin6__ValidateDataResourceConfig__Response *)call(
	        f, prov_rpc_validate_data_resource_config, &vd.base,
	        &tfplugin6__validate_data_resource_config__response__descriptor);
	expect_one_error(v->diagnostics, v->n_diagnostics, "Unsupported data source",
	                 "This provider has no data source \"huaweicloud_nope\".");
	protobuf_c_message_free_unpacked(&v->base, NULL);

	Tfplugin6__ReadDataSource__Request rd;
	tfplugin6__read_data_source__request__init(&rd);
	rd.type_name = "huaweicloud_nope";
	Tfplugin6__ReadDataSource__Response *d = (Tfplugin6__ReadDataSource__Response *)call(
	    f, prov_rpc_read_data_source, &rd.base,
	    &tfplugin6__read_data_source__response__descriptor);
	expect_one_error(d->diagnostics, d->n_diagnostics, "Unsupported data source",
	                 "This provider has no data source \"huaweicloud_nope\".");
	assert_null(d->state);
	protobuf_c_message_free_unpacked(&d->base, NULL);
}

/* A request that does not parse fails the call itself, naming the method. */
static void malformed_requests_fail_the_call(void **state)
{
	fx *f = *state;
	static const uint8_t junk[] = {0x0a, 0xff, 0xff}; /* field 1, length past the end */
	prov_reply reply = {.status = GRPC_STATUS_OK};
	prov_rpc_plan_resource_change(&f->p, junk, sizeof(junk), &reply);
	assert_int_equal(reply.status, GRPC_STATUS_INVALID_ARGUMENT);
	assert_string_equal(reply.message, "malformed PlanResourceChange request");
	assert_null(reply.data);
}

static prov_value *upgrade(fx *f, int64_t version, const char *json, size_t *n_diags)
{
	Tfplugin6__UpgradeResourceState__Request rq;
	tfplugin6__upgrade_resource_state__request__init(&rq);
	Tfplugin6__RawState raw;
	tfplugin6__raw_state__init(&raw);
	raw.json.data = (uint8_t *)json;
	raw.json.len = strlen(json);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.version = version;
	rq.raw_state = &raw;
	size_t len = protobuf_c_message_get_packed_size(&rq.base);
	uint8_t *buf = malloc(len + 1);
	protobuf_c_message_pack(&rq.base, buf);
	prov_reply reply = {.status = GRPC_STATUS_OK};
	prov_rpc_upgrade_resource_state(&f->p, buf, len, &reply);
	Tfplugin6__UpgradeResourceState__Response *r =
	    (Tfplugin6__UpgradeResourceState__Response *)protobuf_c_message_unpack(
	        &tfplugin6__upgrade_resource_state__response__descriptor, NULL, reply.len,
	        reply.data);
	assert_non_null(r);
	*n_diags = r->n_diagnostics;
	prov_value *v = NULL;
	if (r->upgraded_state) {
		hwims_error err;
		assert_int_equal(prov_dv_decode(r->upgraded_state, rt(f), &v, &err), 0);
	}
	protobuf_c_message_free_unpacked(&r->base, NULL);
	free(buf);
	free(reply.data);
	return v;
}

static void go_provider_state_upgrades_cleanly(void **state)
{
	fx *f = *state;
	/* SDKv2 state: "" for unset strings, {} for unset maps, timeouts, deprecated checksum,
	   and an attribute this schema does not have */
	const char *go_state =
	    "{\"id\":\"img-1\",\"region\":\"cn-north-4\",\"source_image_id\":\"src-1\","
	    "\"name\":\"copy\",\"description\":\"\",\"tags\":{},\"kms_key_id\":\"\","
	    "\"agency_name\":\"\",\"vault_id\":\"\",\"target_region\":\"\",\"min_ram\":0,"
	    "\"max_ram\":0,\"checksum\":\"\",\"status\":\"active\",\"legacy_field\":\"x\","
	    "\"timeouts\":{\"create\":\"30m\",\"delete\":null,\"update\":null}}";
	size_t nd;
	prov_value *v = upgrade(f, 0, go_state, &nd);
	assert_int_equal(nd, 0);
	assert_non_null(v);
	assert_string_equal(prov_value_str(prov_value_attr(v, "id")), "img-1");
	/* computed: kept, the plan carries the prior value so there is no diff either way */
	assert_string_equal(prov_value_str(prov_value_attr(v, "description")), "");
	assert_int_equal(state_of(v, "tags"), PROV_KNOWN);
	assert_string_equal(prov_value_str(prov_value_attr(v, "kms_key_id")), "");
	assert_string_equal(prov_value_str(prov_value_attr(v, "checksum")), "");
	const prov_value *t = prov_value_attr(v, "timeouts");
	assert_string_equal(prov_value_str(prov_value_attr(t, "create")), "30m");
	/* attributes missing from old state come out null */
	assert_int_equal(state_of(v, "__os_bit"), PROV_NULL);
	prov_value_free(v);
}

static void own_state_passes_through(void **state)
{
	fx *f = *state;
	size_t nd;
	prov_value *v = upgrade(
	    f, 1, "{\"id\":\"img-1\",\"name\":\"copy\",\"description\":\"\",\"tags\":{}}", &nd);
	assert_int_equal(nd, 0);
	/* a configuration that says "" and {} keeps them */
	assert_string_equal(prov_value_str(prov_value_attr(v, "description")), "");
	assert_int_equal(prov_value_attr(v, "tags")->state, PROV_KNOWN);
	prov_value_free(v);
	/* newer state is refused */
	v = upgrade(f, 2, "{\"id\":\"img-1\"}", &nd);
	assert_null(v);
	assert_int_equal(nd, 1);
}

/* The read of a cross-region copy (cn-north-4 to cn-south-1) whose image reports origin. */
static prov_value *read_with_origin(fx *f, const char *origin)
{
	char json[512];
	snprintf(json, sizeof(json),
	         "{\"id\":\"img-1\",\"name\":\"copy\",\"status\":\"active\","
	         "\"__originalimagename\":\"other-parent\",\"__data_origin\":\"%s\"}",
	         origin);
	hwims_image *img = NULL;
	hwims_error err;
	assert_int_equal(hwims_image_from_json(json, strlen(json), "cn-south-1", NULL, &img, &err),
	                 0);
	prov_value *prior = obj(f, "{\"id\":\"img-1\",\"region\":\"cn-north-4\","
	                           "\"target_region\":\"cn-south-1\",\"source_image_id\":\"src-1\","
	                           "\"name\":\"copy\"}");
	prov_value *st = NULL;
	assert_int_equal(
	    prov_state_from_image(&f->p.schemas.resource, img, prior, PROV_FILL_READ, &st, &err),
	    0);
	assert_int_equal(prov_origin_unreadable(img),
	                 strncmp(origin, "image,", 6) != 0 || strchr(origin + 6, ',') == NULL);
	hwims_image_free(img);
	prov_value_free(prior);
	return st;
}

/* A data origin that does not parse keeps what the read cannot know: null would force a
 * replacement of the copy. One that parses is believed. */
static void unreadable_origin_keeps_the_prior_source(void **state)
{
	fx *f = *state;
	const char *bad[] = {"", "garbage", "image,cn-north-4", "volume,5e2b6c8d"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		prov_value *st = read_with_origin(f, bad[i]);
		assert_string_equal(prov_value_str(prov_value_attr(st, "source_image_id")),
		                    "src-1");
		assert_string_equal(prov_value_str(prov_value_attr(st, "region")), "cn-north-4");
		assert_string_equal(prov_value_str(prov_value_attr(st, "target_region")),
		                    "cn-south-1");
		prov_value_free(st);
	}
	prov_value *st = read_with_origin(f, "image,cn-north-4,src-2");
	assert_string_equal(prov_value_str(prov_value_attr(st, "source_image_id")), "src-2");
	assert_string_equal(prov_value_str(prov_value_attr(st, "target_region")), "cn-south-1");
	prov_value_free(st);
}

static void apply_without_configuration_keeps_the_prior_state(void **state)
{
	fx *f = *state;
	prov_value *prior = obj(f, prior_json);
	Tfplugin6__ApplyResourceChange__Request rq;
	tfplugin6__apply_resource_change__request__init(&rq);
	Tfplugin6__DynamicValue a, b;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT;
	dv(f, prior, &a, &ba);
	dv(f, prior, &b, &bb);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.prior_state = &a;
	rq.planned_state = &b;
	size_t len = protobuf_c_message_get_packed_size(&rq.base);
	uint8_t *buf = malloc(len + 1);
	protobuf_c_message_pack(&rq.base, buf);
	prov_reply reply = {.status = GRPC_STATUS_OK};
	prov_rpc_apply_resource_change(&f->p, buf, len, &reply);
	Tfplugin6__ApplyResourceChange__Response *r =
	    (Tfplugin6__ApplyResourceChange__Response *)protobuf_c_message_unpack(
	        &tfplugin6__apply_resource_change__response__descriptor, NULL, reply.len,
	        reply.data);
	assert_int_equal(r->n_diagnostics, 1);
	assert_string_equal(r->diagnostics[0]->summary, "Provider not configured");
	prov_value *ns;
	hwims_error err;
	assert_int_equal(prov_dv_decode(r->new_state, rt(f), &ns, &err), 0);
	assert_true(prov_value_equal(ns, prior));
	prov_value_free(ns);
	protobuf_c_message_free_unpacked(&r->base, NULL);
	free(buf);
	free(reply.data);
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	prov_value_free(prior);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(create_plan_marks_unpredictable_values_unknown, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(unchanged_config_plans_no_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(rename_updates_in_place, setup, teardown),
	    cmocka_unit_test_setup_teardown(force_new_arguments_require_replacement, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(destroy_plans_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(validation_points_at_the_attribute, setup, teardown),
	    cmocka_unit_test_setup_teardown(unknown_types_are_unsupported, setup, teardown),
	    cmocka_unit_test_setup_teardown(malformed_requests_fail_the_call, setup, teardown),
	    cmocka_unit_test_setup_teardown(go_provider_state_upgrades_cleanly, setup, teardown),
	    cmocka_unit_test_setup_teardown(own_state_passes_through, setup, teardown),
	    cmocka_unit_test_setup_teardown(unreadable_origin_keeps_the_prior_source, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(apply_without_configuration_keeps_the_prior_state,
	                                    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
