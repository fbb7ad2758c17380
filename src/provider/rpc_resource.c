/* rpc_resource.c - the resource RPCs, framed around the resource table's operations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_rpc.h"

void prov_rpc_validate_resource_config(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ValidateResourceConfig__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__validate_resource_config__request__descriptor,
	                    "ValidateResourceConfig request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ValidateResourceConfig__Response resp;
	tfplugin6__validate_resource_config__response__init(&resp);
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	if (ops)
		prov_call_validate(&c, &op, rq->config, "Invalid configuration value",
		                   ops->validate);
	prov_call_end(&c, &resp.base);
}

void prov_rpc_plan_resource_change(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__PlanResourceChange__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__plan_resource_change__request__descriptor,
	                    "PlanResourceChange request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__PlanResourceChange__Response resp;
	tfplugin6__plan_resource_change__response__init(&resp);
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	prov_value *prior, *proposed, *config;
	prov_plan_out out = {0};
	const char *summary = "Invalid plan request value";
	if (!ops || prov_call_decode(&c, rq->prior_state, op.schema->implied, summary, &prior) ||
	    prov_call_decode(&c, rq->proposed_new_state, op.schema->implied, summary, &proposed) ||
	    prov_call_decode(&c, rq->config, op.schema->implied, summary, &config))
		goto reply;
	prov_plan_in in = {prior, proposed, config, &rq->prior_private};
	Tfplugin6__AttributePath **paths = NULL;
	if (ops->plan(&op, &in, &out) != 0 ||
	    (out.n_replace && !(paths = prov_call_paths(&c, out.replace, out.n_replace)))) {
		prov_call_error(&c, "Planning failed", "out of memory");
		goto reply;
	}
	resp.planned_state =
	    prov_call_encode(&c, out.planned, op.schema->implied, "Planning failed");
	if (resp.planned_state) {
		resp.requires_replace = paths;
		resp.n_requires_replace = out.n_replace;
		/* Nothing to carry to apply yet; pass the prior private through unchanged. */
		resp.planned_private = rq->prior_private;
	}
reply:
	prov_call_end(&c, &resp.base);
	prov_value_free(out.planned);
	free(out.replace);
}

void prov_rpc_apply_resource_change(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ApplyResourceChange__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__apply_resource_change__request__descriptor,
	                    "ApplyResourceChange request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ApplyResourceChange__Response resp;
	tfplugin6__apply_resource_change__response__init(&resp);
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	prov_value *prior, *planned, *config, *st = NULL;
	const char *summary = "Invalid apply request value";
	if (!ops || prov_call_decode(&c, rq->prior_state, op.schema->implied, summary, &prior) ||
	    prov_call_decode(&c, rq->planned_state, op.schema->implied, summary, &planned) ||
	    prov_call_decode(&c, rq->config, op.schema->implied, summary, &config))
		goto reply;
	prov_call_private(&c, &rq->planned_private);
	prov_apply_in in = {prior, planned, config, &rq->planned_private};
	st = ops->apply(&op, &in, &c.priv);
	if (st)
		resp.new_state =
		    prov_call_encode(&c, st, op.schema->implied, "Cannot encode the new state");
	resp.private_ = c.priv.data;
reply:
	prov_call_end(&c, &resp.base);
	const char *id = prov_value_str(prov_value_attr(st, "id"));
	if (reply->status != GRPC_STATUS_OK && id && *id)
		/* no memory for the answer: the call's status is the one place left to name the
		   object the apply made */
		snprintf(reply->message, sizeof(reply->message),
		         "out of memory answering the apply: %s %.64s exists and is not in the "
		         "state; import or delete it",
		         ops->noun, id);
	prov_value_free(st);
}

void prov_rpc_read_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ReadResource__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__read_resource__request__descriptor,
	                    "ReadResource request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ReadResource__Response resp;
	tfplugin6__read_resource__response__init(&resp);
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	prov_value *prior, *st = NULL;
	if (ops && prov_call_decode(&c, rq->current_state, op.schema->implied,
	                            "Invalid state value", &prior) == 0) {
		/* the response replaces the stored private: echo it unless the read changes it */
		prov_call_private(&c, &rq->private_);
		st = ops->read(&op, prior, &rq->private_, &c.priv);
		if (st)
			resp.new_state =
			    prov_call_encode(&c, st, op.schema->implied, "Cannot encode the state");
		resp.private_ = c.priv.data;
	}
	prov_call_end(&c, &resp.base);
	prov_value_free(st);
}

void prov_rpc_import_resource_state(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__ImportResourceState__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__import_resource_state__request__descriptor,
	                    "ImportResourceState request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__ImportResourceState__Response resp;
	tfplugin6__import_resource_state__response__init(&resp);
	Tfplugin6__ImportResourceState__ImportedResource ir;
	tfplugin6__import_resource_state__imported_resource__init(&ir);
	Tfplugin6__ImportResourceState__ImportedResource *irs[1] = {&ir};
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	prov_value *st = ops ? ops->import(&op, rq->id, &c.priv) : NULL;
	char summary[96];
	snprintf(summary, sizeof(summary), "Cannot import the %s", ops ? ops->noun : "object");
	if (st && (ir.state = prov_call_encode(&c, st, op.schema->implied, summary))) {
		ir.type_name = (char *)ops->type_name;
		ir.private_ = c.priv.data;
		resp.imported_resources = irs;
		resp.n_imported_resources = 1;
	}
	prov_call_end(&c, &resp.base);
	prov_value_free(st);
}

void prov_rpc_upgrade_resource_state(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_call c;
	Tfplugin6__UpgradeResourceState__Request *rq =
	    prov_call_begin(&c, app, &tfplugin6__upgrade_resource_state__request__descriptor,
	                    "UpgradeResourceState request", req, len, reply);
	if (!rq)
		return;
	Tfplugin6__UpgradeResourceState__Response resp;
	tfplugin6__upgrade_resource_state__response__init(&resp);
	prov_op op;
	const prov_resource_ops *ops = prov_call_resource(&c, rq->type_name, &op);
	prov_value *st = ops ? ops->upgrade(&op, rq->version, rq->raw_state) : NULL;
	if (st)
		resp.upgraded_state =
		    prov_call_encode(&c, st, op.schema->implied, "Cannot upgrade the state");
	prov_call_end(&c, &resp.base);
	prov_value_free(st);
}
