/* seed.c - load and check the emulated account (see seed.h). */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static int oom(hwims_error *err)
{
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
}

/* An array of n zeroed elements of size each (at least one, so an empty list is not NULL). */
static int seed_alloc(void *ptr_out, size_t n, size_t size, hwims_error *err)
{
	void *p = calloc(n ? n : 1, size);

	*(void **)ptr_out = p;
	return p ? 0 : oom(err);
}

/* One top-level section of the seed: reads its members of root into s. */
typedef int (*seed_section_fn)(imsd_seed *s, json_t *root, hwims_error *err);

static int seed_domain(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *domain = json_object_get(root, "domain");

	if (!json_is_object(domain))
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: \"domain\" must be an object");
	if (!(s->domain_name = dup_member(domain, "name", 1, "domain", err)) ||
	    !(s->domain_id = dup_member(domain, "id", 1, "domain", err)))
		return -1;
	return 0;
}

static int seed_credentials(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "credentials", &a, err))
		return -1;
	if (json_array_size(a) == 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: at least one credential needed");
	if (seed_alloc(&s->credentials, json_array_size(a), sizeof(*s->credentials), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_credential *c = &s->credentials[s->n_credentials++];
		if (!(c->access_key = dup_member(el, "access_key", 1, "credential", err)) ||
		    !(c->secret_key = dup_member(el, "secret_key", 1, "credential", err)))
			return -1;
	}
	return 0;
}

static int seed_regions(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "regions", &a, err))
		return -1;
	if (json_array_size(a) == 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: at least one region needed");
	if (seed_alloc(&s->regions, json_array_size(a), sizeof(*s->regions), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_region *r = &s->regions[s->n_regions++];
		if (!(r->name = dup_member(el, "name", 1, "region", err)) ||
		    !(r->project_id = dup_member(el, "project_id", 1, "region", err)))
			return -1;
	}
	return 0;
}

static int seed_kms_keys(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "kms_keys", &a, err) ||
	    seed_alloc(&s->kms_keys, json_array_size(a), sizeof(*s->kms_keys), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_kms_key *k = &s->kms_keys[s->n_kms_keys++];
		json_t *en = json_object_get(el, "enabled");
		if (!(k->key_id = dup_member(el, "key_id", 1, "KMS key", err)) ||
		    !(k->region = dup_member(el, "region", 1, "KMS key", err)))
			return -1;
		k->enabled = en ? json_is_true(en) : 1;
	}
	return 0;
}

static int seed_agencies(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "agencies", &a, err) ||
	    seed_alloc(&s->agencies, json_array_size(a), sizeof(*s->agencies), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		if (!(s->agencies[s->n_agencies++] =
		          dup_member(el, "agency_name", 1, "agency", err)))
			return -1;
	}
	return 0;
}

/* "2026-01-01T00:00:00Z" as seconds since the epoch, or -1. */
static double parse_utc(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = text ? strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	return end && !*end ? (double)timegm(&tm) : -1;
}

static int seed_temp_credentials(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "temporary_credentials", &a, err) ||
	    seed_alloc(&s->temp_credentials, json_array_size(a), sizeof(*s->temp_credentials), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_temp_credential *t = &s->temp_credentials[s->n_temp_credentials++];
		const char *what = "temporary credential";
		char *exp = NULL;
		if (!(t->access_key = dup_member(el, "access_key", 1, what, err)) ||
		    !(t->secret_key = dup_member(el, "secret_key", 1, what, err)) ||
		    !(t->security_token = dup_member(el, "security_token", 1, what, err)) ||
		    !(exp = dup_member(el, "expires_at", 1, what, err)))
			return -1;
		t->expires_at = parse_utc(exp);
		free(exp);
		if (t->expires_at < 0)
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "seed: temporary credential expires_at must read "
			                       "YYYY-MM-DDTHH:MM:SSZ");
	}
	json_t *st = json_object_get(root, "security_tokens");
	json_t *key = st ? json_object_get(st, "signing_key") : NULL;
	if (key && !json_is_string(key))
		return hwims_error_set(
		    err, HWIMS_ERR_USAGE,
		    "seed: security_tokens member \"signing_key\" must be a string");
	if (!(s->sts_key = strdup(key ? json_string_value(key) : "hwims-imsd-security-token-key")))
		return oom(err);
	if (int_member(st, "min_duration_seconds", 900, &s->sts_min_duration_s, err) ||
	    int_member(st, "metadata_duration_seconds", 86400, &s->metadata_duration_s, err))
		return -1;
	if (s->sts_min_duration_s < 1 || s->sts_min_duration_s > 86400 ||
	    s->metadata_duration_s < 1)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: security_tokens durations must be from 1 to 86400 s");
	return 0;
}

static int seed_vaults(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "vaults", &a, err) ||
	    seed_alloc(&s->vaults, json_array_size(a), sizeof(*s->vaults), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_vault *v = &s->vaults[s->n_vaults++];
		if (!(v->vault_id = dup_member(el, "vault_id", 1, "vault", err)) ||
		    !(v->region = dup_member(el, "region", 1, "vault", err)))
			return -1;
	}
	return 0;
}

static int seed_enterprise_projects(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	/* The default enterprise project "0" always exists: one slot more for it. */
	if (array_member(root, "enterprise_projects", &a, err) ||
	    seed_alloc(&s->eps, json_array_size(a) + 1, sizeof(*s->eps), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_eps *e = &s->eps[s->n_eps++];
		if (!(e->id = dup_member(el, "id", 1, "enterprise project", err)) ||
		    !(e->name = dup_member(el, "name", 0, "enterprise project", err)))
			return -1;
		if (!e->name && !(e->name = strdup(e->id)))
			return oom(err);
	}
	if (!imsd_seed_eps(s, "0")) {
		imsd_eps *e = &s->eps[s->n_eps++];
		e->id = strdup("0");
		e->name = strdup("default");
		if (!e->id || !e->name)
			return oom(err);
	}
	return 0;
}

/* flavors: the ECS flavors flavor_id queries know, {"id", "ram" (MB), "architecture"}. */
static int seed_flavors(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "flavors", &a, err) ||
	    seed_alloc(&s->flavors, json_array_size(a), sizeof(*s->flavors), err))
		return -1;
	json_array_foreach(a, i, el)
	{
		imsd_flavor *f = &s->flavors[s->n_flavors++];
		char *arch = NULL;
		if (!(f->id = dup_member(el, "id", 1, "flavor", err)) ||
		    int_member(el, "ram", 1024, &f->ram_mb, err))
			return -1;
		if (json_object_get(el, "architecture") &&
		    !(arch = dup_member(el, "architecture", 1, "flavor", err)))
			return -1;
		f->arm = arch && strcmp(arch, "arm") == 0;
		if (arch && !f->arm && strcmp(arch, "x86") != 0) {
			free(arch);
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "seed: flavor %s: architecture must be x86 or arm",
			                       f->id);
		}
		free(arch);
	}
	return 0;
}

static int seed_images(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "images", &a, err))
		return -1;
	/* The seed's own array, not a copy: the parsed document is freed once read, and a copy of
	 * ten thousand images would double what imsd holds (glibc keeps the freed half). The
	 * image_series section appends to it. */
	s->images = a ? json_incref(a) : json_array();
	if (!s->images)
		return oom(err);
	json_array_foreach(s->images, i, el)
	{
		json_t *reg = json_object_get(el, "region");
		if (!json_is_string(reg) || !imsd_seed_region(s, json_string_value(reg)) ||
		    !json_is_string(json_object_get(el, "id")) ||
		    !json_is_string(json_object_get(el, "name")))
			return hwims_error_set(
			    err, HWIMS_ERR_USAGE,
			    "seed: image %zu needs string \"id\", \"name\" and a "
			    "\"region\" listed in \"regions\"",
			    i);
	}
	return 0;
}

/* RFC 3339 text of base plus minutes. Returns 0, or -1 when base is not of that form. */
static int time_plus(const char *base, int minutes, char *out, size_t n)
{
	struct tm tm = {0};
	const char *end = base ? strptime(base, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;

	if (!end || *end)
		return -1;
	time_t t = timegm(&tm) + (time_t)minutes * 60;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

/* Member i of a series: the template with its own id, name and times. */
static json_t *series_image(json_t *series, int i, hwims_error *err)
{
	const char *prefix = json_string_value(json_object_get(series, "id_prefix"));
	const char *name = json_string_value(json_object_get(series, "name_prefix"));
	const char *start = json_string_value(json_object_get(series, "created_at"));
	json_t *img = json_deep_copy(json_object_get(series, "template"));
	char id[64], text[160], when[32];

	if (!img) {
		oom(err);
		return NULL;
	}
	snprintf(id, sizeof(id), "%s%012x", prefix, (unsigned)i);
	snprintf(text, sizeof(text), "%s%04d", name, i);
	if (time_plus(start ? start : "2026-01-01T00:00:00Z", i, when, sizeof(when))) {
		json_decref(img);
		hwims_error_set(err, HWIMS_ERR_USAGE,
		                "seed: image_series created_at must be "
		                "YYYY-MM-DDTHH:MM:SSZ");
		return NULL;
	}
	json_object_set(img, "region", json_object_get(series, "region"));
	json_object_set_new(img, "id", json_string(id));
	json_object_set_new(img, "name", json_string(text));
	json_object_set_new(img, "created_at", json_string(when));
	json_object_set_new(img, "updated_at", json_string(when));
	json_object_set_new(img, "active_at", json_string(when));
	return img;
}

/* image_series: [{"region", "count", "id_prefix" (24 characters of a UUID), "name_prefix",
 * "created_at" (of the first, one minute apart), "template" (the other members)}], so a seed can
 * hold enough images for several pages without listing each. */
static int seed_image_series(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *a, *el;
	size_t i;

	if (array_member(root, "image_series", &a, err))
		return -1;
	json_array_foreach(a, i, el)
	{
		const char *prefix = json_string_value(json_object_get(el, "id_prefix"));
		int count;
		if (int_member(el, "count", 0, &count, err))
			return -1;
		if (!json_is_string(json_object_get(el, "region")) ||
		    !imsd_seed_region(s, json_string_value(json_object_get(el, "region"))) ||
		    !prefix || strlen(prefix) != 24 ||
		    !json_is_string(json_object_get(el, "name_prefix")) ||
		    !json_is_object(json_object_get(el, "template")) || count > 100000)
			return hwims_error_set(
			    err, HWIMS_ERR_USAGE,
			    "seed: image_series %zu needs a listed \"region\", a "
			    "24-character \"id_prefix\", \"name_prefix\", a "
			    "\"template\" object and a \"count\" up to 100000",
			    i);
		for (int k = 0; k < count; k++) {
			json_t *img = series_image(el, k, err);
			if (!img || json_array_append_new(s->images, img))
				return img ? oom(err) : -1;
		}
	}
	return 0;
}

static int seed_behaviour(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *tp = json_object_get(root, "throughput_mib_s");
	json_t *fp = json_object_get(root, "fail_name_pattern");

	s->throughput_mib_s = tp ? json_number_value(tp) : 100.0;
	if (tp && (!json_is_number(tp) || s->throughput_mib_s <= 0))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: throughput_mib_s must be positive");
	json_t *em = json_object_get(root, "eps_migration_s");
	s->eps_migration_s = em ? json_number_value(em) : 5.0;
	if (em && (!json_is_number(em) || s->eps_migration_s < 0 || s->eps_migration_s > 86400))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: eps_migration_s must be from 0 to 86400 seconds");
	if (fp && !json_is_null(fp) &&
	    !(s->fail_name_pattern = dup_member(root, "fail_name_pattern", 1, "seed", err)))
		return -1;
	return 0;
}

static int seed_limits(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *q = json_object_get(root, "quotas");
	json_t *tl = json_object_get(root, "tag_limits");

	if (int_member(q, "private_images_per_region", 100, &s->quota_private_images, err) ||
	    int_member(q, "concurrent_cross_region_copies", 5, &s->quota_cross_region_jobs, err) ||
	    int_member(tl, "max_tags", 10, &s->tag_max, err) ||
	    int_member(tl, "key_max", 36, &s->tag_key_max, err) ||
	    int_member(tl, "value_max", 43, &s->tag_value_max, err))
		return -1;
	return 0;
}

/* "missing_image": {"status": 400|404, "code": "IMG.0027"|"IMG.0144"|"IMG.0086"}. IMS answers
 * 400 with one of these codes for an image that does not exist (the stricter reading for a
 * client that must treat each as gone); 404 is what a kinder service would say. */
static int seed_missing_image(imsd_seed *s, json_t *root, hwims_error *err)
{
	json_t *mi = json_object_get(root, "missing_image");
	json_t *code = mi ? json_object_get(mi, "code") : NULL;
	const char *c = code ? json_string_value(code) : "IMG.0027";

	if (mi && !json_is_object(mi))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: \"missing_image\" must be an object");
	if (int_member(mi, "status", 400, &s->missing_image_status, err))
		return -1;
	if (s->missing_image_status != 400 && s->missing_image_status != 404)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: missing_image \"status\" must be 400 or 404");
	if (!c || (strcmp(c, "IMG.0027") != 0 && strcmp(c, "IMG.0144") != 0 &&
	           strcmp(c, "IMG.0086") != 0))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "seed: missing_image \"code\" must be IMG.0027, IMG.0144 "
		                       "or IMG.0086");
	snprintf(s->missing_image_code, sizeof(s->missing_image_code), "%s", c);
	return 0;
}

/* The sections in the order they are read: images need the regions. */
static const seed_section_fn SEED_SECTIONS[] = {
    seed_domain,   seed_credentials,   seed_temp_credentials, seed_regions,
    seed_kms_keys, seed_agencies,      seed_vaults,           seed_enterprise_projects,
    seed_flavors,  seed_images,        seed_image_series,     seed_behaviour,
    seed_limits,   seed_missing_image,
};

int imsd_seed_parse(imsd_seed **out, const char *json_text, size_t len, hwims_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json_text, len, JSON_REJECT_DUPLICATES, &jerr);
	imsd_seed *s = NULL;
	int rc = -1;

	*out = NULL;
	if (!root)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "seed: invalid JSON at line %d: %s",
		                       jerr.line, jerr.text);
	hwims_error_clear(err);
	if (!json_is_object(root))
		hwims_error_set(err, HWIMS_ERR_USAGE, "seed: the top level must be an object");
	else if (!(s = calloc(1, sizeof(*s))))
		oom(err);
	rc = s ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < sizeof(SEED_SECTIONS) / sizeof(SEED_SECTIONS[0]); i++)
		rc = SEED_SECTIONS[i](s, root, err);
	json_decref(root);
	if (rc != 0) {
		imsd_seed_free(s);
		return -1;
	}
	*out = s;
	return 0;
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
	for (size_t i = 0; i < s->n_temp_credentials; i++) {
		free(s->temp_credentials[i].access_key);
		free(s->temp_credentials[i].secret_key);
		free(s->temp_credentials[i].security_token);
	}
	free(s->temp_credentials);
	free(s->sts_key);
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
	for (size_t i = 0; i < s->n_flavors; i++)
		free(s->flavors[i].id);
	free(s->flavors);
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

const imsd_flavor *imsd_seed_flavor(const imsd_seed *s, const char *id)
{
	for (size_t i = 0; id && i < s->n_flavors; i++)
		if (strcmp(s->flavors[i].id, id) == 0)
			return &s->flavors[i];
	return NULL;
}

const imsd_temp_credential *imsd_seed_temp_credential(const imsd_seed *s, const char *access_key)
{
	for (size_t i = 0; access_key && i < s->n_temp_credentials; i++)
		if (strcmp(s->temp_credentials[i].access_key, access_key) == 0)
			return &s->temp_credentials[i];
	return NULL;
}

int imsd_seed_has_agency(const imsd_seed *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_agencies; i++)
		if (strcmp(s->agencies[i], name) == 0)
			return 1;
	return 0;
}
