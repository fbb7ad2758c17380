/* seed.c - load and check the emulated account (see seed.h). */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_member(json_t *obj, const char *key, int required, const char *what,
                        hwims_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		if (required)
			hwims_error_set(err, HWIMS_ERR_USAGE, "seed: %s needs a \"%s\" string",
			                what, key);
		return NULL;
	}
	if (!json_is_string(v)) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: %s member \"%s\" must be a string",
		                what, key);
		return NULL;
	}
	char *s = strdup(json_string_value(v));
	if (!s)
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return s;
}

/* An array member as a list of objects; absent means empty (*out NULL). */
static int array_member(json_t *root, const char *key, json_t **out, hwims_error *err)
{
	json_t *a = json_object_get(root, key);
	size_t i;
	json_t *el;

	*out = NULL;
	if (!a)
		return 0;
	if (!json_is_array(a))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: \"%s\" must be an array", key);
	json_array_foreach(a, i, el)
	{
		if (!json_is_object(el))
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "seed: \"%s\"[%zu] must be an object", key, i);
	}
	*out = a;
	return 0;
}

static int int_member(json_t *obj, const char *key, int def, int *out, hwims_error *err)
{
	json_t *v = obj ? json_object_get(obj, key) : NULL;

	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: \"%s\" must be a non-negative integer", key);
	*out = (int)json_integer_value(v);
	return 0;
}

#define SEED_ALLOC(ptr, n)                                                                         \
	do {                                                                                       \
		(ptr) = calloc((n) ? (n) : 1, sizeof(*(ptr)));                                     \
		if (!(ptr)) {                                                                      \
			hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");                 \
			goto fail;                                                                 \
		}                                                                                  \
	} while (0)

int imsd_seed_parse(imsd_seed **out, const char *json_text, size_t len, hwims_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
	imsd_seed *s = NULL;
	json_t *a, *el;
	size_t i;

	*out = NULL;
	if (!root)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: invalid JSON at line %d: %s",
		                       jerr.line, jerr.text);
	if (!json_is_object(root)) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: the top level must be an object");
		goto fail;
	}
	hwims_error_clear(err);
	s = calloc(1, sizeof(*s));
	if (!s) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		goto fail;
	}
	json_t *domain = json_object_get(root, "domain");
	if (!json_is_object(domain)) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: \"domain\" must be an object");
		goto fail;
	}
	if (!(s->domain_name = dup_member(domain, "name", 1, "domain", err)) ||
	    !(s->domain_id = dup_member(domain, "id", 1, "domain", err)))
		goto fail;

	if (array_member(root, "credentials", &a, err))
		goto fail;
	if (json_array_size(a) == 0) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: at least one credential needed");
		goto fail;
	}
	SEED_ALLOC(s->credentials, json_array_size(a));
	json_array_foreach(a, i, el)
	{
		imsd_credential *c = &s->credentials[s->n_credentials++];
		if (!(c->access_key = dup_member(el, "access_key", 1, "credential", err)) ||
		    !(c->secret_key = dup_member(el, "secret_key", 1, "credential", err)))
			goto fail;
	}

	if (array_member(root, "regions", &a, err))
		goto fail;
	if (json_array_size(a) == 0) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: at least one region needed");
		goto fail;
	}
	SEED_ALLOC(s->regions, json_array_size(a));
	json_array_foreach(a, i, el)
	{
		imsd_region *r = &s->regions[s->n_regions++];
		if (!(r->name = dup_member(el, "name", 1, "region", err)) ||
		    !(r->project_id = dup_member(el, "project_id", 1, "region", err)))
			goto fail;
	}

	if (array_member(root, "kms_keys", &a, err))
		goto fail;
	SEED_ALLOC(s->kms_keys, json_array_size(a));
	json_array_foreach(a, i, el)
	{
		imsd_kms_key *k = &s->kms_keys[s->n_kms_keys++];
		json_t *en = json_object_get(el, "enabled");
		if (!(k->key_id = dup_member(el, "key_id", 1, "KMS key", err)) ||
		    !(k->region = dup_member(el, "region", 1, "KMS key", err)))
			goto fail;
		k->enabled = en ? json_is_true(en) : 1;
	}

	if (array_member(root, "agencies", &a, err))
		goto fail;
	SEED_ALLOC(s->agencies, json_array_size(a));
	json_array_foreach(a, i, el)
	{
		if (!(s->agencies[s->n_agencies++] =
		          dup_member(el, "agency_name", 1, "agency", err)))
			goto fail;
	}

	if (array_member(root, "vaults", &a, err))
		goto fail;
	SEED_ALLOC(s->vaults, json_array_size(a));
	json_array_foreach(a, i, el)
	{
		imsd_vault *v = &s->vaults[s->n_vaults++];
		if (!(v->vault_id = dup_member(el, "vault_id", 1, "vault", err)) ||
		    !(v->region = dup_member(el, "region", 1, "vault", err)))
			goto fail;
	}

	if (array_member(root, "enterprise_projects", &a, err))
		goto fail;
	/* The default enterprise project "0" always exists. */
	SEED_ALLOC(s->eps, json_array_size(a) + 1);
	json_array_foreach(a, i, el)
	{
		imsd_eps *e = &s->eps[s->n_eps++];
		if (!(e->id = dup_member(el, "id", 1, "enterprise project", err)) ||
		    !(e->name = dup_member(el, "name", 0, "enterprise project", err)))
			goto fail;
		if (!e->name && !(e->name = strdup(e->id))) {
			hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
			goto fail;
		}
	}
	if (!imsd_seed_eps(s, "0")) {
		imsd_eps *e = &s->eps[s->n_eps++];
		e->id = strdup("0");
		e->name = strdup("default");
		if (!e->id || !e->name) {
			hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
			goto fail;
		}
	}

	if (array_member(root, "images", &a, err))
		goto fail;
	s->images = a ? json_incref(a) : json_array();
	json_array_foreach(s->images, i, el)
	{
		json_t *reg = json_object_get(el, "region");
		json_t *id = json_object_get(el, "id");
		json_t *name = json_object_get(el, "name");
		if (!json_is_string(reg) || !imsd_seed_region(s, json_string_value(reg)) ||
		    !json_is_string(id) || !json_is_string(name)) {
			hwims_error_set(err, HWIMS_ERR_USAGE,
			                "seed: image %zu needs string \"id\", \"name\" and a "
			                "\"region\" listed in \"regions\"",
			                i);
			goto fail;
		}
	}

	json_t *tp = json_object_get(root, "throughput_mib_s");
	s->throughput_mib_s = tp ? json_number_value(tp) : 100.0;
	if (tp && (!json_is_number(tp) || s->throughput_mib_s <= 0)) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: throughput_mib_s must be positive");
		goto fail;
	}
	json_t *fp = json_object_get(root, "fail_name_pattern");
	if (fp && !json_is_null(fp) &&
	    !(s->fail_name_pattern = dup_member(root, "fail_name_pattern", 1, "seed", err)))
		goto fail;

	json_t *q = json_object_get(root, "quotas");
	json_t *tl = json_object_get(root, "tag_limits");
	if (int_member(q, "private_images_per_region", 100, &s->quota_private_images, err) ||
	    int_member(q, "concurrent_cross_region_copies", 5, &s->quota_cross_region_jobs, err) ||
	    int_member(tl, "max_tags", 20, &s->tag_max, err) ||
	    int_member(tl, "key_max", 128, &s->tag_key_max, err) ||
	    int_member(tl, "value_max", 255, &s->tag_value_max, err))
		goto fail;

	json_decref(root);
	*out = s;
	return 0;
fail:
	json_decref(root);
	imsd_seed_free(s);
	return -1;
}

int imsd_seed_load(imsd_seed **out, const char *path, hwims_error *err)
{
	FILE *f;
	char *text = NULL;
	long len;
	int rc = -1;

	if (!path)
		return imsd_seed_parse(out, imsd_default_seed_json, strlen(imsd_default_seed_json),
		                       err);
	f = fopen(path, "rb");
	if (!f)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: cannot read %s", path);
		goto done;
	}
	text = malloc((size_t)len + 1);
	if (!text) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		goto done;
	}
	if (fread(text, 1, (size_t)len, f) != (size_t)len) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: cannot read %s", path);
		goto done;
	}
	text[len] = '\0';
	rc = imsd_seed_parse(out, text, (size_t)len, err);
	if (rc != 0)
		hwims_error_prefix(err, "%s: ", path);
done:
	free(text);
	fclose(f);
	return rc;
}

void imsd_seed_free(imsd_seed *s)
{
	if (!s)
		return;
	free(s->domain_name);
	free(s->domain_id);
	for (size_t i = 0; i < s->n_credentials; i++) {
		free(s->credentials[i].access_key);
		free(s->credentials[i].secret_key);
	}
	free(s->credentials);
	for (size_t i = 0; i < s->n_regions; i++) {
		free(s->regions[i].name);
		free(s->regions[i].project_id);
	}
	free(s->regions);
	for (size_t i = 0; i < s->n_kms_keys; i++) {
		free(s->kms_keys[i].key_id);
		free(s->kms_keys[i].region);
	}
	free(s->kms_keys);
	for (size_t i = 0; i < s->n_agencies; i++)
		free(s->agencies[i]);
	free(s->agencies);
	for (size_t i = 0; i < s->n_vaults; i++) {
		free(s->vaults[i].vault_id);
		free(s->vaults[i].region);
	}
	free(s->vaults);
	for (size_t i = 0; i < s->n_eps; i++) {
		free(s->eps[i].id);
		free(s->eps[i].name);
	}
	free(s->eps);
	json_decref(s->images);
	free(s->fail_name_pattern);
	free(s);
}

const imsd_region *imsd_seed_region(const imsd_seed *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_regions; i++)
		if (strcmp(s->regions[i].name, name) == 0)
			return &s->regions[i];
	return NULL;
}

const imsd_region *imsd_seed_region_by_project(const imsd_seed *s, const char *project_id)
{
	for (size_t i = 0; project_id && i < s->n_regions; i++)
		if (strcmp(s->regions[i].project_id, project_id) == 0)
			return &s->regions[i];
	return NULL;
}

const char *imsd_seed_secret(const imsd_seed *s, const char *access_key)
{
	for (size_t i = 0; access_key && i < s->n_credentials; i++)
		if (strcmp(s->credentials[i].access_key, access_key) == 0)
			return s->credentials[i].secret_key;
	return NULL;
}

const imsd_kms_key *imsd_seed_kms_key(const imsd_seed *s, const char *key_id)
{
	for (size_t i = 0; key_id && i < s->n_kms_keys; i++)
		if (strcmp(s->kms_keys[i].key_id, key_id) == 0)
			return &s->kms_keys[i];
	return NULL;
}

const imsd_vault *imsd_seed_vault(const imsd_seed *s, const char *vault_id)
{
	for (size_t i = 0; vault_id && i < s->n_vaults; i++)
		if (strcmp(s->vaults[i].vault_id, vault_id) == 0)
			return &s->vaults[i];
	return NULL;
}

const imsd_eps *imsd_seed_eps(const imsd_seed *s, const char *id)
{
	for (size_t i = 0; id && i < s->n_eps; i++)
		if (strcmp(s->eps[i].id, id) == 0)
			return &s->eps[i];
	return NULL;
}

int imsd_seed_has_agency(const imsd_seed *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_agencies; i++)
		if (strcmp(s->agencies[i], name) == 0)
			return 1;
	return 0;
}
