/* resource_image_copy_update.c - ApplyResourceChange updating a huaweicloud_images_image_copy
   in place (name, description, RAM bounds, tags, enterprise project). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "prov_image_copy.h"

/* Optional+computed arguments the configuration leaves unset hold what the API reported
   (e.g. the default enterprise project of a cross-region copy). They are not the user's
   wishes, and both states agree on them, so neither the update nor its validation should
   see them. */
static void drop_unconfigured(const prov_value *config, hwims_copy_spec *a, hwims_copy_spec *b)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {{"kms_key_id", offsetof(hwims_copy_spec, kms_key_id)},
	            {"enterprise_project_id", offsetof(hwims_copy_spec, enterprise_project_id)}};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!prov_value_is_null(prov_value_attr(config, strs[i].name)))
			continue;
		char **fa = (char **)((char *)a + strs[i].off);
		char **fb = (char **)((char *)b + strs[i].off);
		if ((*fa == NULL) == (*fb == NULL) && (!*fa || strcmp(*fa, *fb) == 0)) {
			free(*fa);
			free(*fb);
			*fa = *fb = NULL;
		}
	}
	if (prov_value_is_null(prov_value_attr(config, "min_ram")) &&
	    a->has_min_ram == b->has_min_ram && a->min_ram == b->min_ram)
		a->has_min_ram = b->has_min_ram = 0;
	if (prov_value_is_null(prov_value_attr(config, "max_ram")) &&
	    a->has_max_ram == b->has_max_ram && a->max_ram == b->max_ram)
		a->has_max_ram = b->has_max_ram = 0;
}

/* Send the changes from old_spec to new_spec: the new state; the prior one when nothing was
   changed; NULL (after a diagnostic) when the change went through but cannot be recorded. */
static prov_value *update(const prov_op *op, const hwims_copy_spec *old_spec,
                          const hwims_copy_spec *new_spec, const prov_value *prior,
                          const prov_value *planned)
{
	const char *id = prov_ic_id(prior);
	if (!id) {
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Cannot update",
		              "The state has no image ID.", NULL);
		return prov_value_clone(prior);
	}
	hwims_copy_options opts = prov_provider_copy_options(op->p);
	hwims_image *img = NULL;
	hwims_error err;
	prov_value *st = NULL;
	if (hwims_image_copy_update(op->client, old_spec, new_spec, id, &opts, &img, &err) != 0) {
		prov_diag_from_error(op->d, "Cannot update the image copy", &err, NULL);
		return prov_value_clone(prior);
	}
	if (!img) {
		st = prov_value_clone(planned);
		prov_value_unknowns_to_null(st);
	} else if (prov_state_from_image(op->schema, img, planned, PROV_FILL_APPLY, &st, &err) !=
	           0) {
		/* the update went through: no prior to fall back on either */
		prov_diag_from_error(op->d, "Cannot record the image", &err, NULL);
	}
	hwims_image_free(img);
	return st;
}

prov_value *prov_ic_update(const prov_op *op, const prov_value *prior, const prov_value *planned,
                           const prov_value *config)
{
	hwims_copy_spec old_spec, new_spec;
	if (prov_ic_spec(prior, &old_spec, op->d) != 0)
		return prov_value_clone(prior);
	if (prov_ic_spec(planned, &new_spec, op->d) != 0) {
		hwims_copy_spec_free(&old_spec);
		return prov_value_clone(prior);
	}
	drop_unconfigured(config, &old_spec, &new_spec);
	/* The copy has the provider's default tags besides those in state, before as after:
	   adding them to both sides sends only what changed, and a default that changed or went
	   away (a read shows it then) is moved or removed. */
	prov_tag_rules rules;
	hwims_error terr;
	if (prov_provider_tag_rules(op->p, &rules, &terr) != 0 ||
	    prov_tags_add_defaults(&rules, &old_spec.tags, &terr) != 0 ||
	    prov_tags_add_defaults(&rules, &new_spec.tags, &terr) != 0) {
		prov_tag_rules_free(&rules);
		prov_diag_from_error(op->d, "Cannot update the image copy", &terr, NULL);
		hwims_copy_spec_free(&old_spec);
		hwims_copy_spec_free(&new_spec);
		return prov_value_clone(prior);
	}
	prov_tag_rules_free(&rules);
	/* Arguments the API cannot return are adopted from the plan when the state has none
	   (after an import); they are not changes to send. */
	hwims_error err;
	prov_value *st = NULL;
	if ((!old_spec.agency_name &&
	     hwims_copy_spec_set(&old_spec.agency_name, new_spec.agency_name, &err) != 0) ||
	    (!old_spec.vault_id &&
	     hwims_copy_spec_set(&old_spec.vault_id, new_spec.vault_id, &err) != 0)) {
		prov_diag_from_error(op->d, "Cannot update the image copy", &err, NULL);
		st = prov_value_clone(prior);
	} else {
		st = update(op, &old_spec, &new_spec, prior, planned);
	}
	hwims_copy_spec_free(&old_spec);
	hwims_copy_spec_free(&new_spec);
	return st;
}
