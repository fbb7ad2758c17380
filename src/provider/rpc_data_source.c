/* rpc_data_source.c - the data source RPCs, framed around the data source table's operations. */
#include "prov_rpc.h"

void prov_rpc_validate_data_resource_config(void *app, const uint8_t *req, size_t len,
                                            prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ValidateDataResourceConfig__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__validate_data_resource_config__request__descriptor,
	                    "ValidateDataResourceConfig request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ValidateDataResourceConfig__Response resp;
	tfplugin6__validate_data_resource_config__response__init(&resp);
	prov_op op;
	const prov_data_source_ops *ops = prov_call_data_source(&c, rq->type_name, &op);
	if (ops)
		prov_call_validate(&c, &op, rq->config, "Invalid configuration value",
		                   ops->validate);
	prov_call_end(&c, &resp.base);
}

void prov_rpc_read_data_source(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ReadDataSource__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__read_data_source__request__descriptor,
	                    "ReadDataSource request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ReadDataSource__Response resp;
	tfplugin6__read_data_source__response__init(&resp);
	prov_op op;
	const prov_data_source_ops *ops = prov_call_data_source(&c, rq->type_name, &op);
	prov_value *cfg, *st = NULL;
	if (ops && prov_call_decode(&c, rq->config, op.schema->implied,
	                            "Invalid configuration value", &cfg) == 0)
		st = ops->read(&op, cfg);
	if (st)
		resp.state = prov_call_encode(&c, st, op.schema->implied,
		                              "Cannot encode the data source's state");
	prov_call_end(&c, &resp.base);
	prov_value_free(st);
}
