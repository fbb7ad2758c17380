/*
 * seed.h - the emulated account: domain, credentials, regions and their
 * projects, KMS keys, agencies, vaults, enterprise projects, the images the
 * store starts with, throughput, quotas and limits. Loaded from JSON (the
 * built-in default or --seed FILE); read-only once loaded, so every thread
 * may read it without locking.
 */
#ifndef IMSD_SEED_H
#define IMSD_SEED_H

#include <stddef.h>

#include <jansson.h>

#include <hwims/error.h>

typedef struct imsd_credential {
	char *access_key, *secret_key;
} imsd_credential;

/* Temporary credentials declared by the seed (a test's shared configuration profile holds
   them); the ones imsd issues itself need no record (see sts.h). */
typedef struct imsd_temp_credential {
	char *access_key, *secret_key, *security_token;
	double expires_at; /* seconds since the epoch */
} imsd_temp_credential;

typedef struct imsd_region {
	char *name, *project_id;
} imsd_region;

typedef struct imsd_kms_key {
	char *key_id, *region;
	int enabled;
} imsd_kms_key;

typedef struct imsd_vault {
	char *vault_id, *region;
} imsd_vault;

typedef struct imsd_eps {
	char *id, *name;
} imsd_eps;

/* An ECS flavor, for the flavor_id filter of image queries. */
typedef struct imsd_flavor {
	char *id;
	int ram_mb;
	int arm; /* architecture "arm" (else "x86") */
} imsd_flavor;

typedef struct imsd_seed {
	char *domain_name, *domain_id;
	imsd_credential *credentials;
	size_t n_credentials;
	imsd_temp_credential *temp_credentials;
	size_t n_temp_credentials;
	/* "security_tokens": the key imsd's temporary credentials are derived with, the shortest
	   duration_seconds an assume_role may ask for (IAM's 900 unless a test seed allows less)
	   and the lifetime of the ECS metadata service's credentials, both in emulated seconds
	   (divided by --time-scale). */
	char *sts_key;
	int sts_min_duration_s, metadata_duration_s;
	imsd_region *regions; /* the first is the default region */
	size_t n_regions;
	imsd_kms_key *kms_keys;
	size_t n_kms_keys;
	char **agencies;
	size_t n_agencies;
	imsd_vault *vaults;
	size_t n_vaults;
	imsd_eps *eps;
	size_t n_eps;
	imsd_flavor *flavors;
	size_t n_flavors;
	json_t *images; /* array of image objects, each with "region"; owned */
	double throughput_mib_s;
	double eps_migration_s;  /* how long an enterprise-project move takes (emulated seconds) */
	char *fail_name_pattern; /* glob, may be NULL */
	int quota_private_images;
	int quota_cross_region_jobs;
	int tag_max, tag_key_max, tag_value_max;
	/* How a call on an image that does not exist is answered: 400 (IMS's documented answer)
	   or 404, with an IMG code ("IMG.0027", "IMG.0144" or "IMG.0086"). */
	int missing_image_status;
	char missing_image_code[16];
} imsd_seed;

/* The built-in default seed as JSON text (generated from default_seed.json). */
extern const char imsd_default_seed_json[];

/* Parse and check a seed. Caller frees with imsd_seed_free. */
int imsd_seed_parse(imsd_seed **out, const char *json_text, size_t len, hwims_error *err);
/* Read a seed file (NULL: the built-in default). */
int imsd_seed_load(imsd_seed **out, const char *path, hwims_error *err);
void imsd_seed_free(imsd_seed *seed);

/* Lookups; NULL when absent. Pointers borrowed from seed. */
const imsd_region *imsd_seed_region(const imsd_seed *seed, const char *name);
const imsd_region *imsd_seed_region_by_project(const imsd_seed *seed, const char *project_id);
const char *imsd_seed_secret(const imsd_seed *seed, const char *access_key);
const imsd_temp_credential *imsd_seed_temp_credential(const imsd_seed *seed,
                                                      const char *access_key);
const imsd_kms_key *imsd_seed_kms_key(const imsd_seed *seed, const char *key_id);
const imsd_vault *imsd_seed_vault(const imsd_seed *seed, const char *vault_id);
const imsd_eps *imsd_seed_eps(const imsd_seed *seed, const char *id);
const imsd_flavor *imsd_seed_flavor(const imsd_seed *seed, const char *id);
int imsd_seed_has_agency(const imsd_seed *seed, const char *name);

#endif
