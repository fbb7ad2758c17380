/* dispatch.c - provider-level RPCs and the routing table (see prov_provider.h). */
#include <stdlib.h>
#include <string.h>

#include "grpc_controller.pb-c.h"
#include "health.pb-c.h"
#include "hwims/config.h"
#include "prov_provider.h"

struct prov_retired {
	hwims_client *client;
	prov_retired *next;
};

int prov_provider_init(prov_provider *p, prov_log *log, char *const *envp, hwims_error *err)
{
	memset(p, 0, sizeof(*p));
	p->log = log;
	p->envp = envp;
	p->copts.log = log ? &log->bridge : NULL;
	if (prov_schemas_build(&p->schemas, err) != 0)
		return -1;
	if (hwims_cancel_new(&p->stop, err) != 0) {
		prov_schemas_free(&p->schemas);
		return -1;
	}
	pthread_mutex_init(&p->mu, NULL);
	return 0;
}

void prov_provider_destroy(prov_provider *p)
{
	if (!p)
		return;
	hwims_client_free(p->client);
	while (p->retired) {
		prov_retired *r = p->retired;
		p->retired = r->next;
		hwims_client_free(r->client);
		free(r);
	}
	hwims_cancel_free(p->stop);
	prov_schemas_free(&p->schemas);
	pthread_mutex_destroy(&p->mu);
	memset(p, 0, sizeof(*p));
}

void prov_provider_on_shutdown(void *app)
{
	prov_provider *p = app;
	hwims_cancel_trigger(p->stop);
}

hwims_client *prov_provider_client(prov_provider *p)
{
	pthread_mutex_lock(&p->mu);
	hwims_client *c = p->client;
	pthread_mutex_unlock(&p->mu);
	return c;
}

/* ---- helpers ------------------------------------------------------------------------------ */

int prov_dv_decode(const Tfplugin6__DynamicValue *dv, const prov_type *t, prov_value **out,
                   hwims_error *err)
{
	if (dv && dv->msgpack.len)
		return prov_value_from_msgpack(t, dv->msgpack.data, dv->msgpack.len, out, err);
	if (dv && dv->json.len)
		return prov_value_from_json(t, (const char *)dv->json.data, dv->json.len, out, err);
	*out = prov_value_null((prov_type *)t);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

int prov_dv_encode(const prov_value *v, const prov_type *t, Tfplugin6__DynamicValue *dv,
                   hwims_buf *storage, hwims_error *err)
{
	tfplugin6__dynamic_value__init(dv);
	if (prov_value_to_msgpack(v, t, storage, err) != 0)
		return -1;
	dv->msgpack.data = (uint8_t *)storage->data;
	dv->msgpack.len = storage->len;
	return 0;
}

void prov_reply_pack(prov_reply *reply, const ProtobufCMessage *msg)
{
	size_t len = protobuf_c_message_get_packed_size(msg);
	reply->data = malloc(len ? len : 1);
	if (!reply->data) /* the reply may be all that names a new copy: try once more */
		reply->data = malloc(len ? len : 1);
	if (!reply->data) {
		reply->status = GRPC_STATUS_RESOURCE_EXHAUSTED;
		strcpy(reply->message, "out of memory");
		return;
	}
	reply->len = protobuf_c_message_pack(msg, reply->data);
}

void prov_reply_bad_request(prov_reply *reply, const char *what)
{
	reply->status = GRPC_STATUS_INVALID_ARGUMENT;
	snprintf(reply->message, sizeof(reply->message), "%s", what);
}

#define UNPACK(type, desc, len, data)                                                              \
	((type *)protobuf_c_message_unpack(&(desc), NULL, (len), (data)))

/* ---- provider configuration -------------------------------------------------------------- */

static const char *const endpoint_keys[HWIMS_SVC_COUNT] = {"ims", "iam", "eps"};

/* Known string attribute of the config, else NULL (null and unknown alike). */
static const char *cfg_str(const prov_value *cfg, const char *name)
{
	return prov_value_str(prov_value_attr(cfg, name));
}

/*
 * Check what can be checked in a provider configuration: unknown values are skipped (they are
 * normal at validate time), and libhwims' own loader runs over the known settings without the
 * environment so a problem is reported against the attribute that has it.
 */
static void validate_provider_config(const prov_value *cfg, prov_diags *d)
{
	const prov_value *mr = prov_value_attr(cfg, "max_retries");
	if (mr && mr->state == PROV_KNOWN) {
		int64_t n;
		if (prov_number_int64(&mr->u.num, &n) != 0 || n < 0 || n > HWIMS_MAX_MAX_RETRIES)
			prov_diag_add(
			    d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid max_retries",
			    "max_retries must be a whole number from 0 to 20.", "max_retries");
	}
	const prov_value *ep = prov_value_attr(cfg, "endpoints");
	hwims_config_args args;
	hwims_config_args_init(&args);
	if (ep && ep->state == PROV_KNOWN) {
		for (size_t i = 0; i < ep->u.coll.n; i++) {
			const char *key = ep->u.coll.keys[i];
			char path[200];
			snprintf(path, sizeof(path), "endpoints[\"%.64s\"]", key);
			int svc = -1;
			for (int s = 0; s < HWIMS_SVC_COUNT; s++) {
				if (strcmp(key, endpoint_keys[s]) == 0)
					svc = s;
			}
			if (svc < 0) {
				prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
				              "Unsupported endpoint service",
				              "endpoints keys must be \"ims\", \"iam\" or \"eps\".",
				              path);
				continue;
			}
			const char *url = prov_value_str(ep->u.coll.items[i]);
			if (!url)
				continue;
			hwims_config_args one;
			hwims_config_args_init(&one);
			one.endpoints[svc] = url;
			hwims_config c;
			hwims_error err;
			if (hwims_config_load(&c, &one, NULL, &err) != 0)
				prov_diag_from_error(d, "Invalid endpoint", &err, path);
			else
				hwims_config_free(&c);
		}
	}
	args.cloud = cfg_str(cfg, "cloud");
	hwims_config c;
	hwims_error err;
	if (hwims_config_load(&c, &args, NULL, &err) != 0)
		prov_diag_from_error(d, "Invalid provider configuration", &err, "cloud");
	else
		hwims_config_free(&c);
}

static void h_validate_provider(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ValidateProviderConfig__Request *rq =
	    UNPACK(Tfplugin6__ValidateProviderConfig__Request,
	           tfplugin6__validate_provider_config__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ValidateProviderConfig request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *cfg = NULL;
	hwims_error err;
	if (prov_dv_decode(rq->config, p->schemas.provider.implied, &cfg, &err) != 0)
		prov_diag_from_error(&d, "Invalid provider configuration value", &err, NULL);
	else if (cfg->state == PROV_KNOWN)
		validate_provider_config(cfg, &d);
	Tfplugin6__ValidateProviderConfig__Response resp;
	tfplugin6__validate_provider_config__response__init(&resp);
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	prov_value_free(cfg);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

static void config_args_from(const prov_value *cfg, hwims_config_args *a)
{
	hwims_config_args_init(a);
	a->region = cfg_str(cfg, "region");
	a->access_key = cfg_str(cfg, "access_key");
	a->secret_key = cfg_str(cfg, "secret_key");
	a->security_token = cfg_str(cfg, "security_token");
	a->project_id = cfg_str(cfg, "project_id");
	a->cloud = cfg_str(cfg, "cloud");
	a->enterprise_project_id = cfg_str(cfg, "enterprise_project_id");
	const prov_value *ep = prov_value_attr(cfg, "endpoints");
	if (ep && ep->state == PROV_KNOWN) {
		for (size_t i = 0; i < ep->u.coll.n; i++) {
			for (int s = 0; s < HWIMS_SVC_COUNT; s++) {
				if (strcmp(ep->u.coll.keys[i], endpoint_keys[s]) == 0)
					a->endpoints[s] = prov_value_str(ep->u.coll.items[i]);
			}
		}
	}
	const prov_value *ins = prov_value_attr(cfg, "insecure");
	if (ins && ins->state == PROV_KNOWN)
		a->insecure = ins->u.b;
	const prov_value *mr = prov_value_attr(cfg, "max_retries");
	int64_t n;
	if (mr && mr->state == PROV_KNOWN && prov_number_int64(&mr->u.num, &n) == 0 && n >= 0 &&
	    n <= HWIMS_MAX_MAX_RETRIES)
		a->max_retries = (int)n;
}

static void h_configure(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ConfigureProvider__Request *rq =
	    UNPACK(Tfplugin6__ConfigureProvider__Request,
	           tfplugin6__configure_provider__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ConfigureProvider request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *cfg = NULL;
	hwims_error err;
	hwims_config c;
	memset(&c, 0, sizeof(c));
	if (prov_dv_decode(rq->config, p->schemas.provider.implied, &cfg, &err) != 0) {
		prov_diag_from_error(&d, "Invalid provider configuration value", &err, NULL);
		goto reply;
	}
	/* Unknown settings (possible while planning) count as unset: the environment and the
	   defaults fill in, as they would for an omitted argument. */
	hwims_config_args args;
	config_args_from(cfg, &args);
	if (hwims_config_load(&c, &args, p->envp, &err) != 0) {
		prov_diag_from_error(&d, "Invalid provider configuration", &err, NULL);
		goto reply;
	}
	hwims_client *client = NULL;
	if (hwims_client_new(&client, &c, &p->copts, &err) != 0) {
		prov_diag_from_error(&d, "Cannot configure the huaweicloud provider", &err, NULL);
		goto reply;
	}
	/*
	 * A client being replaced may still be in use: other calls took it through
	 * prov_provider_client and use it without the lock until they finish. So it is kept (on
	 * the retired list) until prov_provider_destroy, never freed here; its list node is
	 * allocated first so running out of memory fails this call rather than forcing a free.
	 */
	prov_retired *r = malloc(sizeof(*r));
	if (!r) {
		hwims_client_free(client);
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Cannot configure the huaweicloud provider", "out of memory", NULL);
		goto reply;
	}
	prov_logf(p->log, HWIMS_LOG_INFO, "configured: terraform %s, region %s",
	          rq->terraform_version, c.region ? c.region : "(none)");
	pthread_mutex_lock(&p->mu);
	if (p->client) {
		r->client = p->client;
		r->next = p->retired;
		p->retired = r;
		r = NULL;
	}
	p->client = client;
	pthread_mutex_unlock(&p->mu);
	free(r); /* unused: there was no client to retire */
reply:;
	Tfplugin6__ConfigureProvider__Response resp;
	tfplugin6__configure_provider__response__init(&resp);
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	hwims_config_free(&c);
	prov_value_free(cfg);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- schema, metadata, data sources -------------------------------------------------------- */

static void h_schema(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	hwims_error err;
	if (prov_schema_response(&p->schemas, &reply->data, &reply->len, &err) != 0) {
		reply->status = GRPC_STATUS_INTERNAL;
		snprintf(reply->message, sizeof(reply->message), "%.200s", err.message);
	}
}

static void h_metadata(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	hwims_error err;
	if (prov_metadata_response(&reply->data, &reply->len, &err) != 0) {
		reply->status = GRPC_STATUS_INTERNAL;
		snprintf(reply->message, sizeof(reply->message), "%.200s", err.message);
	}
}

static void h_validate_data(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	Tfplugin6__ValidateDataResourceConfig__Request *rq =
	    UNPACK(Tfplugin6__ValidateDataResourceConfig__Request,
	           tfplugin6__validate_data_resource_config__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ValidateDataResourceConfig request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	char detail[300];
	snprintf(detail, sizeof(detail), "This provider has no data source \"%.200s\".",
	         rq->type_name);
	prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Unsupported data source", detail,
	              NULL);
	Tfplugin6__ValidateDataResourceConfig__Response resp;
	tfplugin6__validate_data_resource_config__response__init(&resp);
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static void h_stop(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	prov_logf(p->log, HWIMS_LOG_INFO, "StopProvider: cancelling in-flight operations");
	hwims_cancel_trigger(p->stop);
	Tfplugin6__StopProvider__Response resp;
	tfplugin6__stop_provider__response__init(&resp);
	prov_reply_pack(reply, &resp.base);
}

static void h_shutdown(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	Plugin__Empty resp;
	plugin__empty__init(&resp);
	prov_reply_pack(reply, &resp.base);
	reply->shutdown_after = 1;
}

static void h_health(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	Grpc__Health__V1__HealthCheckRequest *rq =
	    grpc__health__v1__health_check_request__unpack(NULL, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed HealthCheckRequest");
		return;
	}
	/* go-plugin registers "plugin" as SERVING; "" is the server as a whole. */
	if (strcmp(rq->service, "plugin") != 0 && rq->service[0] != '\0') {
		reply->status = GRPC_STATUS_NOT_FOUND;
		snprintf(reply->message, sizeof(reply->message), "unknown service");
	} else {
		Grpc__Health__V1__HealthCheckResponse resp;
		grpc__health__v1__health_check_response__init(&resp);
		resp.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
		prov_reply_pack(reply, &resp.base);
	}
	grpc__health__v1__health_check_request__free_unpacked(rq, NULL);
}

/* Everything not listed here (GetResourceIdentitySchemas, GRPCStdio/StreamStdio,
   GRPCBroker/StartStream, functions, ephemeral resources, ...) is answered UNIMPLEMENTED by the
   server, which is what terraform and go-plugin expect from a provider without them. */
static const prov_route routes[] = {
    {"/tfplugin6.Provider/GetProviderSchema", h_schema},
    {"/tfplugin6.Provider/GetMetadata", h_metadata},
    {"/tfplugin6.Provider/ValidateProviderConfig", h_validate_provider},
    {"/tfplugin6.Provider/ConfigureProvider", h_configure},
    {"/tfplugin6.Provider/ValidateResourceConfig", prov_validate_resource},
    {"/tfplugin6.Provider/ValidateDataResourceConfig", h_validate_data},
    {"/tfplugin6.Provider/UpgradeResourceState", prov_upgrade_resource},
    {"/tfplugin6.Provider/ReadResource", prov_read_resource},
    {"/tfplugin6.Provider/PlanResourceChange", prov_plan_resource},
    {"/tfplugin6.Provider/ApplyResourceChange", prov_apply_resource},
    {"/tfplugin6.Provider/ImportResourceState", prov_import_resource},
    {"/tfplugin6.Provider/StopProvider", h_stop},
    {"/plugin.GRPCController/Shutdown", h_shutdown},
    {"/grpc.health.v1.Health/Check", h_health},
};

const prov_route *prov_routes(size_t *count)
{
	*count = sizeof(routes) / sizeof(routes[0]);
	return routes;
}
