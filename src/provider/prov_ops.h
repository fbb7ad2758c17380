/*
 * prov_ops.h - what a resource type or a data source is to the RPC frame: a
 * table entry of operations, each a function that gets decoded inputs and a
 * diagnostics sink and returns its result.
 *
 * The frame (rpc*.c) unpacks the request, rejects a malformed one, finds the
 * entry by type name (answering "Unsupported ..." itself), decodes the
 * DynamicValues, calls the operation, encodes what it returns and packs the
 * reply. An operation never sees protobuf framing and never calls the frame.
 *
 * Adding a data source: one file data_source_<name>.c defining a
 * `const prov_data_source_ops prov_data_source_<name>` (its schema builder,
 * validate and read), and in provider_types.c its extern declaration and its
 * line in the table. Its schema is built at prov_provider_init and served by
 * GetProviderSchema, GetMetadata, ValidateDataResourceConfig and ReadDataSource
 * without further wiring.
 */
#ifndef PROV_OPS_H
#define PROV_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "prov_diag.h"
#include "prov_provider.h"
#include "prov_schema.h"
#include "prov_value.h"
#include "tfplugin6.pb-c.h"

/* What every operation gets besides its inputs. All borrowed for the call. */
typedef struct prov_op {
	prov_provider *p;
	hwims_client *client; /* the configured client, or NULL before ConfigureProvider */
	const prov_block_schema *schema; /* the schema of the type the call is about */
	prov_diags *d;                   /* where the operation's diagnostics go */
} prov_op;

/* The private state an operation answers with. The frame presets data to what the request
   carried (Terraform replaces the stored private with the answer, so echoing keeps it). */
typedef struct prov_private {
	ProtobufCBinaryData data; /* borrowed from the request, from owned, or static */
	char *owned;              /* malloc'd bytes data points into, freed by the frame; or NULL */
} prov_private;

typedef struct prov_plan_in {
	const prov_value *prior, *proposed,
	    *config; /* null prior: create; null proposed: destroy */
	const ProtobufCBinaryData *prior_private;
} prov_plan_in;

typedef struct prov_plan_out {
	prov_value *planned;  /* owned; freed by the frame */
	const char **replace; /* owned array (freed by the frame) of attribute names (static) */
	size_t n_replace;
} prov_plan_out;

typedef struct prov_apply_in {
	const prov_value *prior, *planned, *config; /* null prior: create; null planned: delete */
	const ProtobufCBinaryData *planned_private;
} prov_apply_in;

/*
 * A resource type. Operations that return a value return a new one the frame frees; NULL means
 * "no value" and must come with an error diagnostic (an absent state tells Terraform the
 * object is gone). -1 from plan means out of memory.
 */
typedef struct prov_resource_ops {
	const char *type_name;
	const char *noun; /* what an object is called in the frame's own messages */
	/* its schema within the provider's schemas */
	const prov_block_schema *(*schema)(const prov_schemas *s);
	/* config is known (a null or unknown object is not validated) */
	void (*validate)(const prov_op *op, const prov_value *config);
	int (*plan)(const prov_op *op, const prov_plan_in *in, prov_plan_out *out);
	prov_value *(*apply)(const prov_op *op, const prov_apply_in *in, prov_private *priv);
	prov_value *(*read)(const prov_op *op, const prov_value *prior,
	                    const ProtobufCBinaryData *priv_in, prov_private *priv);
	prov_value *(*import)(const prov_op *op, const char *id, prov_private *priv);
	prov_value *(*upgrade)(const prov_op *op, int64_t version, const Tfplugin6__RawState *raw);
} prov_resource_ops;

/* A data source. Its schema (op->schema) is what build_schema made at prov_provider_init. */
typedef struct prov_data_source_ops {
	const char *type_name;
	prov_schema_builder build_schema;
	/* config is known (a null or unknown object is not validated) */
	void (*validate)(const prov_op *op, const prov_value *config);
	prov_value *(*read)(const prov_op *op, const prov_value *config);
} prov_data_source_ops;

/* The "Provider not configured" diagnostic when op has no client: 1 then, else 0
   (provider_client.c). */
int prov_op_no_client(const prov_op *op);

/* The tables (provider_types.c). find: the entry for type_name, or NULL; the data source's
   index is that of its schema in prov_schemas.data_sources. */
const prov_resource_ops *prov_resource_find(const char *type_name);
const prov_data_source_ops *prov_data_source_find(const char *type_name, size_t *index);
const prov_data_source_ops *const *prov_data_sources(size_t *count);

/* The provider's own operations (provider_config.c): validate a known configuration object;
   configure from any decoded one (unknown settings count as unset). */
void prov_provider_validate_config(const prov_op *op, const prov_value *config);
void prov_provider_configure(const prov_op *op, const prov_value *config,
                             const char *terraform_version);

#endif
