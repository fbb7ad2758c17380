/* rpc_provider.c - the provider-level RPCs: schema, metadata, configuration, lifecycle. */
#include <stdio.h>
#include <string.h>

#include "grpc_controller.pb-c.h"
#include "health.pb-c.h"
#include "prov_rpc.h"

/* The schema answers are built whole by schema.c; a failure fails the call. */
static void fail_internal(prov_reply *reply, const hwims_error *err)
{
	reply->status = GRPC_STATUS_INTERNAL;
	snprintf(reply->message, sizeof(reply->message), "%.200s", err->message);
}

void prov_rpc_get_provider_schema(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	hwims_error err;
	if (prov_schema_response(&p->schemas, &reply->data, &reply->len, &err) != 0)
		fail_internal(reply, &err);
}

void prov_rpc_get_metadata(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	hwims_error err;
	if (prov_metadata_response(&p->schemas, &reply->data, &reply->len, &err) != 0)
		fail_internal(reply, &err);
}

void prov_rpc_validate_provider_config(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ValidateProviderConfig__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__validate_provider_config__request__descriptor,
	                    "ValidateProviderConfig request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ValidateProviderConfig__Response resp;
	tfplugin6__validate_provider_config__response__init(&resp);
	prov_op op = prov_call_provider_op(&c);
	prov_call_validate(&c, &op, rq->config, "Invalid provider configuration value",
	                   prov_provider_validate_config);
	prov_call_end(&c, &resp.base);
}

void prov_rpc_configure_provider(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ConfigureProvider__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__configure_provider__request__descriptor,
	                    "ConfigureProvider request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ConfigureProvider__Response resp;
	tfplugin6__configure_provider__response__init(&resp);
	prov_op op = prov_call_provider_op(&c);
	prov_value *cfg;
	if (prov_call_decode(&c, rq->config, op.schema->implied,
	                     "Invalid provider configuration value", &cfg) == 0)
		prov_provider_configure(&op, cfg, rq->terraform_version);
	prov_call_end(&c, &resp.base);
}

void prov_rpc_stop_provider(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	prov_call_begin(&c, app, NULL, NULL, req, len, reply);
	prov_logf(c.p->log, HWIMS_LOG_INFO, "StopProvider: cancelling in-flight operations");
	hwims_cancel_trigger(c.p->stop);
	Tfplugin6__StopProvider__Response resp;
	tfplugin6__stop_provider__response__init(&resp);
	prov_call_end(&c, &resp.base);
}

void prov_rpc_shutdown(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	prov_call_begin(&c, app, NULL, NULL, req, len, reply);
	Plugin__Empty resp;
	plugin__empty__init(&resp);
	prov_call_end(&c, &resp.base);
	reply->shutdown_after = 1;
}

void prov_rpc_health_check(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Grpc__Health__V1__HealthCheckRequest *rq =
	    prov_call_begin(&c, app, &grpc__health__v1__health_check_request__descriptor,
	                    "HealthCheckRequest", req, len, reply);
	if (!rq)
		return;
	Grpc__Health__V1__HealthCheckResponse resp;
	grpc__health__v1__health_check_response__init(&resp);
	resp.status = GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
	/* go-plugin registers "plugin" as SERVING; "" is the server as a whole. */
	if (strcmp(rq->service, "plugin") == 0 || rq->service[0] == '\0') {
		prov_call_end(&c, &resp.base);
		return;
	}
	reply->status = GRPC_STATUS_NOT_FOUND;
	snprintf(reply->message, sizeof(reply->message), "unknown service");
	prov_call_end(&c, NULL);
}
