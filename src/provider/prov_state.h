/*
 * prov_state.h - mapping between the resource's cty object (config, plan, state)
 * and libhwims' types (hwims_copy_spec, hwims_image).
 */
#ifndef PROV_STATE_H
#define PROV_STATE_H

#include <stdint.h>

#include "hwims/error.h"
#include "hwims/image.h"
#include "hwims/image_copy.h"
#include "prov_schema.h"
#include "prov_value.h"

/*
 * Fill spec from a resource object (config or planned/prior state). Unknown and null values
 * leave the field unset; *unknown (may be NULL) receives 1 when some argument was unknown.
 * Caller frees spec with hwims_copy_spec_free.
 */
int prov_spec_from_value(const prov_value *obj, hwims_copy_spec *spec, int *unknown,
                         hwims_error *err);

/* The timeouts.<op> duration of a resource object in nanoseconds, or fallback when unset.
   -1 with err (path timeouts.<op>) for a malformed duration. */
int prov_timeout(const prov_value *obj, const char *op, int64_t fallback, int64_t *ns,
                 hwims_error *err);

/*
 * Build a wholly known resource object for img.
 *  mode APPLY: base is the planned state; every known planned value is kept as is (Terraform
 *   requires apply results to match the plan), unknowns are filled from the image.
 *  mode READ: base is the prior state; values come from the image, except that arguments the
 *   API cannot return, the timeouts block, and values that are only re-spelled versions of the
 *   prior value (null vs "" vs an empty map; target_region equal to region) keep the prior.
 * Caller frees *out.
 */
typedef enum prov_fill_mode { PROV_FILL_APPLY, PROV_FILL_READ } prov_fill_mode;
/* Also in mode READ: when the image's data origin does not parse as the origin of a copy
   ("image,<region>,<id>"; see prov_origin_unreadable), source_image_id, region and
   target_region keep the prior values: the read cannot know them, and null would force a
   replacement. */
int prov_state_from_image(const prov_block_schema *rs, const hwims_image *img,
                          const prov_value *base, prov_fill_mode mode, prov_value **out,
                          hwims_error *err);

/* 1 when img's data origin does not name the image it was copied from (it is missing, or not
   "image,<region>,<id>"), so a read cannot tell source_image_id, region or target_region. */
int prov_origin_unreadable(const hwims_image *img);

#endif
