/*
 * The provider under fan-out: Terraform makes up to 10 calls at once (more with -parallelism),
 * and the server runs each on its own thread, so everything the handlers share (the schemas
 * and their reference-counted types, the configured client, the stop token, the log) is used
 * from many threads at once.
 *
 * 1. Many threads decode, clone and free values of the resource type directly: every value
 *    takes and drops references on the schema's shared types, so a racy count loses updates
 *    (a use-after-free, or a count that ends wrong; ThreadSanitizer names the race).
 * 2. Many resources go through validate, plan, apply (create), read, plan and apply
 *    (update), plan and apply (destroy) and a last read, each resource on its own client
 *    thread, all through the real gRPC server against a real imsd, while another thread keeps
 *    asking for the schema, the metadata and provider-config validation and the provider is
 *    configured a second time. Every answer must be free of diagnostics, the copies must
 *    really exist and then be gone, and the shared types' counts must end where they began.
 *
 * cmocka's assertions are not thread-safe (they longjmp), so worker threads record what went
 * wrong and the test thread asserts after joining them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "health.pb-c.h"
#include "hwims_test.h"
#include "prov_provider.h"
#include "prov_rpc.h"
#include "prov_test_grpc.h"

#define DEMO_AK     "HWIMSDEMOACCESSKEY01"
#define DEMO_SK     "hwimsDemoSecretKey0123456789abcdefghijklm"
#define REGION      "cn-north-4"
#define IMG_UBUNTU  "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
#define IMG_DATA    "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02"
#define DECODERS    8
#define DECODE_RUNS 1000
#define RESOURCES   12 /* one client thread each: more than terraform's default parallelism */

static char *const no_env[] = {NULL};

/* ---- shared fixture pieces ---------------------------------------------------------------- */

/* The schema types every resource value holds references to. */
typedef struct shared_types {
	prov_type *resource, *timeouts, *tags;
} shared_types;

static void types_of(const prov_provider *p, shared_types *t)
{
	const prov_block_schema *rs = &p->schemas.resource;
	t->resource = rs->implied;
	t->timeouts = rs->blocks[0].block->implied;
	t->tags = prov_block_attr(rs, "tags")->type;
}

/* A reference count, read when no other thread runs (a plain read of an atomic is a
   sequentially consistent load; of an int, just a read). */
static int refs_of(const prov_type *t)
{
	return (int)t->refs;
}

static prov_value *from_json(const prov_type *t, const char *json)
{
	prov_value *v = NULL;
	hwims_error err;
	if (prov_value_from_json(t, json, strlen(json), &v, &err) != 0)
		fail_msg("%s: %s", json, err.message);
	return v;
}

/* ---- 1: decoding from many threads ------------------------------------------------------- */

static const char *full_state =
    "{\"id\":\"img-1\",\"region\":\"cn-north-4\",\"source_image_id\":\"src-1\","
    "\"name\":\"copy\",\"kms_key_id\":null,\"enterprise_project_id\":\"0\","
    "\"min_ram\":0,\"max_ram\":0,\"status\":\"active\",\"updated_at\":\"2026-01-01T00:00:00Z\","
    "\"protected\":false,\"min_disk\":40,\"tags\":{\"team\":\"a\",\"env\":\"test\"},"
    "\"description\":\"d\",\"timeouts\":{\"create\":\"30m\",\"delete\":null}}";

typedef struct decoder {
	const prov_provider *p;
	const unsigned char *msgpack;
	size_t len;
	int failures;
} decoder;

static void *decode_main(void *arg)
{
	decoder *d = arg;
	prov_type *rt = d->p->schemas.resource.implied;
	for (int i = 0; i < DECODE_RUNS; i++) {
		prov_value *v = NULL, *c = NULL, *o = NULL;
		hwims_error err;
		if (prov_value_from_msgpack(rt, d->msgpack, d->len, &v, &err) != 0) {
			d->failures++;
			continue;
		}
		c = prov_value_clone(v);
		o = prov_value_object(rt);
		if (!c || !o || !prov_value_equal(v, c) ||
		    strcmp(prov_value_str(prov_value_attr(c, "name")), "copy") != 0)
			d->failures++;
		prov_value_free(o);
		prov_value_free(c);
		prov_value_free(v);
	}
	return NULL;
}

static void decoding_from_many_threads_keeps_type_counts(void **state)
{
	(void)state;
	prov_provider p;
	hwims_error err;
	assert_int_equal(prov_provider_init(&p, NULL, no_env, &err), 0);
	shared_types t;
	types_of(&p, &t);
	int before[3] = {refs_of(t.resource), refs_of(t.timeouts), refs_of(t.tags)};

	prov_value *v = from_json(t.resource, full_state);
	hwims_buf mp = HWIMS_BUF_INIT;
	assert_int_equal(prov_value_to_msgpack(v, t.resource, &mp, &err), 0);
	prov_value_free(v);

	pthread_t th[DECODERS];
	decoder d[DECODERS];
	for (int i = 0; i < DECODERS; i++) {
		d[i] = (decoder){.p = &p, .msgpack = (const unsigned char *)mp.data, .len = mp.len};
		assert_int_equal(pthread_create(&th[i], NULL, decode_main, &d[i]), 0);
	}
	for (int i = 0; i < DECODERS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < DECODERS; i++)
		assert_int_equal(d[i].failures, 0);
	/* every value is gone again: only the schema's own references remain */
	assert_int_equal(refs_of(t.resource), before[0]);
	assert_int_equal(refs_of(t.timeouts), before[1]);
	assert_int_equal(refs_of(t.tags), before[2]);
	/* the primitive types are static and stay so */
	assert_int_equal(refs_of(&prov_type_string), -1); /* PROV_TYPE_STATIC */
	hwims_buf_free(&mp);
	prov_provider_destroy(&p);
}

/* ---- 2: whole lifecycles of many resources over gRPC --------------------------------------- */

typedef struct fx {
	hwims_test_imsd imsd;
	int imsd_running;
	FILE *logf;
	prov_log log;
	prov_provider p;
	prov_server *srv;
	pthread_t srv_thread;
	int run_rc;
	char *sock;
	char target[300];
} fx;

static void *serve_main(void *arg)
{
	fx *f = arg;
	f->run_rc = prov_server_run(f->srv);
	return NULL;
}

/* One RPC with a protobuf-c request; the unpacked response (caller frees) or NULL. */
static ProtobufCMessage *rpc(test_conn *c, const char *method, const ProtobufCMessage *rq,
                             const ProtobufCMessageDescriptor *resp_desc)
{
	size_t len = protobuf_c_message_get_packed_size(rq);
	uint8_t *buf = malloc(len ? len : 1);
	protobuf_c_message_pack(rq, buf);
	unsigned char *out = NULL;
	size_t out_len = 0;
	test_call t;
	/* generous: a TSan build is slow and the create waits for the copy job */
	test_call_start(c, &t, method, buf, len, 120);
	grpc_status_code st = test_call_wait(&t, &out, &out_len);
	free(buf);
	ProtobufCMessage *m = NULL;
	if (st == GRPC_STATUS_OK)
		m = protobuf_c_message_unpack(resp_desc, NULL, out_len, out);
	free(out);
	return m;
}

/* The provider configuration pointing at imsd. */
static prov_value *provider_config(fx *f)
{
	char json[1024];
	snprintf(json, sizeof(json),
	         "{\"region\":\"" REGION "\",\"access_key\":\"" DEMO_AK "\",\"secret_key\":"
	         "\"" DEMO_SK "\",\"max_retries\":2,\"endpoints\":{\"ims\":\"%s/{region}/\","
	         "\"iam\":\"%s/iam/\",\"eps\":\"%s/eps/\"}}",
	         f->imsd.base_url, f->imsd.base_url, f->imsd.base_url);
	return from_json(f->p.schemas.provider.implied, json);
}

/* ConfigureProvider; the number of diagnostics, or -1 when the call failed. */
static int configure(fx *f, test_conn *c)
{
	prov_value *cfg = provider_config(f);
	Tfplugin6__DynamicValue dv;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	int n = -1;
	if (prov_dv_encode(cfg, f->p.schemas.provider.implied, &dv, &b, &err) == 0) {
		Tfplugin6__ConfigureProvider__Request rq;
		tfplugin6__configure_provider__request__init(&rq);
		rq.terraform_version = "1.9.0";
		rq.config = &dv;
		Tfplugin6__ConfigureProvider__Response *r =
		    (Tfplugin6__ConfigureProvider__Response *)rpc(
		        c, "/tfplugin6.Provider/ConfigureProvider", &rq.base,
		        &tfplugin6__configure_provider__response__descriptor);
		if (r) {
			n = (int)r->n_diagnostics;
			protobuf_c_message_free_unpacked(&r->base, NULL);
		}
	}
	hwims_buf_free(&b);
	prov_value_free(cfg);
	return n;
}

static int group_setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0)
		return 0; /* the lifecycle test skips */
	/* a high time scale: copy jobs finish before the workflow's first poll */
	if (hwims_test_imsd_start(&f->imsd, NULL, 1000, NULL) != 0)
		return -1;
	f->imsd_running = 1;
	/* Trace logging into a file, so every call also logs from its own thread; set
	   HWIMS_TEST_PROVIDER_LOG to a path to keep it. */
	const char *log_path = getenv("HWIMS_TEST_PROVIDER_LOG");
	f->logf = log_path ? fopen(log_path, "w") : tmpfile();
	if (!f->logf)
		return -1;
	prov_log_init(&f->log, f->logf, HWIMS_LOG_TRACE);
	hwims_error err;
	if (prov_provider_init(&f->p, &f->log, no_env, &err) != 0)
		return -1;
	f->p.copts.backoff_base_ms = 5;
	f->p.copts.backoff_max_ms = 50;
	size_t n_routes;
	const prov_route *routes = prov_routes(&n_routes);
	prov_server_options o = {.routes = routes,
	                         .n_routes = n_routes,
	                         .app = &f->p,
	                         .on_shutdown = prov_provider_on_shutdown,
	                         .log = &f->log};
	if (prov_server_new(&f->srv, &o, &err) != 0 ||
	    prov_server_listen_unix(f->srv, NULL, &f->sock, &err) != 0 ||
	    prov_server_start(f->srv, &err) != 0)
		return -1;
	snprintf(f->target, sizeof(f->target), "unix:%s", f->sock);
	if (pthread_create(&f->srv_thread, NULL, serve_main, f) != 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	fx *f = *state;
	if (f->srv) {
		prov_server_shutdown(f->srv);
		pthread_join(f->srv_thread, NULL);
		prov_server_free(f->srv);
		prov_provider_destroy(&f->p);
		prov_log_destroy(&f->log);
	}
	if (f->logf)
		fclose(f->logf);
	if (f->imsd_running)
		hwims_test_imsd_stop(&f->imsd);
	free(f->sock);
	free(f);
	return 0;
}

/* What one client thread does, and what went wrong (the first problem, for the message). */
typedef struct worker {
	fx *f;
	int index;
	char problem[512];
	char image_id[64];
} worker;

static void problem(worker *w, const char *step, const char *what)
{
	if (!w->problem[0])
		snprintf(w->problem, sizeof(w->problem), "resource %d, %.40s: %.400s", w->index,
		         step, what);
}

/* 1 if the response carries no diagnostics; else notes the first one. */
static int clean(worker *w, const char *step, size_t n, Tfplugin6__Diagnostic **diags)
{
	if (n == 0)
		return 1;
	char what[400];
	snprintf(what, sizeof(what), "%zu diagnostics, first: %s / %s", n,
	         diags[0]->summary ? diags[0]->summary : "",
	         diags[0]->detail ? diags[0]->detail : "");
	problem(w, step, what);
	return 0;
}

static prov_type *rt(worker *w)
{
	return w->f->p.schemas.resource.implied;
}

/* Encode v as a DynamicValue whose bytes live in b. */
static int encode(worker *w, const prov_value *v, Tfplugin6__DynamicValue *dv, hwims_buf *b)
{
	hwims_error err;
	if (prov_dv_encode(v, rt(w), dv, b, &err) == 0)
		return 0;
	problem(w, "encode", err.message);
	return -1;
}

/* Decode a DynamicValue from a response, or note the problem and return NULL. */
static prov_value *decode(worker *w, const char *step, const Tfplugin6__DynamicValue *dv)
{
	prov_value *v = NULL;
	hwims_error err;
	if (!dv) {
		problem(w, step, "no value in the response");
		return NULL;
	}
	if (prov_dv_decode(dv, rt(w), &v, &err) != 0) {
		problem(w, step, err.message);
		return NULL;
	}
	return v;
}

static int validate(worker *w, test_conn *c, const prov_value *config)
{
	Tfplugin6__ValidateResourceConfig__Request rq;
	tfplugin6__validate_resource_config__request__init(&rq);
	Tfplugin6__DynamicValue dv;
	hwims_buf b = HWIMS_BUF_INIT;
	int ok = 0;
	rq.type_name = PROV_RESOURCE_TYPE;
	rq.config = &dv;
	if (encode(w, config, &dv, &b) == 0) {
		Tfplugin6__ValidateResourceConfig__Response *r =
		    (Tfplugin6__ValidateResourceConfig__Response *)rpc(
		        c, "/tfplugin6.Provider/ValidateResourceConfig", &rq.base,
		        &tfplugin6__validate_resource_config__response__descriptor);
		if (!r)
			problem(w, "validate", "the call failed");
		else
			ok = clean(w, "validate", r->n_diagnostics, r->diagnostics);
		if (r)
			protobuf_c_message_free_unpacked(&r->base, NULL);
	}
	hwims_buf_free(&b);
	return ok;
}

/* PlanResourceChange; the planned state (caller frees) or NULL. *replace: requires_replace. */
static prov_value *plan(worker *w, test_conn *c, const prov_value *prior,
                        const prov_value *proposed, const prov_value *config, size_t *replace)
{
	Tfplugin6__PlanResourceChange__Request rq;
	tfplugin6__plan_resource_change__request__init(&rq);
	Tfplugin6__DynamicValue a, b, d;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT, bd = HWIMS_BUF_INIT;
	prov_value *planned = NULL;
	rq.type_name = PROV_RESOURCE_TYPE;
	rq.prior_state = &a;
	rq.proposed_new_state = &b;
	rq.config = &d;
	if (encode(w, prior, &a, &ba) == 0 && encode(w, proposed, &b, &bb) == 0 &&
	    encode(w, config, &d, &bd) == 0) {
		Tfplugin6__PlanResourceChange__Response *r =
		    (Tfplugin6__PlanResourceChange__Response *)rpc(
		        c, "/tfplugin6.Provider/PlanResourceChange", &rq.base,
		        &tfplugin6__plan_resource_change__response__descriptor);
		if (!r)
			problem(w, "plan", "the call failed");
		else if (clean(w, "plan", r->n_diagnostics, r->diagnostics))
			planned = decode(w, "plan", r->planned_state);
		if (r) {
			*replace = r->n_requires_replace;
			protobuf_c_message_free_unpacked(&r->base, NULL);
		}
	}
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	hwims_buf_free(&bd);
	return planned;
}

/* ApplyResourceChange; the new state (caller frees) or NULL. */
static prov_value *apply(worker *w, test_conn *c, const prov_value *prior,
                         const prov_value *planned, const prov_value *config)
{
	Tfplugin6__ApplyResourceChange__Request rq;
	tfplugin6__apply_resource_change__request__init(&rq);
	Tfplugin6__DynamicValue a, b, d;
	hwims_buf ba = HWIMS_BUF_INIT, bb = HWIMS_BUF_INIT, bd = HWIMS_BUF_INIT;
	prov_value *st = NULL;
	rq.type_name = PROV_RESOURCE_TYPE;
	rq.prior_state = &a;
	rq.planned_state = &b;
	rq.config = &d;
	if (encode(w, prior, &a, &ba) == 0 && encode(w, planned, &b, &bb) == 0 &&
	    encode(w, config, &d, &bd) == 0) {
		Tfplugin6__ApplyResourceChange__Response *r =
		    (Tfplugin6__ApplyResourceChange__Response *)rpc(
		        c, "/tfplugin6.Provider/ApplyResourceChange", &rq.base,
		        &tfplugin6__apply_resource_change__response__descriptor);
		if (!r)
			problem(w, "apply", "the call failed");
		else if (clean(w, "apply", r->n_diagnostics, r->diagnostics))
			st = decode(w, "apply", r->new_state);
		if (r)
			protobuf_c_message_free_unpacked(&r->base, NULL);
	}
	hwims_buf_free(&ba);
	hwims_buf_free(&bb);
	hwims_buf_free(&bd);
	return st;
}

/* ReadResource; the refreshed state (caller frees) or NULL. */
static prov_value *read_back(worker *w, test_conn *c, const prov_value *current)
{
	Tfplugin6__ReadResource__Request rq;
	tfplugin6__read_resource__request__init(&rq);
	Tfplugin6__DynamicValue a;
	hwims_buf ba = HWIMS_BUF_INIT;
	prov_value *st = NULL;
	rq.type_name = PROV_RESOURCE_TYPE;
	rq.current_state = &a;
	if (encode(w, current, &a, &ba) == 0) {
		Tfplugin6__ReadResource__Response *r = (Tfplugin6__ReadResource__Response *)rpc(
		    c, "/tfplugin6.Provider/ReadResource", &rq.base,
		    &tfplugin6__read_resource__response__descriptor);
		if (!r)
			problem(w, "read", "the call failed");
		else if (clean(w, "read", r->n_diagnostics, r->diagnostics))
			st = decode(w, "read", r->new_state);
		if (r)
			protobuf_c_message_free_unpacked(&r->base, NULL);
	}
	hwims_buf_free(&ba);
	return st;
}

/* Terraform's proposed new state: the configuration, with the prior value for computed
   attributes the configuration leaves null. */
static prov_value *proposed_of(worker *w, const prov_value *prior, const prov_value *config)
{
	prov_value *p = prov_value_clone(config);
	const prov_block_schema *rs = &w->f->p.schemas.resource;
	for (size_t i = 0; p && i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		if ((a->flags & PROV_A_COMPUTED) &&
		    prov_value_is_null(prov_value_attr(config, a->name)))
			prov_value_set_attr(p, a->name,
			                    prov_value_clone(prov_value_attr(prior, a->name)));
	}
	return p;
}

static const char *str_attr(const prov_value *v, const char *name)
{
	const char *s = prov_value_str(prov_value_attr(v, name));
	return s ? s : "(not a known string)";
}

/* One resource's whole life: create, refresh, rename in place, destroy, refresh once more. */
static void lifecycle(worker *w, test_conn *c)
{
	char json[512], name[64];
	prov_type *t = rt(w);
	size_t replace = 0;
	snprintf(name, sizeof(name), "fan-%02d", w->index);
	snprintf(json, sizeof(json),
	         "{\"source_image_id\":\"%s\",\"name\":\"%s\",\"description\":\"fan-out\","
	         "\"tags\":{\"worker\":\"%d\"},\"timeouts\":{\"create\":\"5m\",\"delete\":null}}",
	         w->index % 2 ? IMG_DATA : IMG_UBUNTU, name, w->index);
	prov_value *config = NULL, *config2 = NULL, *null = prov_value_null(t);
	prov_value *planned = NULL, *state = NULL, *read = NULL, *proposed = NULL;
	prov_value *planned2 = NULL, *state2 = NULL, *gone = NULL, *state3 = NULL, *after = NULL;
	hwims_error err;
	if (prov_value_from_json(t, json, strlen(json), &config, &err) != 0) {
		problem(w, "config", err.message);
		goto done;
	}
	if (!validate(w, c, config))
		goto done;

	/* create */
	planned = plan(w, c, null, config, config, &replace);
	if (!planned)
		goto done;
	if (!prov_value_is_unknown(prov_value_attr(planned, "id"))) {
		problem(w, "plan", "a create plan must leave the id unknown");
		goto done;
	}
	state = apply(w, c, null, planned, config);
	if (!state)
		goto done;
	const char *id = prov_value_str(prov_value_attr(state, "id"));
	if (!id || !*id || strcmp(str_attr(state, "name"), name) != 0 ||
	    strcmp(str_attr(state, "region"), REGION) != 0) {
		problem(w, "apply", "the new state does not name the copy as configured");
		goto done;
	}
	snprintf(w->image_id, sizeof(w->image_id), "%s", id);

	/* refresh: the copy exists and reads back as applied */
	read = read_back(w, c, state);
	if (!read)
		goto done;
	if (strcmp(str_attr(read, "id"), w->image_id) != 0 ||
	    strcmp(str_attr(read, "status"), "active") != 0) {
		problem(w, "read", "the copy does not read back active under its id");
		goto done;
	}

	/* rename in place */
	snprintf(json, sizeof(json),
	         "{\"source_image_id\":\"%s\",\"name\":\"%s-r\",\"description\":\"fan-out\","
	         "\"tags\":{\"worker\":\"%d\"},\"timeouts\":{\"create\":\"5m\",\"delete\":null}}",
	         w->index % 2 ? IMG_DATA : IMG_UBUNTU, name, w->index);
	if (prov_value_from_json(t, json, strlen(json), &config2, &err) != 0) {
		problem(w, "config", err.message);
		goto done;
	}
	proposed = proposed_of(w, read, config2);
	planned2 = plan(w, c, read, proposed, config2, &replace);
	if (!planned2)
		goto done;
	if (replace != 0) {
		problem(w, "plan", "a rename must not replace the copy");
		goto done;
	}
	state2 = apply(w, c, read, planned2, config2);
	if (!state2)
		goto done;
	snprintf(name + strlen(name), sizeof(name) - strlen(name), "-r");
	if (strcmp(str_attr(state2, "name"), name) != 0 ||
	    strcmp(str_attr(state2, "id"), w->image_id) != 0) {
		problem(w, "apply", "the rename did not keep the copy and change its name");
		goto done;
	}

	/* destroy */
	gone = plan(w, c, state2, null, null, &replace);
	if (!gone)
		goto done;
	state3 = apply(w, c, state2, gone, null);
	if (!state3)
		goto done;
	if (!prov_value_is_null(state3)) {
		problem(w, "apply", "destroy must leave a null state");
		goto done;
	}
	/* and the copy is gone: a refresh drops it */
	after = read_back(w, c, state2);
	if (after && !prov_value_is_null(after))
		problem(w, "read", "the destroyed copy still reads back");
done:
	prov_value_free(config);
	prov_value_free(config2);
	prov_value_free(null);
	prov_value_free(planned);
	prov_value_free(state);
	prov_value_free(read);
	prov_value_free(proposed);
	prov_value_free(planned2);
	prov_value_free(state2);
	prov_value_free(gone);
	prov_value_free(state3);
	prov_value_free(after);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	test_conn c;
	/* a connection per thread, like several terraform processes; calls of one connection
	   are multiplexed anyway */
	test_connect(&c, w->f->target, NULL, NULL, NULL);
	lifecycle(w, &c);
	test_disconnect(&c);
	return NULL;
}

/* Provider-level calls terraform makes around the resource calls, over and over until the
   workers are done: schema, metadata, provider-config validation, health. */
typedef struct chatter {
	fx *f;
	atomic_int stop;
	int calls, failures;
} chatter;

static void *chatter_main(void *arg)
{
	chatter *ch = arg;
	test_conn c;
	test_connect(&c, ch->f->target, NULL, NULL, NULL);
	prov_value *cfg = provider_config(ch->f);
	Tfplugin6__DynamicValue dv;
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	if (prov_dv_encode(cfg, ch->f->p.schemas.provider.implied, &dv, &b, &err) != 0)
		ch->failures++;
	while (!atomic_load(&ch->stop) && ch->failures == 0) {
		Tfplugin6__GetProviderSchema__Request sq;
		tfplugin6__get_provider_schema__request__init(&sq);
		Tfplugin6__GetProviderSchema__Response *s =
		    (Tfplugin6__GetProviderSchema__Response *)rpc(
		        &c, "/tfplugin6.Provider/GetProviderSchema", &sq.base,
		        &tfplugin6__get_provider_schema__response__descriptor);
		if (!s || s->n_resource_schemas != 1)
			ch->failures++;
		if (s)
			protobuf_c_message_free_unpacked(&s->base, NULL);

		Tfplugin6__GetMetadata__Request mq;
		tfplugin6__get_metadata__request__init(&mq);
		Tfplugin6__GetMetadata__Response *m = (Tfplugin6__GetMetadata__Response *)rpc(
		    &c, "/tfplugin6.Provider/GetMetadata", &mq.base,
		    &tfplugin6__get_metadata__response__descriptor);
		if (!m || m->n_resources != 1)
			ch->failures++;
		if (m)
			protobuf_c_message_free_unpacked(&m->base, NULL);

		Tfplugin6__ValidateProviderConfig__Request vq;
		tfplugin6__validate_provider_config__request__init(&vq);
		vq.config = &dv;
		Tfplugin6__ValidateProviderConfig__Response *v =
		    (Tfplugin6__ValidateProviderConfig__Response *)rpc(
		        &c, "/tfplugin6.Provider/ValidateProviderConfig", &vq.base,
		        &tfplugin6__validate_provider_config__response__descriptor);
		if (!v || v->n_diagnostics != 0)
			ch->failures++;
		if (v)
			protobuf_c_message_free_unpacked(&v->base, NULL);

		Grpc__Health__V1__HealthCheckRequest hq;
		grpc__health__v1__health_check_request__init(&hq);
		hq.service = "plugin";
		ProtobufCMessage *h = rpc(&c, "/grpc.health.v1.Health/Check", &hq.base,
		                          &grpc__health__v1__health_check_response__descriptor);
		if (!h)
			ch->failures++;
		else
			protobuf_c_message_free_unpacked(h, NULL);
		ch->calls += 4;
		/* terraform asks for these now and then, not in a busy loop */
		struct timespec pause = {.tv_nsec = 20 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	hwims_buf_free(&b);
	prov_value_free(cfg);
	test_disconnect(&c);
	return NULL;
}

static void many_resources_plan_and_apply_at_once(void **state)
{
	fx *f = *state;
	if (!f->srv) {
		print_message("imsd is not built: skipping\n");
		skip();
	}
	shared_types t;
	types_of(&f->p, &t);
	int before[3] = {refs_of(t.resource), refs_of(t.timeouts), refs_of(t.tags)};

	test_conn c;
	test_connect(&c, f->target, NULL, NULL, NULL);
	assert_int_equal(configure(f, &c), 0);

	chatter ch = {.f = f};
	atomic_init(&ch.stop, 0);
	pthread_t chatter_thread;
	assert_int_equal(pthread_create(&chatter_thread, NULL, chatter_main, &ch), 0);
	static worker w[RESOURCES];
	pthread_t th[RESOURCES];
	for (int i = 0; i < RESOURCES; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].index = i;
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	/* Terraform configures each process once; a second configuration while calls run
	   must still leave every running call a client that stays valid. */
	assert_int_equal(configure(f, &c), 0);
	for (int i = 0; i < RESOURCES; i++)
		pthread_join(th[i], NULL);
	atomic_store(&ch.stop, 1);
	pthread_join(chatter_thread, NULL);
	test_disconnect(&c);

	for (int i = 0; i < RESOURCES; i++) {
		if (w[i].problem[0])
			fail_msg("%s", w[i].problem);
	}
	for (int i = 0; i < RESOURCES; i++) {
		for (int k = i + 1; k < RESOURCES; k++)
			assert_string_not_equal(w[i].image_id, w[k].image_id);
	}
	assert_int_equal(ch.failures, 0);
	assert_true(ch.calls > 0);
	/* Every call's values are freed before its reply is sent: the counts are back. */
	assert_int_equal(refs_of(t.resource), before[0]);
	assert_int_equal(refs_of(t.timeouts), before[1]);
	assert_int_equal(refs_of(t.tags), before[2]);
}

int main(void)
{
	grpc_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decoding_from_many_threads_keeps_type_counts),
	    cmocka_unit_test(many_resources_plan_and_apply_at_once),
	};
	int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	grpc_shutdown();
	return rc;
}
