/* resource_image_copy_plan.c - PlanResourceChange of huaweicloud_images_image_copy: what is
   unknown until apply, what forces a new copy, what an in-place update moves. */
#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "prov_image_copy.h"

static unsigned row_flags(const char *name)
{
	const hwims_attr *row = hwims_attr_find(name);
	return row ? row->flags : 0;
}

/* Attributes whose value on create comes straight from the configuration even when computed:
   the API cannot return agency_name and vault_id, and reports no target_region for copies
   within a region, so "unset" stays null rather than unknown. */
static int null_when_unset(const char *name)
{
	return strcmp(name, "target_region") == 0 || (row_flags(name) & HWIMS_ATTR_NOT_READ);
}

static int set_unknown(prov_value *obj, const prov_attr_schema *a)
{
	return prov_value_set_attr(obj, a->name, prov_value_unknown(a->type));
}

/* Fill the computed attributes the configuration leaves unset, for a new object. */
static int plan_new_object(const prov_op *op, const prov_value *config, prov_value *planned,
                           int keep_force_new)
{
	const prov_block_schema *rs = op->schema;
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		if (!(a->flags & PROV_A_COMPUTED) ||
		    !prov_value_is_null(prov_value_attr(config, a->name)))
			continue;
		if (keep_force_new && (row_flags(a->name) & HWIMS_ATTR_FORCE_NEW))
			continue; /* unchanged force-new values stay as they were */
		int rc;
		if (strcmp(a->name, "region") == 0) {
			const char *r = prov_provider_region(op->p);
			rc = prov_value_set_attr(planned, a->name,
			                         r ? prov_value_string(r)
			                           : prov_value_unknown(a->type));
		} else if (null_when_unset(a->name)) {
			rc = prov_value_set_attr(planned, a->name, prov_value_null(a->type));
		} else {
			rc = set_unknown(planned, a);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Name the attribute as one that forces a new copy. */
static int add_replace(prov_plan_out *out, const char *name)
{
	const char **r = realloc(out->replace, (out->n_replace + 1) * sizeof(*r));
	if (!r)
		return -1;
	out->replace = r;
	out->replace[out->n_replace++] = name; /* static: schema names live as the process */
	return 0;
}

/* An existing copy: replace it when a force-new argument changed, else update in place. */
static int plan_change(const prov_op *op, const prov_plan_in *in, prov_plan_out *out)
{
	const prov_block_schema *rs = op->schema;
	int imported = prov_ic_private_flag(in->prior_private, "imported");
	int replace = 0, changed = 0;
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		unsigned f = row_flags(a->name);
		const prov_value *pv = prov_value_attr(out->planned, a->name);
		const prov_value *ov = prov_value_attr(in->prior, a->name);
		if (prov_value_equal(pv, ov))
			continue;
		if (imported && (f & HWIMS_ATTR_NOT_READ) && prov_value_is_null(ov)) {
			/* After an import the API could not tell us agency_name or vault_id:
			   adopting the configured value is not a new copy. */
			continue;
		}
		if (f & HWIMS_ATTR_FORCE_NEW) {
			/* region left unset follows the prior value (proposed keeps it). */
			replace = 1;
			if (add_replace(out, a->name) != 0)
				return -1;
		} else if (f & HWIMS_ATTR_UPDATABLE) {
			changed = 1;
		}
	}
	if (replace)
		return plan_new_object(op, in->config, out->planned, 1);
	/* The service stamps updates; nothing else it returns moves. */
	const prov_attr_schema *ua = changed ? prov_block_attr(rs, "updated_at") : NULL;
	if (ua && set_unknown(out->planned, ua) != 0)
		return -1;
	return 0;
}

int prov_ic_plan(const prov_op *op, const prov_plan_in *in, prov_plan_out *out)
{
	out->planned = prov_value_clone(in->proposed);
	if (!out->planned)
		return -1;
	if (in->proposed->state == PROV_NULL)
		return 0; /* destroy: planned null */
	/* The provider's default and ignored tags shape the planned tags before the plan decides
	   what changed, and again after a replacement planned the computed values anew. */
	prov_tag_rules rules;
	hwims_error err;
	if (prov_provider_tag_rules(op->p, &rules, &err) != 0)
		return -1;
	int rc;
	if (in->prior->state == PROV_NULL)
		rc = plan_new_object(op, in->config, out->planned, 0) ||
		     prov_tags_plan(&rules, in->config, out->planned, &err);
	else
		rc = prov_tags_plan(&rules, in->config, out->planned, &err) ||
		     plan_change(op, in, out) ||
		     (out->n_replace > 0 && prov_tags_plan(&rules, in->config, out->planned, &err));
	prov_tag_rules_free(&rules);
	if (rc != 0)
		return -1;
	/* Validate what the user wrote: the planned state also holds what the API reported
	   (e.g. the default enterprise project of a cross-region copy), which the argument rules
	   are not about. An omitted region is the planned one. */
	const char *region = prov_value_str(prov_value_attr(out->planned, "region"));
	int making = in->prior->state == PROV_NULL || out->n_replace > 0;
	prov_ic_validate_object(in->config, region ? region : prov_provider_region(op->p), making,
	                        op->d);
	return 0;
}
