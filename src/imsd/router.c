/* router.c - map a request to a service, region and operation (see router.h). */
#include "router.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define MAX_SEGS 12

/* The host part of a Host header, lower-cased, without port. */
static void host_name(const char *host, char *out, size_t outlen)
{
	size_t o = 0;

	out[0] = '\0';
	if (!host)
		return;
	for (const char *p = host; *p && *p != ':' && o + 1 < outlen; p++)
		out[o++] = (char)tolower((unsigned char)*p);
	out[o] = '\0';
}

/* "xx-yyyy-N": the shape of a Huawei region name, to tell "/eu-west-9/..." (an unknown
 * region) from "/v2/..." (an API path in the default region). */
static int looks_like_region(const char *s)
{
	int dashes = 0;

	if (!islower((unsigned char)s[0]))
		return 0;
	for (const char *p = s; *p; p++) {
		if (*p == '-')
			dashes++;
		else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
			return 0;
	}
	return dashes >= 2;
}

static int seg_is(char segs[][IMSD_ROUTE_PARAM_MAX], size_t n, size_t i, const char *s)
{
	return i < n && strcmp(segs[i], s) == 0;
}

static void set_param(char *dst, const char *src)
{
	snprintf(dst, IMSD_ROUTE_PARAM_MAX, "%s", src);
}

static imsd_route_id route_ims(const char *m, char segs[][IMSD_ROUTE_PARAM_MAX], size_t n,
                               imsd_route *r)
{
	if (n == 4 && seg_is(segs, n, 0, "v1") && seg_is(segs, n, 1, "cloudimages") &&
	    strcmp(m, "POST") == 0) {
		set_param(r->image_id, segs[2]);
		if (strcmp(segs[3], "copy") == 0)
			return IMSD_ROUTE_COPY;
		if (strcmp(segs[3], "cross_region_copy") == 0)
			return IMSD_ROUTE_CROSS_COPY;
		return IMSD_ROUTE_NONE;
	}
	if (n == 4 && seg_is(segs, n, 0, "v1") && seg_is(segs, n, 1, "cloudimages") &&
	    seg_is(segs, n, 2, "job") && strcmp(m, "GET") == 0) {
		set_param(r->job_id, segs[3]);
		return IMSD_ROUTE_JOB_PROGRESS;
	}
	if (n == 4 && seg_is(segs, n, 0, "v1") && seg_is(segs, n, 2, "jobs") &&
	    strcmp(m, "GET") == 0) {
		set_param(r->project_id, segs[1]);
		set_param(r->job_id, segs[3]);
		return IMSD_ROUTE_JOB;
	}
	if (n == 2 && seg_is(segs, n, 0, "v2") && seg_is(segs, n, 1, "cloudimages") &&
	    strcmp(m, "GET") == 0)
		return IMSD_ROUTE_LIST_IMAGES;
	if (n == 3 && seg_is(segs, n, 0, "v2") && seg_is(segs, n, 1, "cloudimages") &&
	    strcmp(m, "PATCH") == 0) {
		set_param(r->image_id, segs[2]);
		return IMSD_ROUTE_PATCH_IMAGE;
	}
	if (n == 3 && seg_is(segs, n, 0, "v2") && seg_is(segs, n, 1, "images") &&
	    strcmp(m, "DELETE") == 0) {
		set_param(r->image_id, segs[2]);
		return IMSD_ROUTE_DELETE_IMAGE;
	}
	if (n >= 5 && seg_is(segs, n, 0, "v2") && seg_is(segs, n, 2, "images") &&
	    seg_is(segs, n, 4, "tags")) {
		set_param(r->project_id, segs[1]);
		set_param(r->image_id, segs[3]);
		if (n == 5 && strcmp(m, "GET") == 0)
			return IMSD_ROUTE_TAGS_GET;
		if (n == 6 && seg_is(segs, n, 5, "action") && strcmp(m, "POST") == 0)
			return IMSD_ROUTE_TAGS_ACTION;
	}
	return IMSD_ROUTE_NONE;
}

static imsd_route_id route_iam(const char *m, char segs[][IMSD_ROUTE_PARAM_MAX], size_t n)
{
	if (n == 3 && strcmp(m, "POST") == 0 && seg_is(segs, n, 0, "v3.0") &&
	    seg_is(segs, n, 1, "OS-CREDENTIAL") && seg_is(segs, n, 2, "securitytokens"))
		return IMSD_ROUTE_IAM_SECURITYTOKENS;
	if (strcmp(m, "GET") != 0 || !seg_is(segs, n, 0, "v3"))
		return IMSD_ROUTE_NONE;
	if (n == 2 && seg_is(segs, n, 1, "projects"))
		return IMSD_ROUTE_IAM_PROJECTS;
	if (n == 3 && seg_is(segs, n, 1, "auth") && seg_is(segs, n, 2, "projects"))
		return IMSD_ROUTE_IAM_PROJECTS;
	if (n == 3 && seg_is(segs, n, 1, "auth") && seg_is(segs, n, 2, "domains"))
		return IMSD_ROUTE_IAM_DOMAINS;
	return IMSD_ROUTE_NONE;
}

static imsd_route_id route_eps(const char *m, char segs[][IMSD_ROUTE_PARAM_MAX], size_t n,
                               imsd_route *r)
{
	if (!seg_is(segs, n, 0, "v1.0") || !seg_is(segs, n, 1, "enterprise-projects"))
		return IMSD_ROUTE_NONE;
	if (n == 2 && strcmp(m, "GET") == 0)
		return IMSD_ROUTE_EPS_LIST;
	if (strcmp(m, "POST") != 0 || n < 4)
		return IMSD_ROUTE_NONE;
	set_param(r->eps_id, segs[2]);
	if (n == 4 && seg_is(segs, n, 3, "resources-migrate"))
		return IMSD_ROUTE_EPS_MIGRATE;
	if (n == 5 && seg_is(segs, n, 3, "resources") && seg_is(segs, n, 4, "filter"))
		return IMSD_ROUTE_EPS_FILTER;
	return IMSD_ROUTE_NONE;
}

static imsd_route_id route_metadata(const char *m, char segs[][IMSD_ROUTE_PARAM_MAX], size_t n)
{
	if (n == 2 && strcmp(m, "GET") == 0 && seg_is(segs, n, 0, "latest") &&
	    seg_is(segs, n, 1, "securitykey"))
		return IMSD_ROUTE_METADATA_SECURITYKEY;
	return IMSD_ROUTE_NONE;
}

static imsd_route_id route_admin(const char *m, char segs[][IMSD_ROUTE_PARAM_MAX], size_t n)
{
	static const char *const methods[] = {"GET", "PUT", "POST", "DELETE", NULL};

	if (n != 1 || strcmp(segs[0], "faults") != 0)
		return IMSD_ROUTE_NONE;
	for (size_t i = 0; methods[i]; i++)
		if (strcmp(m, methods[i]) == 0)
			return IMSD_ROUTE_ADMIN_FAULTS;
	return IMSD_ROUTE_NONE;
}

/* Split the path target[0..plen) and decode its segments into segs; a trailing '/' is
 * tolerated, empty inner ones are not. */
static imsd_route_error split_path(const char *target, size_t plen,
                                   char segs[MAX_SEGS][IMSD_ROUTE_PARAM_MAX], size_t *nseg)
{
	const char *p = target + 1, *end = target + plen;

	*nseg = 0;
	while (p < end) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
		char *seg = segs[*nseg];

		if (len == 0) {
			if (e && e + 1 == end)
				break;
			return IMSD_ROUTE_BAD_PATH;
		}
		if (*nseg == MAX_SEGS)
			return IMSD_ROUTE_NOT_FOUND;
		if (imsd_percent_decode(p, len, seg, IMSD_ROUTE_PARAM_MAX, 0) < 0 ||
		    strchr(seg, '/') || strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return IMSD_ROUTE_BAD_PATH;
		(*nseg)++;
		p += len + 1;
	}
	return IMSD_ROUTE_OK;
}

/* The region of a real endpoint's host, "ims.<region>.<domain>" (hn lower-cased, without
 * port); OK too when hn is not of that form. */
static imsd_route_error region_of_host(const imsd_seed *seed, const char *hn, imsd_route *r)
{
	const char *dot = strncmp(hn, "ims.", 4) == 0 ? strchr(hn + 4, '.') : NULL;
	char name[64];

	if (!dot)
		return IMSD_ROUTE_OK;
	snprintf(name, sizeof(name), "%.*s", (int)(dot - (hn + 4)), hn + 4);
	r->region = imsd_seed_region(seed, name);
	if (!r->region) {
		snprintf(r->bad_region, sizeof(r->bad_region), "%s", name);
		return IMSD_ROUTE_UNKNOWN_REGION;
	}
	return IMSD_ROUTE_OK;
}

/* Service and region: path prefix first, then Host, then the default. *first gets the number
 * of segments the prefix took (0 or 1). */
static imsd_route_error pick_service(const imsd_seed *seed, const char *default_region, int admin,
                                     char segs[][IMSD_ROUTE_PARAM_MAX], size_t nseg,
                                     const char *host, imsd_route *r, size_t *first)
{
	static const struct {
		const char *prefix, *host_prefix;
		imsd_service service;
	} services[] = {{"_admin", NULL, IMSD_SVC_ADMIN},
	                {"iam", "iam.", IMSD_SVC_IAM},
	                {"eps", "eps.", IMSD_SVC_EPS},
	                {"openstack", NULL, IMSD_SVC_METADATA}};
	const size_t n_services = sizeof(services) / sizeof(services[0]);
	imsd_route_error re = IMSD_ROUTE_OK;
	char hn[256];

	r->service = IMSD_SVC_IMS;
	*first = 0;
	for (size_t i = 0; nseg > 0 && i < n_services; i++) {
		if (strcmp(segs[0], services[i].prefix) != 0)
			continue;
		if (services[i].service == IMSD_SVC_ADMIN && !admin)
			return IMSD_ROUTE_NOT_FOUND;
		r->service = services[i].service;
		*first = 1;
		return IMSD_ROUTE_OK;
	}
	if (nseg > 0 && (r->region = imsd_seed_region(seed, segs[0]))) {
		*first = 1;
		return IMSD_ROUTE_OK;
	}
	if (nseg > 0 && looks_like_region(segs[0])) {
		snprintf(r->bad_region, sizeof(r->bad_region), "%.*s",
		         (int)sizeof(r->bad_region) - 1, segs[0]);
		return IMSD_ROUTE_UNKNOWN_REGION;
	}
	host_name(host, hn, sizeof(hn));
	for (size_t i = 0; i < n_services; i++) {
		const char *hp = services[i].host_prefix;
		if (hp && strncmp(hn, hp, strlen(hp)) == 0) {
			r->service = services[i].service;
			return IMSD_ROUTE_OK;
		}
	}
	re = region_of_host(seed, hn, r);
	if (re == IMSD_ROUTE_OK && !r->region) {
		r->region = default_region ? imsd_seed_region(seed, default_region) : NULL;
		if (!r->region)
			r->region = &seed->regions[0];
	}
	return re;
}

imsd_route_error imsd_route_parse(const imsd_seed *seed, const char *default_region, int admin,
                                  const char *method, const char *target, const char *host,
                                  imsd_route *r)
{
	char segs[MAX_SEGS][IMSD_ROUTE_PARAM_MAX];
	size_t nseg, first, plen;
	const char *q;
	imsd_route_error re;

	memset(r, 0, sizeof(*r));
	if (!target || target[0] != '/')
		return IMSD_ROUTE_BAD_PATH;
	q = strchr(target, '?');
	plen = q ? (size_t)(q - target) : strlen(target);
	snprintf(r->path, sizeof(r->path), "%.*s", (int)plen, target);
	if ((re = split_path(target, plen, segs, &nseg)) != IMSD_ROUTE_OK)
		return re;
	re = pick_service(seed, default_region, admin, segs, nseg, host, r, &first);
	if (re != IMSD_ROUTE_OK)
		return re;
	switch (r->service) {
	case IMSD_SVC_IMS:
		r->id = route_ims(method, segs + first, nseg - first, r);
		break;
	case IMSD_SVC_IAM:
		r->id = route_iam(method, segs + first, nseg - first);
		break;
	case IMSD_SVC_EPS:
		r->id = route_eps(method, segs + first, nseg - first, r);
		break;
	case IMSD_SVC_ADMIN:
		r->id = route_admin(method, segs + first, nseg - first);
		break;
	case IMSD_SVC_METADATA:
		r->id = route_metadata(method, segs + first, nseg - first);
		break;
	}
	return r->id == IMSD_ROUTE_NONE ? IMSD_ROUTE_NOT_FOUND : IMSD_ROUTE_OK;
}
