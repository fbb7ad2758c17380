/* provider_tags.c - the provider's default_tags and ignore_tags, and what they do to a copy's
   tags (see prov_provider.h). As in the official provider: every copy gets the defaults, a
   resource's own tag wins on the same key, and ignored keys are never diffed nor removed.
   Terraform requires a planned value to be what the configuration says when it says one, so
   the state's tags are the configured ones (the defaults when none are configured); the copy
   has the defaults besides, which a read leaves out of state again unless the configuration
   names them. An ignored key is left out of every read, so no update ever deletes it. */
#include <stdlib.h>
#include <string.h>

#include "prov_provider.h"

void prov_tag_rules_free(prov_tag_rules *r)
{
	hwims_tags_free(&r->defaults);
	hwims_tags_free(&r->ignored);
}

/* The provider configuration's default_tags (a map) and ignore_tags (a list of keys). */
static int rules_from_config(const prov_value *cfg, prov_tag_rules *r, hwims_error *err)
{
	memset(r, 0, sizeof(*r));
	const prov_value *d = prov_value_attr(cfg, "default_tags");
	for (size_t i = 0; d && d->state == PROV_KNOWN && i < d->u.coll.n; i++) {
		const char *v = prov_value_str(d->u.coll.items[i]);
		if (v && hwims_tags_set(&r->defaults, d->u.coll.keys[i], v, err) != 0)
			return -1;
	}
	const prov_value *ig = prov_value_attr(cfg, "ignore_tags");
	for (size_t i = 0; ig && ig->state == PROV_KNOWN && i < ig->u.coll.n; i++) {
		const char *k = prov_value_str(ig->u.coll.items[i]);
		if (k && hwims_tags_set(&r->ignored, k, "", err) != 0)
			return -1;
	}
	return 0;
}

int prov_provider_set_tag_rules(prov_provider *p, const prov_value *cfg, hwims_error *err)
{
	prov_tag_rules r;
	if (rules_from_config(cfg, &r, err) != 0) {
		prov_tag_rules_free(&r);
		return -1;
	}
	pthread_mutex_lock(&p->mu);
	prov_tag_rules old = p->tag_rules;
	p->tag_rules = r;
	pthread_mutex_unlock(&p->mu);
	prov_tag_rules_free(&old);
	return 0;
}

int prov_provider_tag_rules(prov_provider *p, prov_tag_rules *out, hwims_error *err)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&p->mu);
	int rc = hwims_tags_copy(&out->defaults, &p->tag_rules.defaults, err) != 0 ||
	                 hwims_tags_copy(&out->ignored, &p->tag_rules.ignored, err) != 0
	             ? -1
	             : 0;
	pthread_mutex_unlock(&p->mu);
	if (rc != 0)
		prov_tag_rules_free(out);
	return rc;
}

/* Put key = value into map unless the key is ignored. */
static int put(const prov_tag_rules *r, prov_value *map, const char *key, const char *value)
{
	if (hwims_tags_get(&r->ignored, key))
		return 0;
	prov_value *v = prov_value_string(value);
	return v ? prov_value_map_put(map, key, v) : -1;
}

int prov_tags_plan(const prov_tag_rules *r, const prov_value *config, prov_value *planned,
                   hwims_error *err)
{
	const prov_value *ct = prov_value_attr(config, "tags");
	const prov_value *pt = prov_value_attr(planned, "tags");
	/* Terraform holds a configured value to what the configuration says: only tags left
	   unset plan the defaults. */
	if (!ct || !pt || ct->state != PROV_NULL || r->defaults.count == 0)
		return 0;
	prov_value *map = prov_value_collection(pt->type);
	int rc = map ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < r->defaults.count; i++)
		rc = put(r, map, r->defaults.items[i].key, r->defaults.items[i].value);
	if (rc != 0 || prov_value_set_attr(planned, "tags", map) != 0) {
		if (rc != 0)
			prov_value_free(map);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	return 0;
}

int prov_tags_add_defaults(const prov_tag_rules *r, hwims_tags *tags, hwims_error *err)
{
	for (size_t i = 0; i < r->defaults.count; i++) {
		const char *k = r->defaults.items[i].key;
		if (hwims_tags_get(tags, k) || hwims_tags_get(&r->ignored, k))
			continue;
		if (hwims_tags_set(tags, k, r->defaults.items[i].value, err) != 0)
			return -1;
	}
	return 0;
}

/* Whether a tag the copy has stays out of a read's state: an ignored key, or a default the
 * configuration did not name (prior: the tags state had). */
static int hidden(const prov_tag_rules *r, const prov_value *prior, const char *key,
                  const char *value)
{
	if (hwims_tags_get(&r->ignored, key))
		return 1;
	const char *dv = hwims_tags_get(&r->defaults, key);
	if (!dv || strcmp(dv, value) != 0 || !prior || prior->state != PROV_KNOWN)
		return 0;
	for (size_t i = 0; i < prior->u.coll.n; i++) {
		if (strcmp(prior->u.coll.keys[i], key) == 0)
			return 0;
	}
	return 1;
}

int prov_tags_read(const prov_tag_rules *r, const prov_value *prior, prov_value *st,
                   hwims_error *err)
{
	const prov_value *t = prov_value_attr(st, "tags");
	if ((r->ignored.count == 0 && r->defaults.count == 0) || !t || t->state != PROV_KNOWN)
		return 0;
	const prov_value *pt = prov_value_attr(prior, "tags");
	prov_value *kept = prov_value_collection(t->type);
	int rc = kept ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < t->u.coll.n; i++) {
		const char *k = t->u.coll.keys[i];
		const char *v = prov_value_str(t->u.coll.items[i]);
		if (hidden(r, pt, k, v ? v : ""))
			continue;
		prov_value *sv = prov_value_string(v ? v : "");
		rc = sv ? prov_value_map_put(kept, k, sv) : -1;
	}
	if (rc != 0 || prov_value_set_attr(st, "tags", kept) != 0) {
		if (rc != 0)
			prov_value_free(kept);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	return 0;
}
