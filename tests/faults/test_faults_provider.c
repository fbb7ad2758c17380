/*
 * Allocation failures in the provider's handling of one huaweicloud_images_image_copy, driven
 * in-process as the server would (the handlers get the request bytes, the reply is what
 * Terraform would receive):
 *
 *  decode  a full state as msgpack and as JSON DynamicValues, and encoded back
 *  plan    PlanResourceChange of an in-place update (rename, new tags, new RAM bounds)
 *  apply   ApplyResourceChange of a create against a real imsd
 *
 * Each is run once per allocation it makes with that allocation refused (sweep.h). A reply
 * must be a clear error (a failed call with a message, or an error diagnostic) or a complete
 * answer; an apply must also leave no copy that its reply does not name, in the new state's id
 * or in the private state's pending job, because that is all Terraform keeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "failalloc.h"
#include "hwims/image_copy.h"
#include "hwims_test.h"
#include "prov_provider.h"
#include "prov_rpc.h"
#include "sweep.h"

#define DEMO_AK    "HWIMSDEMOACCESSKEY01"
#define DEMO_SK    "hwimsDemoSecretKey0123456789abcdefghijklm"
#define IMG_UBUNTU "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
#define COPY_NAME  "faults-provider-copy"

static char *const no_env[] = {NULL};

typedef struct fx {
	prov_provider p;
	hwims_test_imsd imsd;
	int running;
	/* decode */
	hwims_buf full_mp;
	char *full_json;
	prov_value *decoded;
	/* plan and apply: the request, and the reply of the last run */
	uint8_t *req;
	size_t req_len;
	prov_reply reply;
	/* apply: the create's request; the copy read, update and destroy work on */
	uint8_t *create_req;
	size_t create_len;
	hwims_buf state;
	char id[128];
} fx;

static prov_type *rt(fx *f)
{
	return f->p.schemas.resource.implied;
}

static prov_value *from_json(const prov_type *t, const char *json)
{
	prov_value *v = NULL;
	hwims_error err;
	if (prov_value_from_json(t, json, strlen(json), &v, &err) != 0)
		fail_msg("%s: %s", json, err.message);
	return v;
}

static const char *full_state =
    "{\"id\":\"img-1\",\"region\":\"cn-north-4\",\"source_image_id\":\"src-1\","
    "\"name\":\"copy\",\"kms_key_id\":null,\"enterprise_project_id\":\"0\","
    "\"min_ram\":1024,\"max_ram\":8192,\"status\":\"active\","
    "\"updated_at\":\"2026-01-01T00:00:00Z\",\"protected\":false,\"min_disk\":40,"
    "\"tags\":{\"team\":\"a\",\"env\":\"test\"},\"description\":\"d\","
    "\"timeouts\":{\"create\":\"30m\",\"delete\":null}}";

/* Find a handler by its method path. */
static prov_handler_fn route(const char *method)
{
	size_t n;
	const prov_route *r = prov_routes(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].method, method) == 0)
			return r[i].fn;
	fail_msg("no route %s", method);
	return NULL;
}

/* Pack a request message into f->req. */
static void pack_request(fx *f, const ProtobufCMessage *m)
{
	free(f->req);
	size_t len = protobuf_c_message_get_packed_size(m);
	f->req = malloc(len + 1);
	assert_non_null(f->req);
	f->req_len = protobuf_c_message_pack(m, f->req);
}

/* Encode v into dv with storage b (caller frees b). */
static void dv_of(fx *f, const prov_value *v, Tfplugin6__DynamicValue *dv, hwims_buf *b)
{
	hwims_error err;
	assert_int_equal(prov_dv_encode(v, rt(f), dv, b, &err), 0);
}

/*
 * What a handler's reply says, as Terraform would take it: 0 for a complete answer, -1 with
 * err filled for a failed call or an error diagnostic. Unpacking allocates only inside
 * protobuf-c, which is not counted, so this may run while armed.
 */
static int judge_reply(const prov_reply *r, const ProtobufCMessageDescriptor *desc,
                       ProtobufCMessage **out, hwims_error *err)
{
	*out = NULL;
	if (r->status != GRPC_STATUS_OK)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "gRPC status %d: %s", r->status,
		                       r->message);
	*out = protobuf_c_message_unpack(desc, NULL, r->len, r->data);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "the reply does not unpack");
	/* every response with diagnostics has them as its first repeated field */
	const ProtobufCFieldDescriptor *fd =
	    protobuf_c_message_descriptor_get_field_by_name(desc, "diagnostics");
	size_t n = *(size_t *)((char *)*out + fd->quantifier_offset);
	Tfplugin6__Diagnostic **ds = *(Tfplugin6__Diagnostic ***)((char *)*out + fd->offset);
	for (size_t i = 0; i < n; i++)
		if (ds[i]->severity == TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "%s: %s",
			                       ds[i]->summary ? ds[i]->summary : "",
			                       ds[i]->detail ? ds[i]->detail : "");
	return 0;
}

static void reply_free(fx *f)
{
	free(f->reply.data);
	memset(&f->reply, 0, sizeof(f->reply));
	f->reply.status = GRPC_STATUS_OK;
}

/* ---- fixture -------------------------------------------------------------------------------- */

static prov_value *provider_config(fx *f)
{
	char json[1024];
	snprintf(json, sizeof(json),
	         "{\"region\":\"cn-north-4\",\"access_key\":\"" DEMO_AK "\",\"secret_key\":"
	         "\"" DEMO_SK "\",\"max_retries\":2,\"endpoints\":{\"ims\":\"%s/{region}/\","
	         "\"iam\":\"%s/iam/\",\"eps\":\"%s/eps/\"}}",
	         f->imsd.base_url, f->imsd.base_url, f->imsd.base_url);
	return from_json(f->p.schemas.provider.implied, json);
}

static void configure(fx *f)
{
	prov_value *cfg = provider_config(f);
	Tfplugin6__DynamicValue dv;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_dv_encode(cfg, f->p.schemas.provider.implied, &dv, &b, &err), 0);
	Tfplugin6__ConfigureProvider__Request rq;
	tfplugin6__configure_provider__request__init(&rq);
	rq.terraform_version = "1.9.0";
	rq.config = &dv;
	pack_request(f, &rq.base);
	route("/tfplugin6.Provider/ConfigureProvider")(&f->p, f->req, f->req_len, &f->reply);
	ProtobufCMessage *m;
	if (judge_reply(&f->reply, &tfplugin6__configure_provider__response__descriptor, &m,
	                &err) != 0)
		fail_msg("configuring the provider: %s", err.message);
	protobuf_c_message_free_unpacked(m, NULL);
	reply_free(f);
	hwims_buf_free(&b);
	prov_value_free(cfg);
}

static int group_setup(void **state)
{
	failalloc_init();
	fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	hwims_error err;
	if (prov_provider_init(&f->p, NULL, no_env, &err) != 0)
		return -1;
	f->p.copts.backoff_base_ms = 1;
	f->p.copts.backoff_max_ms = 5;
	/* the copy job is done by the first look: look after a millisecond */
	f->p.poll_interval_ns = 1000000;
	const char *args[] = {"--quiet", NULL};
	if (hwims_test_imsd_start(&f->imsd, NULL, 1e6, args) != 0)
		return -1;
	f->running = 1;
	reply_free(f);
	return 0;
}

static int group_teardown(void **state)
{
	fx *f = *state;
	prov_provider_destroy(&f->p);
	if (f->running)
		hwims_test_imsd_stop(&f->imsd);
	hwims_buf_free(&f->full_mp);
	free(f->req);
	free(f->create_req);
	hwims_buf_free(&f->state);
	free(f->full_json);
	free(f);
	return 0;
}

/* Terraform's proposed new state: the configuration, with prior values for the computed
   attributes it leaves null. Caller frees. */
static prov_value *proposed_of(fx *f, const prov_value *prior, const prov_value *config)
{
	prov_value *p = prov_value_clone(config);
	const prov_block_schema *rs = &f->p.schemas.resource;
	for (size_t i = 0; i < rs->n_attrs; i++)
		if ((rs->attrs[i].flags & PROV_A_COMPUTED) &&
		    prov_value_is_null(prov_value_attr(config, rs->attrs[i].name)))
			prov_value_set_attr(
			    p, rs->attrs[i].name,
			    prov_value_clone(prov_value_attr(prior, rs->attrs[i].name)));
	return p;
}

static void plan_request(Tfplugin6__PlanResourceChange__Request *rq, Tfplugin6__DynamicValue *prior,
                         Tfplugin6__DynamicValue *proposed, Tfplugin6__DynamicValue *config)
{
	tfplugin6__plan_resource_change__request__init(rq);
	rq->type_name = "huaweicloud_images_image_copy";
	rq->prior_state = prior;
	rq->proposed_new_state = proposed;
	rq->config = config;
}

/* PlanResourceChange, not counted; the response (caller frees) must carry no error. */
static Tfplugin6__PlanResourceChange__Response *plan_of(fx *f, Tfplugin6__DynamicValue *prior,
                                                        Tfplugin6__DynamicValue *proposed,
                                                        Tfplugin6__DynamicValue *config)
{
	Tfplugin6__PlanResourceChange__Request rq;
	plan_request(&rq, prior, proposed, config);
	pack_request(f, &rq.base);
	prov_rpc_plan_resource_change(&f->p, f->req, f->req_len, &f->reply);
	Tfplugin6__PlanResourceChange__Response *r;
	hwims_error err;
	if (judge_reply(&f->reply, &tfplugin6__plan_resource_change__response__descriptor,
	                (ProtobufCMessage **)&r, &err) != 0)
		fail_msg("planning: %s", err.message);
	reply_free(f);
	return r;
}

/* ---- decode --------------------------------------------------------------------------------- */

static int decode_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	Tfplugin6__DynamicValue dv;
	tfplugin6__dynamic_value__init(&dv);
	dv.msgpack.data = (uint8_t *)f->full_mp.data;
	dv.msgpack.len = f->full_mp.len;
	prov_value *from_mp = NULL, *from_js = NULL;
	hwims_buf again = HWIMS_BUF_INIT;
	f->decoded = NULL;
	int rc = prov_dv_decode(&dv, rt(f), &from_mp, err);
	if (rc == 0) {
		tfplugin6__dynamic_value__init(&dv);
		dv.json.data = (uint8_t *)f->full_json;
		dv.json.len = strlen(f->full_json);
		rc = prov_dv_decode(&dv, rt(f), &from_js, err);
	}
	if (rc == 0)
		rc = prov_dv_encode(from_js, rt(f), &dv, &again, err);
	if (rc == 0)
		rc = prov_value_from_msgpack(rt(f), again.data, again.len, &f->decoded, err);
	if (rc == 0 &&
	    (!prov_value_equal(from_mp, from_js) || !prov_value_equal(from_mp, f->decoded)))
		rc = hwims_error_set(err, HWIMS_ERR_INTERNAL, "decoded values differ");
	hwims_buf_free(&again);
	prov_value_free(from_mp);
	prov_value_free(from_js);
	return rc;
}

static int decode_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	if (rc == 0 && (!f->decoded ||
	                strcmp(prov_value_str(prov_value_attr(f->decoded, "name")), "copy") != 0)) {
		snprintf(why, len, "decoded without the value");
		bad = 1;
	}
	/* a decode that "succeeds" with another value is no clear error */
	if (rc != 0 && strcmp(err->message, "decoded values differ") == 0) {
		snprintf(why, len, "%s", err->message);
		bad = 1;
	}
	prov_value_free(f->decoded);
	f->decoded = NULL;
	return bad ? -1 : 0;
}

static void decode_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	prov_value *v = from_json(rt(f), full_state);
	hwims_error err;
	assert_int_equal(prov_value_to_msgpack(v, rt(f), &f->full_mp, &err), 0);
	hwims_buf js = HWIMS_BUF_INIT;
	assert_int_equal(prov_value_to_json(v, rt(f), &js, &err), 0);
	f->full_json = strndup(js.data, js.len);
	hwims_buf_free(&js);
	prov_value_free(v);
	sweep_run(&(sweep_case){.name = "provider decode",
	                        .ctx = f,
	                        .run = decode_run,
	                        .check = decode_check,
	                        .from_stride = 1});
}

/* ---- plan ----------------------------------------------------------------------------------- */

static Tfplugin6__PlanResourceChange__Response *plan_resp;

static int plan_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	prov_rpc_plan_resource_change(&f->p, f->req, f->req_len, &f->reply);
	return judge_reply(&f->reply, &tfplugin6__plan_resource_change__response__descriptor,
	                   (ProtobufCMessage **)&plan_resp, err);
}

static int plan_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	if (rc == 0) {
		prov_value *planned = NULL;
		hwims_error derr;
		if (prov_dv_decode(plan_resp->planned_state, rt(f), &planned, &derr) != 0 ||
		    !planned || planned->state != PROV_KNOWN ||
		    strcmp(prov_value_str(prov_value_attr(planned, "name")), "renamed") != 0) {
			snprintf(why, len, "planned without the planned state");
			bad = 1;
		}
		prov_value_free(planned);
	}
	if (plan_resp)
		protobuf_c_message_free_unpacked(&plan_resp->base, NULL);
	plan_resp = NULL;
	reply_free(f);
	return bad ? -1 : 0;
}

static void plan_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	prov_value *prior = from_json(rt(f), full_state);
	const char *cfg_json = "{\"source_image_id\":\"src-1\",\"name\":\"renamed\","
	                       "\"description\":\"d\",\"min_ram\":2048,\"max_ram\":8192,"
	                       "\"tags\":{\"team\":\"b\",\"new\":\"x\"},"
	                       "\"timeouts\":{\"create\":\"30m\",\"delete\":null}}";
	prov_value *config = from_json(rt(f), cfg_json);
	prov_value *proposed = proposed_of(f, prior, config);
	Tfplugin6__PlanResourceChange__Request rq;
	Tfplugin6__DynamicValue a, b, c;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT, bc = HWIMS_BUF_INIT;
	dv_of(f, prior, &a, &ba);
	dv_of(f, proposed, &b, &bb);
	dv_of(f, config, &c, &bc);
	plan_request(&rq, &a, &b, &c);
	pack_request(f, &rq.base);
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	hwims_buf_free(&bc);
	prov_value_free(prior);
	prov_value_free(config);
	prov_value_free(proposed);
	sweep_run(&(sweep_case){.name = "provider plan",
	                        .ctx = f,
	                        .run = plan_run,
	                        .check = plan_check,
	                        .from_stride = 1});
}

/* ---- apply (create) ------------------------------------------------------------------------- */

static Tfplugin6__ApplyResourceChange__Response *apply_resp;

static int apply_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	prov_rpc_apply_resource_change(&f->p, f->req, f->req_len, &f->reply);
	return judge_reply(&f->reply, &tfplugin6__apply_resource_change__response__descriptor,
	                   (ProtobufCMessage **)&apply_resp, err);
}

/* Free the last apply's reply. */
static void apply_done(fx *f)
{
	if (apply_resp)
		protobuf_c_message_free_unpacked(&apply_resp->base, NULL);
	apply_resp = NULL;
	reply_free(f);
}

/* The image the reply names: the new state's id, or the pending job's image. Owned by buf. */
static const char *reply_image(fx *f, hwims_client *c, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!apply_resp)
		return buf;
	prov_value *st = NULL;
	hwims_error err;
	if (apply_resp->new_state && prov_dv_decode(apply_resp->new_state, rt(f), &st, &err) == 0 &&
	    st && st->state == PROV_KNOWN) {
		const char *id = prov_value_str(prov_value_attr(st, "id"));
		if (id)
			snprintf(buf, len, "%s", id);
	}
	prov_value_free(st);
	json_t *priv = apply_resp->private_.len
	                   ? json_loadb((const char *)apply_resp->private_.data,
	                                apply_resp->private_.len, 0, NULL)
	                   : NULL;
	const char *job_id = json_string_value(json_object_get(priv, "pending_job"));
	hwims_copy_job job;
	memset(&job, 0, sizeof(job));
	if (!buf[0] && job_id && hwims_copy_job_get(c, NULL, job_id, NULL, &job, NULL) == 0 &&
	    job.image_id)
		snprintf(buf, len, "%s", job.image_id);
	hwims_copy_job_free(&job);
	json_decref(priv);
	return buf;
}

static int apply_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	hwims_client *c = prov_provider_client(&f->p);
	int bad = 0;
	char named[128];
	reply_image(f, c, named, sizeof(named));
	if (rc == 0 && !named[0]) {
		snprintf(why, len, "applied without a new state naming the copy");
		bad = 1;
	}
	hwims_image **list = NULL;
	size_t n = 0;
	hwims_error lerr;
	if (hwims_image_list(c, NULL, COPY_NAME, NULL, &list, &n, &lerr) != 0)
		fail_msg("listing images: %s", lerr.message);
	/* With every allocation refused from some point on, even the tainted state may be
	   impossible to build: then the error must name the copy, or the whole call must have
	   failed for want of memory (no answer at all can be built; the copy is for the next
	   create to adopt). With one allocation refused, only the state counts. */
	int from = failalloc_mode_armed() == FAILALLOC_FROM;
	for (size_t i = 0; i < n; i++) {
		const char *id = hwims_image_id(list[i]);
		int excused = from && (strstr(err->message, id) ||
		                       f->reply.status == GRPC_STATUS_RESOURCE_EXHAUSTED);
		if (strcmp(id, named) != 0 && !excused && !bad) {
			snprintf(why, len,
			         "image %s was made but the reply does not name it (rc %d, reply "
			         "names \"%s\", error: %s)",
			         id, rc, named, err->message);
			bad = 1;
		}
		hwims_copy_options o;
		memset(&o, 0, sizeof(o));
		if (hwims_image_copy_delete(c, NULL, id, &o, &lerr) != 0)
			fail_msg("cleaning up image %s: %s", id, lerr.message);
		hwims_image_free(list[i]);
	}
	free(list);
	apply_done(f);
	return bad ? -1 : 0;
}

/* The create's apply request: the plan of a create, as Terraform sends it to apply. Packed
   into f->create_req once. */
static void build_create(fx *f)
{
	if (f->create_req)
		return;
	configure(f);
	prov_value *null = prov_value_null(rt(f));
	const char *cfg_json = "{\"source_image_id\":\"" IMG_UBUNTU "\",\"name\":\"" COPY_NAME
	                       "\",\"description\":\"made by the sweep\",\"min_ram\":1024,"
	                       "\"max_ram\":8192,\"tags\":{\"env\":\"faults\"}}";
	prov_value *config = from_json(rt(f), cfg_json);
	Tfplugin6__DynamicValue a, b;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT;
	dv_of(f, null, &a, &ba);
	dv_of(f, config, &b, &bb);
	Tfplugin6__PlanResourceChange__Response *plan = plan_of(f, &a, &b, &b);
	Tfplugin6__ApplyResourceChange__Request rq;
	tfplugin6__apply_resource_change__request__init(&rq);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.prior_state = &a;
	rq.planned_state = plan->planned_state;
	rq.config = &b;
	pack_request(f, &rq.base);
	f->create_req = f->req;
	f->create_len = f->req_len;
	f->req = NULL;
	protobuf_c_message_free_unpacked(&plan->base, NULL);
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	prov_value_free(null);
	prov_value_free(config);
}

static int apply_create_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	prov_rpc_apply_resource_change(&f->p, f->create_req, f->create_len, &f->reply);
	return judge_reply(&f->reply, &tfplugin6__apply_resource_change__response__descriptor,
	                   (ProtobufCMessage **)&apply_resp, err);
}

static void apply_create_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	build_create(f);
	sweep_case sc = {.name = "provider apply (create)",
	                 .ctx = f,
	                 .run = apply_create_run,
	                 .check = apply_check,
	                 .from_stride = 5};
	/* The first apply looks the project ID up and caches it; later ones do not, so the
	   clean run that counts comes after one that warms the cache. */
	hwims_error err;
	assert_int_equal(apply_create_run(f, &err), 0);
	char why[512];
	if (apply_check(f, 0, &err, why, sizeof(why)) != 0)
		fail_msg("warm-up apply: %s", why);
	sweep_run(&sc);
}

/* ---- on an existing copy: read, update and destroy ------------------------------------------ */

/* Create the copy (not counted): its state into f->state (msgpack), its ID into f->id. */
static void make_resource(fx *f)
{
	build_create(f);
	hwims_error err;
	if (apply_create_run(f, &err) != 0)
		fail_msg("creating the copy: %s", err.message);
	prov_value *st = NULL;
	assert_int_equal(prov_dv_decode(apply_resp->new_state, rt(f), &st, &err), 0);
	snprintf(f->id, sizeof(f->id), "%s", prov_value_str(prov_value_attr(st, "id")));
	hwims_buf_free(&f->state);
	assert_int_equal(prov_value_to_msgpack(st, rt(f), &f->state, &err), 0);
	prov_value_free(st);
	apply_done(f);
}

static void state_dv(fx *f, Tfplugin6__DynamicValue *dv)
{
	tfplugin6__dynamic_value__init(dv);
	dv->msgpack.data = (uint8_t *)f->state.data;
	dv->msgpack.len = f->state.len;
}

/* The decoded new state of the last reply (caller frees), or NULL. */
static prov_value *new_state(fx *f, const Tfplugin6__DynamicValue *dv)
{
	prov_value *st = NULL;
	hwims_error err;
	if (!dv || prov_dv_decode(dv, rt(f), &st, &err) != 0)
		return NULL;
	return st;
}

static void remove_copy(fx *f)
{
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	hwims_error err;
	if (hwims_image_copy_delete(prov_provider_client(&f->p), NULL, f->id, &o, &err) != 0)
		fail_msg("cleaning up image %s: %s", f->id, err.message);
}

/* read */

static Tfplugin6__ReadResource__Response *read_resp;

static int read_run(void *ctx, hwims_error *err)
{
	fx *f = ctx;
	route("/tfplugin6.Provider/ReadResource")(&f->p, f->req, f->req_len, &f->reply);
	return judge_reply(&f->reply, &tfplugin6__read_resource__response__descriptor,
	                   (ProtobufCMessage **)&read_resp, err);
}

static int read_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	prov_value *st = read_resp ? new_state(f, read_resp->new_state) : NULL;
	const char *id =
	    st && st->state == PROV_KNOWN ? prov_value_str(prov_value_attr(st, "id")) : NULL;
	/* a null new state tells Terraform the copy is gone: it would forget an existing one */
	if (rc == 0 && (!id || strcmp(id, f->id) != 0)) {
		snprintf(why, len, "read answered without the copy's state (gone?)");
		bad = 1;
	}
	prov_value_free(st);
	if (read_resp)
		protobuf_c_message_free_unpacked(&read_resp->base, NULL);
	read_resp = NULL;
	reply_free(f);
	return bad ? -1 : 0;
}

static void read_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	make_resource(f);
	Tfplugin6__ReadResource__Request rq;
	tfplugin6__read_resource__request__init(&rq);
	Tfplugin6__DynamicValue cur;
	state_dv(f, &cur);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.current_state = &cur;
	pack_request(f, &rq.base);
	sweep_run(&(sweep_case){.name = "provider read",
	                        .ctx = f,
	                        .run = read_run,
	                        .check = read_check,
	                        .from_stride = 1});
	remove_copy(f);
}

/* update */

static hwims_copy_spec original;

/* Bring the copy back to what it was made as, whatever a failed update left. */
static int update_prepare(void *ctx)
{
	fx *f = ctx;
	hwims_copy_spec now = HWIMS_COPY_SPEC_INIT;
	hwims_error err;
	hwims_client *c = prov_provider_client(&f->p);
	int rc = hwims_image_copy_import(c, f->id, NULL, &now, NULL, &err);
	if (rc == 0)
		rc = hwims_image_copy_update(c, &now, &original, f->id, NULL, NULL, &err);
	if (rc != 0)
		print_message("resetting image %s: %s\n", f->id, err.message);
	hwims_copy_spec_free(&now);
	return rc;
}

static int update_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	int bad = 0;
	prov_value *st = apply_resp ? new_state(f, apply_resp->new_state) : NULL;
	const char *id =
	    st && st->state == PROV_KNOWN ? prov_value_str(prov_value_attr(st, "id")) : NULL;
	const char *name =
	    st && st->state == PROV_KNOWN ? prov_value_str(prov_value_attr(st, "name")) : NULL;
	if (rc == 0 && (!id || strcmp(id, f->id) != 0 || !name || strcmp(name, "renamed") != 0)) {
		snprintf(why, len, "updated without the new state");
		bad = 1;
	} else if (rc != 0 && st && (!id || strcmp(id, f->id) != 0)) {
		/* a failed update may return no state (Terraform keeps the prior one), but a
		   state it returns must still name the copy */
		snprintf(why, len, "failed with a state that does not name the copy: %s",
		         err->message);
		bad = 1;
	}
	prov_value_free(st);
	apply_done(f);
	return bad ? -1 : 0;
}

static void update_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	make_resource(f);
	hwims_error err;
	assert_int_equal(hwims_image_copy_import(prov_provider_client(&f->p), f->id, NULL,
	                                         &original, NULL, &err),
	                 0);
	prov_value *prior = NULL;
	assert_int_equal(prov_value_from_msgpack(rt(f), f->state.data, f->state.len, &prior, &err),
	                 0);
	const char *cfg_json = "{\"source_image_id\":\"" IMG_UBUNTU "\",\"name\":\"renamed\","
	                       "\"description\":\"renamed by the sweep\",\"min_ram\":2048,"
	                       "\"max_ram\":8192,\"tags\":{\"env\":\"renamed\",\"new\":\"x\"}}";
	prov_value *config = from_json(rt(f), cfg_json);
	prov_value *proposed = proposed_of(f, prior, config);
	Tfplugin6__DynamicValue a, b, c;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT, bc = HWIMS_BUF_INIT;
	dv_of(f, prior, &a, &ba);
	dv_of(f, proposed, &b, &bb);
	dv_of(f, config, &c, &bc);
	Tfplugin6__PlanResourceChange__Response *plan = plan_of(f, &a, &b, &c);
	Tfplugin6__ApplyResourceChange__Request rq;
	tfplugin6__apply_resource_change__request__init(&rq);
	rq.type_name = "huaweicloud_images_image_copy";
	rq.prior_state = &a;
	rq.planned_state = plan->planned_state;
	rq.config = &c;
	pack_request(f, &rq.base);
	protobuf_c_message_free_unpacked(&plan->base, NULL);
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	hwims_buf_free(&bc);
	prov_value_free(prior);
	prov_value_free(config);
	prov_value_free(proposed);
	sweep_run(&(sweep_case){.name = "provider apply (update)",
	                        .ctx = f,
	                        .prepare = update_prepare,
	                        .run = apply_run,
	                        .check = update_check,
	                        .from_stride = 5});
	hwims_copy_spec_free(&original);
	remove_copy(f);
}

/* destroy */

/* A fresh copy and the apply request that destroys it. */
static int destroy_prepare(void *ctx)
{
	fx *f = ctx;
	make_resource(f);
	Tfplugin6__ApplyResourceChange__Request rq;
	tfplugin6__apply_resource_change__request__init(&rq);
	Tfplugin6__DynamicValue prior, null;
	state_dv(f, &prior);
	tfplugin6__dynamic_value__init(&null); /* empty: null */
	rq.type_name = "huaweicloud_images_image_copy";
	rq.prior_state = &prior;
	rq.planned_state = &null;
	rq.config = &null;
	pack_request(f, &rq.base);
	return 0;
}

static int destroy_check(void *ctx, int rc, const hwims_error *err, char *why, size_t len)
{
	fx *f = ctx;
	hwims_image *img = NULL;
	hwims_error rerr;
	int got =
	    hwims_image_copy_read(prov_provider_client(&f->p), NULL, f->id, NULL, &img, &rerr);
	hwims_image_free(img);
	if (got < 0 && got != HWIMS_ENOTFOUND)
		fail_msg("reading image %s after the destroy: %s", f->id, rerr.message);
	int bad = 0;
	/* a destroy that succeeds drops the copy from the state: it must really be gone */
	if (rc == 0 && got != HWIMS_ENOTFOUND) {
		snprintf(why, len, "destroyed, and image %s is still there", f->id);
		bad = 1;
	}
	if (got != HWIMS_ENOTFOUND)
		remove_copy(f);
	apply_done(f);
	return bad ? -1 : 0;
}

static void destroy_survives_every_failed_allocation(void **state)
{
	fx *f = *state;
	sweep_run(&(sweep_case){.name = "provider apply (destroy)",
	                        .ctx = f,
	                        .prepare = destroy_prepare,
	                        .run = apply_run,
	                        .check = destroy_check,
	                        .from_stride = 1});
}

/* argv[1], when given, runs only the scenario of that name (decode, plan, apply_create, read,
   update, destroy). */
int main(int argc, char **argv)
{
	sweep_select(argc, argv);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decode_survives_every_failed_allocation),
	    cmocka_unit_test(plan_survives_every_failed_allocation),
	    cmocka_unit_test(apply_create_survives_every_failed_allocation),
	    cmocka_unit_test(read_survives_every_failed_allocation),
	    cmocka_unit_test(update_survives_every_failed_allocation),
	    cmocka_unit_test(destroy_survives_every_failed_allocation),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
