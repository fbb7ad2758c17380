/* rpc.c - the one frame every provider RPC runs in (see prov_rpc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_rpc.h"

void *prov_call_begin(prov_call *c, void *app, const ProtobufCMessageDescriptor *desc,
                      const char *what, const uint8_t *req, size_t len, prov_reply *reply)
{
	memset(c, 0, sizeof(*c));
	c->p = app;
	c->reply = reply;
	c->diags = (prov_diags)PROV_DIAGS_INIT;
	c->storage = (hwims_buf)HWIMS_BUF_INIT;
	if (!desc)
		return c; /* anything non-NULL: nothing to unpack */
	c->request = protobuf_c_message_unpack(desc, NULL, len, req);
	if (!c->request) {
		/* the call itself fails: gRPC INVALID_ARGUMENT with a message */
		reply->status = GRPC_STATUS_INVALID_ARGUMENT;
		snprintf(reply->message, sizeof(reply->message), "malformed %s", what);
	}
	return c->request;
}

/* Point resp's repeated `diagnostics` field, if it has one, at the call's diagnostics. */
static void set_diagnostics(ProtobufCMessage *resp, const prov_diags *d)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(resp->descriptor, "diagnostics");
	if (!f || f->label != PROTOBUF_C_LABEL_REPEATED)
		return;
	*(size_t *)((char *)resp + f->quantifier_offset) = d->n;
	*(Tfplugin6__Diagnostic ***)((char *)resp + f->offset) = d->items;
}

static void pack(prov_reply *reply, const ProtobufCMessage *msg)
{
	size_t len = protobuf_c_message_get_packed_size(msg);
	reply->data = malloc(len ? len : 1);
	if (!reply->data) /* the reply may be all that names a new copy: try once more */
		reply->data = malloc(len ? len : 1);
	if (!reply->data) {
		reply->status = GRPC_STATUS_RESOURCE_EXHAUSTED;
		snprintf(reply->message, sizeof(reply->message), "out of memory");
		return;
	}
	reply->len = protobuf_c_message_pack(msg, reply->data);
}

void prov_call_end(prov_call *c, ProtobufCMessage *resp)
{
	if (resp) {
		set_diagnostics(resp, &c->diags);
		pack(c->reply, resp);
	}
	prov_diags_free(&c->diags);
	for (size_t i = 0; i < c->n_values; i++)
		prov_value_free(c->values[i]);
	hwims_buf_free(&c->storage);
	free(c->priv.owned);
	free(c->scratch);
	if (c->request)
		protobuf_c_message_free_unpacked(c->request, NULL);
	memset(c, 0, sizeof(*c));
}

void prov_call_error(prov_call *c, const char *summary, const char *detail)
{
	prov_diag_add(&c->diags, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, summary, detail, NULL);
}

static void unsupported(prov_call *c, const char *summary, const char *kind, const char *type_name)
{
	char detail[300];
	snprintf(detail, sizeof(detail), "This provider has no %s \"%.200s\".", kind, type_name);
	prov_call_error(c, summary, detail);
}

static prov_op op_for(prov_call *c, const prov_block_schema *schema)
{
	prov_op op = {
	    .p = c->p, .client = prov_provider_client(c->p), .schema = schema, .d = &c->diags};
	return op;
}

const prov_resource_ops *prov_call_resource(prov_call *c, const char *type_name, prov_op *op)
{
	const prov_resource_ops *ops = prov_resource_find(type_name);
	if (!ops) {
		unsupported(c, "Unsupported resource type", "resource type", type_name);
		return NULL;
	}
	*op = op_for(c, ops->schema(&c->p->schemas));
	return ops;
}

const prov_data_source_ops *prov_call_data_source(prov_call *c, const char *type_name, prov_op *op)
{
	size_t i;
	const prov_data_source_ops *ops = prov_data_source_find(type_name, &i);
	if (!ops) {
		unsupported(c, "Unsupported data source", "data source", type_name);
		return NULL;
	}
	*op = op_for(c, &c->p->schemas.data_sources[i].block);
	return ops;
}

prov_op prov_call_provider_op(prov_call *c)
{
	return op_for(c, &c->p->schemas.provider);
}

int prov_call_decode(prov_call *c, const Tfplugin6__DynamicValue *dv, const prov_type *t,
                     const char *summary, prov_value **out)
{
	hwims_error err;
	*out = NULL;
	if (c->n_values == PROV_CALL_VALUES) {
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "too many values in one call");
	} else if (prov_dv_decode(dv, t, out, &err) == 0) {
		c->values[c->n_values++] = *out;
		return 0;
	}
	prov_diag_from_error(&c->diags, summary, &err, NULL);
	return -1;
}

void prov_call_validate(prov_call *c, const prov_op *op, const Tfplugin6__DynamicValue *config,
                        const char *summary,
                        void (*validate)(const prov_op *op, const prov_value *config))
{
	prov_value *cfg;
	/* unknown values are normal at validate time; a wholly unknown object has nothing to
	   check yet, a null one nothing at all */
	if (prov_call_decode(c, config, op->schema->implied, summary, &cfg) == 0 &&
	    cfg->state == PROV_KNOWN)
		validate(op, cfg);
}

Tfplugin6__DynamicValue *prov_call_encode(prov_call *c, const prov_value *v, const prov_type *t,
                                          const char *summary)
{
	hwims_error err;
	hwims_buf_free(&c->storage);
	int rc = prov_dv_encode(v, t, &c->encoded, &c->storage, &err);
	if (rc != 0 && err.kind == HWIMS_ERR_INTERNAL) {
		/* the first attempt's buffer is freed before the second */
		hwims_buf_free(&c->storage);
		rc = prov_dv_encode(v, t, &c->encoded, &c->storage, &err);
	}
	if (rc != 0) {
		prov_diag_from_error(&c->diags, summary, &err, NULL);
		return NULL;
	}
	return &c->encoded;
}

void prov_call_private(prov_call *c, const ProtobufCBinaryData *echo)
{
	c->priv.data = *echo;
}

/* One attribute path of one step, laid out together. */
typedef struct one_step_path {
	Tfplugin6__AttributePath path;
	Tfplugin6__AttributePath__Step step;
	Tfplugin6__AttributePath__Step *steps[1];
} one_step_path;

Tfplugin6__AttributePath **prov_call_paths(prov_call *c, const char *const *names, size_t n)
{
	if (n == 0)
		return NULL;
	/* the pointer list after the paths: both pointer-aligned, one allocation */
	one_step_path *cells = calloc(1, n * (sizeof(one_step_path) + sizeof(void *)));
	if (!cells)
		return NULL;
	Tfplugin6__AttributePath **list = (Tfplugin6__AttributePath **)(cells + n);
	for (size_t i = 0; i < n; i++) {
		tfplugin6__attribute_path__init(&cells[i].path);
		tfplugin6__attribute_path__step__init(&cells[i].step);
		cells[i].step.selector_case =
		    TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
		cells[i].step.attribute_name = (char *)names[i];
		cells[i].steps[0] = &cells[i].step;
		cells[i].path.steps = cells[i].steps;
		cells[i].path.n_steps = 1;
		list[i] = &cells[i].path;
	}
	free(c->scratch);
	c->scratch = cells;
	return list;
}
