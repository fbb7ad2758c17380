/*
 * prov_image_copy.h - what the files of the resource huaweicloud_images_image_copy
 * (resource_image_copy*.c, one per operation) share with each other.
 *
 * The rules Terraform checks are the contract here (see the plugin protocol
 * reference, section 7): a create plan marks what it cannot predict unknown,
 * an apply returns every planned known value unchanged, a refresh keeps values
 * that only look different ("" vs null), a failed create after the job was
 * accepted still returns the image so Terraform keeps it (tainted).
 */
#ifndef PROV_IMAGE_COPY_H
#define PROV_IMAGE_COPY_H

#include "hwims/image_copy.h"
#include "prov_ops.h"
#include "prov_state.h"

#define NS_PER_MIN             (60LL * 1000000000LL)
#define DEFAULT_CREATE_TIMEOUT (60 * NS_PER_MIN)
#define DEFAULT_DELETE_TIMEOUT (3 * NS_PER_MIN)

/* Private state written by ImportResourceState: the API cannot return agency_name and vault_id,
   so the first plan after an import adopts the configured values instead of replacing. */
#define PROV_PRIVATE_IMPORTED "{\"imported\":true}"

/* ---- the state object as the workflow sees it (resource_image_copy_spec.c) --------------- */

/* The object's image ID (borrowed), or NULL when it has none. */
const char *prov_ic_id(const prov_value *obj);

/* The copy spec of a state object; -1 after a "Cannot read the resource" diagnostic. Caller frees
   spec with hwims_copy_spec_free. */
int prov_ic_spec(const prov_value *obj, hwims_copy_spec *spec, prov_diags *d);

/* Validation of a resource object against the workflow's rules (resource_image_copy_validate.c);
   dflt_region stands in for an omitted region (NULL: not known yet). */
void prov_ic_validate_object(const prov_value *obj, const char *dflt_region, int making,
                             prov_diags *d);

/* ---- private state (resource_image_copy_private.c) -------------------------------------- */

/* 1 when the JSON private state priv has key set to true. */
int prov_ic_private_flag(const ProtobufCBinaryData *priv, const char *key);

/* The private state naming a job whose image is not known yet; caller frees; NULL on ENOMEM. */
char *prov_ic_pending_private(const char *job_id, const char *region);

enum { PROV_PENDING_NONE, PROV_PENDING_IMAGE, PROV_PENDING_RUNNING, PROV_PENDING_FAILED };

/* Resolve a pending job in priv: PROV_PENDING_IMAGE with *image_id (caller frees),
   PROV_PENDING_RUNNING while the job has no image yet, PROV_PENDING_FAILED, PROV_PENDING_NONE
   without a pending job, -1 with err on error. */
int prov_ic_pending_resolve(const prov_op *op, const ProtobufCBinaryData *priv, char **image_id,
                            hwims_error *err);

/* ---- apply, one function per change (resource_image_copy_{create,update,delete}.c) ------- */

/* Each returns the new state (caller frees) or NULL after an error diagnostic. */
prov_value *prov_ic_create(const prov_op *op, const prov_value *planned, prov_private *priv);
prov_value *prov_ic_update(const prov_op *op, const prov_value *prior, const prov_value *planned,
                           const prov_value *config);
prov_value *prov_ic_delete(const prov_op *op, const prov_value *prior,
                           const ProtobufCBinaryData *priv);

/* The operations of the table entry, each in its own file. */
void prov_ic_validate(const prov_op *op, const prov_value *config);
int prov_ic_plan(const prov_op *op, const prov_plan_in *in, prov_plan_out *out);
prov_value *prov_ic_apply(const prov_op *op, const prov_apply_in *in, prov_private *priv);
prov_value *prov_ic_read(const prov_op *op, const prov_value *prior,
                         const ProtobufCBinaryData *priv_in, prov_private *priv);
prov_value *prov_ic_import(const prov_op *op, const char *id, prov_private *priv);
prov_value *prov_ic_upgrade(const prov_op *op, int64_t version, const Tfplugin6__RawState *raw);

#endif
