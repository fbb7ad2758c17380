/*
 * router.h - which service, region and operation a request addresses.
 *
 * The region comes from a "/{region}/" path prefix, else from a Host of the
 * real form ims.<region>.<domain>, else the default region; "/iam/" and
 * "/eps/" prefixes (or iam./eps. hosts) select those services, "/openstack/" the ECS metadata
 * service. Path segments
 * are percent-decoded one by one and refused when they decode to '/', "."
 * or "..", NUL or invalid UTF-8, so no traversal reaches a handler.
 */
#ifndef IMSD_ROUTER_H
#define IMSD_ROUTER_H

#include <stddef.h>

#include "seed.h"

typedef enum imsd_route_id {
	IMSD_ROUTE_NONE = 0,
	IMSD_ROUTE_COPY,
	IMSD_ROUTE_CROSS_COPY,
	IMSD_ROUTE_JOB,
	IMSD_ROUTE_JOB_PROGRESS,
	IMSD_ROUTE_LIST_IMAGES,
	IMSD_ROUTE_PATCH_IMAGE,
	IMSD_ROUTE_TAGS_GET,
	IMSD_ROUTE_TAGS_ACTION,
	IMSD_ROUTE_DELETE_IMAGE,
	IMSD_ROUTE_IAM_PROJECTS,
	IMSD_ROUTE_IAM_DOMAINS,
	IMSD_ROUTE_EPS_LIST,
	IMSD_ROUTE_EPS_MIGRATE,
	IMSD_ROUTE_EPS_FILTER,
	IMSD_ROUTE_ADMIN_FAULTS,
	IMSD_ROUTE_IAM_SECURITYTOKENS,
	IMSD_ROUTE_METADATA_SECURITYKEY
} imsd_route_id;

typedef enum imsd_route_error {
	IMSD_ROUTE_OK = 0,
	IMSD_ROUTE_NOT_FOUND,      /* no such API (or method) */
	IMSD_ROUTE_UNKNOWN_REGION, /* a region prefix or host naming no seeded region */
	IMSD_ROUTE_BAD_PATH        /* undecodable or traversing path */
} imsd_route_error;

/* IMSD_SVC_METADATA: the ECS metadata service ("/openstack/..."), which signs nothing. */
typedef enum imsd_service {
	IMSD_SVC_IMS,
	IMSD_SVC_IAM,
	IMSD_SVC_EPS,
	IMSD_SVC_ADMIN,
	IMSD_SVC_METADATA
} imsd_service;

#define IMSD_ROUTE_PARAM_MAX 256

typedef struct imsd_route {
	imsd_service service;
	imsd_route_id id;
	const imsd_region *region;       /* IMS: the addressed region (borrowed from the seed) */
	char path[IMSD_ROUTE_PARAM_MAX]; /* raw path, for logs (truncated) */
	/* Decoded path parameters: image ID, project ID, job ID, enterprise project ID. */
	char image_id[IMSD_ROUTE_PARAM_MAX];
	char project_id[IMSD_ROUTE_PARAM_MAX];
	char job_id[IMSD_ROUTE_PARAM_MAX];
	char eps_id[IMSD_ROUTE_PARAM_MAX];
	char bad_region[64]; /* for IMSD_ROUTE_UNKNOWN_REGION */
} imsd_route;

/* Route method + raw target (path and optional "?query") + Host (may be
 * NULL). default_region NULL means the seed's first. */
imsd_route_error imsd_route_parse(const imsd_seed *seed, const char *default_region, int admin,
                                  const char *method, const char *target, const char *host,
                                  imsd_route *out);

#endif
