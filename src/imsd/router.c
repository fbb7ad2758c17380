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

imsd_route_error imsd_route_parse(const imsd_seed *seed, const char *default_region, int admin,
                                  const char *method, const char *target, const char *host,
                                  imsd_route *r)
{
	char segs[MAX_SEGS][IMSD_ROUTE_PARAM_MAX];
	size_t nseg = 0, first = 0, plen;
	const char *q, *p;
	char hn[256];

	memset(r, 0, sizeof(*r));
	if (!target || target[0] != '/')
		return IMSD_ROUTE_BAD_PATH;
	q = strchr(target, '?');
	plen = q ? (size_t)(q - target) : strlen(target);
	snprintf(r->path, sizeof(r->path), "%.*s", (int)plen, target);

	/* Split and decode the segments; a trailing '/' is tolerated, empty inner ones are not. */
	p = target + 1;
	while (p < target + plen) {
		const char *e = memchr(p, '/', (size_t)(target + plen - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(target + plen - p);
		if (len == 0) {
			if (e && e + 1 == target + plen)
				break;
			return IMSD_ROUTE_BAD_PATH;
		}
		if (nseg == MAX_SEGS)
			return IMSD_ROUTE_NOT_FOUND;
		long dl = imsd_percent_decode(p, len, segs[nseg], IMSD_ROUTE_PARAM_MAX, 0);
		if (dl < 0 || strchr(segs[nseg], '/') || strcmp(segs[nseg], ".") == 0 ||
		    strcmp(segs[nseg], "..") == 0)
			return IMSD_ROUTE_BAD_PATH;
		nseg++;
		p += len + 1;
	}

	/* Service and region: path prefix first, then Host, then the default. */
	r->service = IMSD_SVC_IMS;
	host_name(host, hn, sizeof(hn));
	if (nseg > 0 && strcmp(segs[0], "_admin") == 0) {
		if (!admin)
			return IMSD_ROUTE_NOT_FOUND;
		r->service = IMSD_SVC_ADMIN;
		first = 1;
	} else if (nseg > 0 && strcmp(segs[0], "iam") == 0) {
		r->service = IMSD_SVC_IAM;
		first = 1;
	} else if (nseg > 0 && strcmp(segs[0], "eps") == 0) {
		r->service = IMSD_SVC_EPS;
		first = 1;
	} else if (nseg > 0 && imsd_seed_region(seed, segs[0])) {
		r->region = imsd_seed_region(seed, segs[0]);
		first = 1;
	} else if (nseg > 0 && looks_like_region(segs[0])) {
		snprintf(r->bad_region, sizeof(r->bad_region), "%.*s",
		         (int)sizeof(r->bad_region) - 1, segs[0]);
		return IMSD_ROUTE_UNKNOWN_REGION;
	} else if (strncmp(hn, "iam.", 4) == 0) {
		r->service = IMSD_SVC_IAM;
	} else if (strncmp(hn, "eps.", 4) == 0) {
		r->service = IMSD_SVC_EPS;
	} else if (strncmp(hn, "ims.", 4) == 0 && strchr(hn + 4, '.')) {
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(strchr(hn + 4, '.') - (hn + 4)), hn + 4);
		r->region = imsd_seed_region(seed, name);
		if (!r->region) {
			snprintf(r->bad_region, sizeof(r->bad_region), "%s", name);
			return IMSD_ROUTE_UNKNOWN_REGION;
		}
	}
	if (r->service == IMSD_SVC_IMS && !r->region) {
		r->region = default_region ? imsd_seed_region(seed, default_region) : NULL;
		if (!r->region)
			r->region = &seed->regions[0];
	}

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
		if (nseg - first == 1 && strcmp(segs[first], "faults") == 0 &&
		    (strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0 ||
		     strcmp(method, "POST") == 0 || strcmp(method, "DELETE") == 0))
			r->id = IMSD_ROUTE_ADMIN_FAULTS;
		break;
	}
	return r->id == IMSD_ROUTE_NONE ? IMSD_ROUTE_NOT_FOUND : IMSD_ROUTE_OK;
}
