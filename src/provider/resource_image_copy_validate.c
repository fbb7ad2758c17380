/* resource_image_copy_validate.c - ValidateResourceConfig of huaweicloud_images_image_copy, and
   the same checks run again at plan time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_image_copy.h"

static int attr_unknown(const prov_value *cfg, const char *name)
{
	return prov_value_is_unknown(prov_value_attr(cfg, name));
}

/* The timeouts and whole-number checks, which need no workflow rule. -1 when a RAM bound is
   not whole (nothing else is worth checking then). */
static int validate_shape(const prov_value *obj, prov_diags *d)
{
	for (int i = 0; i < 2; i++) {
		const char *op = i ? "delete" : "create";
		int64_t ns;
		hwims_error terr;
		if (!attr_unknown(prov_value_attr(obj, "timeouts"), op) &&
		    prov_timeout(obj, op, 0, &ns, &terr) != 0)
			prov_diag_from_error(d, "Invalid timeout", &terr, terr.attribute);
	}
	/* The API stores a null tag value as "", so state (null) would never converge. */
	const prov_value *tags = prov_value_attr(obj, "tags");
	for (size_t i = 0; tags && tags->state == PROV_KNOWN && i < tags->u.coll.n; i++) {
		if (tags->u.coll.items[i]->state != PROV_NULL)
			continue;
		char path[HWIMS_ERROR_MESSAGE_MAX / 2], detail[HWIMS_ERROR_MESSAGE_MAX / 2];
		snprintf(path, sizeof(path), "tags[\"%s\"]", tags->u.coll.keys[i]);
		snprintf(detail, sizeof(detail),
		         "The value of tag \"%.128s\" is null: a tag value must be a string (use "
		         "\"\" for an empty value, or leave the key out).",
		         tags->u.coll.keys[i]);
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid argument", detail,
		              path);
	}
	static const char *const whole[] = {"min_ram", "max_ram"};
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		const prov_value *v = prov_value_attr(obj, whole[i]);
		int64_t n;
		if (v && v->state == PROV_KNOWN && prov_number_int64(&v->u.num, &n) != 0) {
			/* A whole number too large for int64 breaks the range rule, not this one.
			 */
			char *text = prov_number_text(&v->u.num);
			int fraction = !text || strchr(text, '.') != NULL;
			char detail[192];
			if (fraction)
				snprintf(detail, sizeof(detail), "%s must be a whole number of MB.",
				         whole[i]);
			else
				snprintf(detail, sizeof(detail),
				         "%s must be from 0 to %d MB (got %.40s).", whole[i],
				         HWIMS_RAM_MAX_MB, text);
			free(text);
			prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid argument",
			              detail, whole[i]);
			return -1;
		}
	}
	return 0;
}

/* 1 when a rule's error (on attr, NULL: the whole object) may depend on a value not known yet,
   so it is not reported now. */
static int may_depend_on_unknown(const prov_value *obj, const hwims_copy_spec *spec,
                                 const char *attr, int unknown, const char *dflt_region)
{
	if (attr && attr_unknown(obj, attr))
		return 1;
	static const char *const regional[] = {"region",      "kms_key_id", "enterprise_project_id",
	                                       "agency_name", "vault_id",   "target_region"};
	int region_rule = 0;
	for (size_t k = 0; attr && k < sizeof(regional) / sizeof(regional[0]); k++)
		region_rule |= strcmp(attr, regional[k]) == 0;
	/* Before ConfigureProvider (the validate walk) an omitted region is not known yet;
	   the plan validates again once it is. */
	int no_region = !spec->region && !dflt_region && spec->target_region;
	if ((region_rule || !attr) &&
	    (attr_unknown(obj, "region") || attr_unknown(obj, "target_region") || no_region))
		return 1;
	return unknown && !attr;
}

/*
 * Run the workflow's validation over a resource object. Unknown values are normal at validate
 * and plan time, so an error is only reported when it cannot depend on one: the attribute it
 * names is known, and for the rules that depend on whether the copy crosses regions, both
 * regions are known (the provider's region stands in for an omitted `region` once configured).
 * making: the plan makes a new copy, so the rules of making one apply too (an agency for a
 * cross-region copy); a configuration of an existing copy, such as one generated for an
 * imported copy, need not name the agency it was made with.
 */
void prov_ic_validate_object(const prov_value *obj, const char *dflt_region, int making,
                             prov_diags *d)
{
	if (validate_shape(obj, d) != 0)
		return;
	hwims_copy_spec spec;
	int unknown = 0;
	hwims_error err;
	if (prov_spec_from_value(obj, &spec, &unknown, &err) != 0) {
		prov_diag_from_error(d, "Cannot read the configuration", &err, NULL);
		return;
	}
	int rc = making ? hwims_copy_spec_validate(&spec, dflt_region, &err)
	                : hwims_copy_spec_validate_arguments(&spec, dflt_region, &err);
	if (rc != 0) {
		const char *attr = err.attribute[0] ? err.attribute : NULL;
		if (!may_depend_on_unknown(obj, &spec, attr, unknown, dflt_region))
			prov_diag_from_error(d, "Invalid argument", &err, attr);
	}
	hwims_copy_spec_free(&spec);
}

/* A warning for tags that pass the rules but not the limits every IMS API page states. Only at
 * validate time (plan runs the rules again, and a warning twice is noise); only once the tags
 * are known. */
static void caution(const prov_value *config, prov_diags *d)
{
	if (attr_unknown(config, "tags") || d->errors > 0)
		return;
	hwims_copy_spec spec;
	int unknown = 0;
	hwims_error err;
	if (prov_spec_from_value(config, &spec, &unknown, &err) != 0)
		return;
	if (hwims_copy_spec_caution(&spec, &err) == 1)
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__WARNING,
		              "Tags beyond the documented IMS limits", err.message, err.attribute);
	hwims_copy_spec_free(&spec);
}

void prov_ic_validate(const prov_op *op, const prov_value *config)
{
	prov_ic_validate_object(config, prov_provider_region(op->p), 0, op->d);
	caution(config, op->d);
}
