/*
 * hwims/config.h - provider/CLI configuration: credentials, region, endpoints.
 *
 * One loader for every front end (Terraform provider block, CLI flags,
 * environment), so all of them resolve settings the same way:
 * explicit argument > environment variable > default.
 */
#ifndef HWIMS_CONFIG_H
#define HWIMS_CONFIG_H

#include "hwims/export.h"

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hwims_service {
	HWIMS_SVC_IMS = 0,
	HWIMS_SVC_IAM,
	HWIMS_SVC_EPS,
	HWIMS_SVC_COUNT
} hwims_service;

#define HWIMS_DEFAULT_CLOUD       "myhuaweicloud.com"
#define HWIMS_DEFAULT_MAX_RETRIES 5
#define HWIMS_MAX_MAX_RETRIES     20
/* The ECS metadata service, asked for temporary credentials when nothing else gives any. */
#define HWIMS_DEFAULT_METADATA_URL "http://169.254.169.254/"

/* A loaded configuration. Every string member is owned (malloc'd) or NULL; free with
   hwims_config_free. */
typedef struct hwims_config {
	char *region;                  /* may be NULL (the resource may name its own) */
	char *access_key, *secret_key; /* may be NULL: callers that need them check */
	char *security_token;          /* temporary credentials, may be NULL */
	char *project_id;              /* may be NULL (looked up through IAM) */
	char *cloud;                   /* default "myhuaweicloud.com" */
	char *enterprise_project_id;   /* default enterprise project, may be NULL */
	char *project_name;            /* alternative to project_id, may be NULL */
	char *domain_id, *domain_name; /* the account, may be NULL */
	char *auth_url;                /* IAM endpoint override (official form), may be NULL */
	/* The ECS metadata service's base URL, ending in '/' (HWIMS_METADATA_URL, default
	   HWIMS_DEFAULT_METADATA_URL): where the credentials come from when no key, shared
	   configuration profile or agency gives any. Tests point it at imsd. */
	char *metadata_url;
	char *shared_config_file; /* Huawei Cloud CLI configuration file, may be NULL */
	char *profile;            /* profile in shared_config_file, may be NULL */
	/* assume_role: when assume_agency_name is set, every call is made with temporary
	   credentials for that agency, obtained from IAM with the credentials above. */
	char *assume_agency_name, *assume_domain_name, *assume_domain_id;
	int assume_duration;              /* seconds; 0 = the service's default */
	char *endpoints[HWIMS_SVC_COUNT]; /* URL templates, always ending in '/' */
	int insecure;                     /* 1: skip TLS verification */
	int max_retries;                  /* default 5, 0..20 */
	/* Where creates keep the record of the copy requests they have in flight, so a create
	   killed mid-way is resumed by the next one instead of copying again (HWIMS_STATE_DIR,
	   else $XDG_STATE_HOME/hwims, else $HOME/.local/state/hwims). NULL: no records. */
	char *state_dir;
} hwims_config;

/* Explicit settings (e.g. from the Terraform provider block or CLI flags). NULL / -1 = unset.
   All pointers are borrowed; hwims_config_load copies what it keeps. An empty string counts as
   unset, like an empty provider attribute in Terraform. */
typedef struct hwims_config_args {
	const char *region, *access_key, *secret_key, *security_token, *project_id, *cloud,
	    *enterprise_project_id;
	const char *project_name, *domain_id, *domain_name, *auth_url, *shared_config_file,
	    *profile;
	const char *assume_agency_name, *assume_domain_name, *assume_domain_id;
	int assume_duration; /* -1 unset */
	const char *endpoints[HWIMS_SVC_COUNT];
	int insecure;    /* -1 unset */
	int max_retries; /* -1 unset */
} hwims_config_args;

/* Set every field of a to "unset". */
HWIMS_EXTERN void hwims_config_args_init(hwims_config_args *a);

/*
 * Fill *cfg (whose previous contents are ignored, not freed).
 * Precedence: argument > environment (envp, NULL-terminated "K=V" array; pass `environ` in
 * programs, a literal array in tests; may be NULL) > default. Env names: HW_REGION_NAME,
 * HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN, HW_PROJECT_ID, HW_CLOUD,
 * HW_ENTERPRISE_PROJECT_ID, HW_IMS_ENDPOINT, HW_IAM_ENDPOINT, HW_EPS_ENDPOINT, HW_INSECURE
 * ("true"/"false"/"1"/"0"), HW_MAX_RETRIES, HW_PROJECT_NAME, HW_DOMAIN_ID, HW_DOMAIN_NAME,
 * HW_AUTH_URL, HW_SHARED_CONFIG_FILE, HW_PROFILE, HW_ASSUME_ROLE_AGENCY_NAME,
 * HW_ASSUME_ROLE_DOMAIN_NAME, HW_ASSUME_ROLE_DURATION, HW_ASSUME_ROLE_DOMAIN_ID,
 * HWIMS_METADATA_URL; state_dir from HWIMS_STATE_DIR, XDG_STATE_HOME or HOME. Empty
 * environment values count as unset.
 * auth_url (official form "https://iam.{region}.myhuaweicloud.com:443/v3") becomes the IAM
 * endpoint, without its "/v3", unless an IAM endpoint is given (argument or HW_IAM_ENDPOINT).
 * The shared configuration file (the Huawei Cloud CLI's JSON: "current" and "profiles"), read
 * as the official provider reads it, only when no access key is set: the profile named by
 * profile, else the file's "current"; its accessKeyId, secretAccessKey and securityToken are
 * the keys, and its region, projectId, domainId, agencyName and agencyDomainName replace the
 * settings they name. Mode "AKSK" (or none) is supported, and "ecsAgency" (credentials from the
 * ECS metadata service); another mode, a missing file, bad JSON or an unknown profile is
 * HWIMS_ERR_USAGE on shared_config_file or profile, naming the file and the profile. A "~/"
 * prefix of the file name is the HOME of envp.
 * Default templates: ims "https://ims.{region}.{cloud}/", iam "https://iam.{region}.{cloud}/",
 * eps "https://eps.{cloud}/". A template without trailing '/' gets one. Validates (max_retries
 * 0..20, endpoints are http(s) URLs with a host, the region a region name
 * (hwims_region_name_valid), the cloud a domain of lower-case letters, digits, '-' and '.',
 * HW_INSECURE/HW_MAX_RETRIES parse): on error
 * returns -1 with HWIMS_ERR_USAGE naming the setting and *cfg left empty (nothing to free, though
 * hwims_config_free is safe). Does NOT require credentials (callers check). On success caller
 * frees with hwims_config_free.
 */
HWIMS_EXTERN int hwims_config_load(hwims_config *cfg, const hwims_config_args *args,
                                   char *const *envp, hwims_error *err);

/* Free the members (not cfg itself) and zero them. Safe on a zeroed config. */
HWIMS_EXTERN void hwims_config_free(hwims_config *cfg);

/*
 * Expand the template for svc: {region} is replaced by region (or cfg->region when region is
 * NULL; an error if the template needs a region and none is known, and HWIMS_ERR_USAGE on
 * "region" when it is not a region name) and {cloud} by cfg->cloud.
 * The result always ends in '/'. Caller frees *url with free().
 */
HWIMS_EXTERN int hwims_config_endpoint(const hwims_config *cfg, hwims_service svc,
                                       const char *region, char **url, hwims_error *err);

/*
 * 1 when region has the documented form of a region name: 1-64 characters of lower-case
 * letters, digits and '-' (cn-north-4, ap-southeast-1), else 0 (also for NULL). A region
 * becomes part of an endpoint's host name, so nothing else may reach a URL: anything else could
 * send signed requests, with the credentials, to a host of the caller's choosing.
 */
HWIMS_EXTERN int hwims_region_name_valid(const char *region);

/* Lower-case service name ("ims", "iam", "eps"); never NULL. */
HWIMS_EXTERN const char *hwims_service_name(hwims_service svc);

#ifdef __cplusplus
}
#endif

#endif
