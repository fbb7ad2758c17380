/*
 * prov_rpc.h - the RPC frame: every gRPC method the provider serves, and the
 * one frame they all run in.
 *
 * A handler (a prov_handler_fn the server calls with the request bytes) is a
 * short adapter: prov_call_begin unpacks the request or rejects it as
 * malformed; prov_call_resource / prov_call_data_source find the type's table
 * entry (prov_ops.h) or answer "Unsupported ..."; prov_call_decode turns the
 * request's DynamicValues into cty values; the adapter calls the operation;
 * prov_call_encode turns its result back; prov_call_end puts the collected
 * diagnostics into the response, packs it into the reply and frees everything
 * the call held. Only this layer knows protobuf framing; it calls down into
 * the operations and the values, never the other way.
 */
#ifndef PROV_RPC_H
#define PROV_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "prov_ops.h"
#include "prov_server.h"

/* Every method the provider serves, for prov_server_options.routes (static, never freed). */
const prov_route *prov_routes(size_t *count);

/* The handlers the routes name (app is the prov_provider). */
void prov_rpc_get_provider_schema(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_get_metadata(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_validate_provider_config(void *app, const uint8_t *req, size_t len,
                                       prov_reply *reply);
void prov_rpc_configure_provider(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_stop_provider(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_shutdown(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_health_check(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_validate_resource_config(void *app, const uint8_t *req, size_t len,
                                       prov_reply *reply);
void prov_rpc_upgrade_resource_state(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_read_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_plan_resource_change(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_apply_resource_change(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_import_resource_state(void *app, const uint8_t *req, size_t len, prov_reply *reply);
void prov_rpc_validate_data_resource_config(void *app, const uint8_t *req, size_t len,
                                            prov_reply *reply);
void prov_rpc_read_data_source(void *app, const uint8_t *req, size_t len, prov_reply *reply);

/* ---- the frame (rpc.c) ------------------------------------------------------------------ */

/* Decoded values one call may hold: a plan or an apply decodes three. */
#define PROV_CALL_VALUES 4

/* One call in flight; lives on the handler's stack from begin to end. */
typedef struct prov_call {
	prov_provider *p;
	prov_reply *reply;
	ProtobufCMessage *request; /* unpacked, owned; NULL for methods without a body */
	prov_diags diags;
	prov_value *values[PROV_CALL_VALUES]; /* decoded inputs, owned */
	size_t n_values;
	Tfplugin6__DynamicValue encoded; /* the one value a response carries */
	hwims_buf storage;               /* its bytes */
	prov_private priv;               /* the private state answered (prov_call_private) */
	void *scratch;                   /* response parts the frame built (attribute paths) */
} prov_call;

/*
 * Start a call. desc NULL: the method's request is not read (it has no fields we use). Else
 * the request is unpacked and returned; when it does not parse, the call is answered
 * INVALID_ARGUMENT "malformed <what>", nothing is left to free, and NULL is returned.
 */
void *prov_call_begin(prov_call *c, void *app, const ProtobufCMessageDescriptor *desc,
                      const char *what, const uint8_t *req, size_t len, prov_reply *reply);

/* Answer with resp (a response message on the caller's stack; its `diagnostics` field, when
   it has one, gets the call's), then free what the call holds. The reply may come out as a
   failed call (RESOURCE_EXHAUSTED) when there is no memory to pack it. resp NULL: the caller
   has failed the call (reply->status); only the freeing is done. */
void prov_call_end(prov_call *c, ProtobufCMessage *resp);

/* The table entry for a resource type (or a data source), with *op set up for calling it; or
   NULL after an "Unsupported resource type" ("Unsupported data source") diagnostic. */
const prov_resource_ops *prov_call_resource(prov_call *c, const char *type_name, prov_op *op);
const prov_data_source_ops *prov_call_data_source(prov_call *c, const char *type_name, prov_op *op);
/* The provider's own operations' op (schema: the provider block). */
prov_op prov_call_provider_op(prov_call *c);

/* Decode dv against t into *out (held by the call until end). -1 after an error diagnostic
   with summary and the decoder's message. */
int prov_call_decode(prov_call *c, const Tfplugin6__DynamicValue *dv, const prov_type *t,
                     const char *summary, prov_value **out);

/* The Validate* methods: decode config against op's schema and run validate on it when it is
   a known object. */
void prov_call_validate(prov_call *c, const prov_op *op, const Tfplugin6__DynamicValue *config,
                        const char *summary,
                        void (*validate)(const prov_op *op, const prov_value *config));

/* Encode v against t for the response (held by the call until end); tried twice when memory
   runs short, since it may be all that names a new object. NULL after an error diagnostic. */
Tfplugin6__DynamicValue *prov_call_encode(prov_call *c, const prov_value *v, const prov_type *t,
                                          const char *summary);

/* Preset the private state answered to echo (borrowed from the request). */
void prov_call_private(prov_call *c, const ProtobufCBinaryData *echo);

/* Attribute paths of one step each, for n names (static), held by the call until end; NULL
   when out of memory (or n is 0). */
Tfplugin6__AttributePath **prov_call_paths(prov_call *c, const char *const *names, size_t n);

/* Add an error diagnostic (no attribute) to the call. */
void prov_call_error(prov_call *c, const char *summary, const char *detail);

#endif
