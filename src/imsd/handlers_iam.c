/* handlers_iam.c - GET v3/projects (and v3/auth/projects), GET v3/auth/domains, POST
 * v3.0/OS-CREDENTIAL/securitytokens (assume_role), and the ECS metadata service's
 * GET openstack/latest/securitykey. */
#include "handlers.h"
#include "sts.h"

#include <stdio.h>
#include <string.h>

void imsd_handle_iam_projects(imsd_ctx *c)
{
	const imsd_seed *seed = c->app->seed;
	char key[64], val[512], name[512] = "", domain_id[512] = "", self[1024];
	const char *cur = c->query;
	int rc, by_name = 0, by_domain = 0;
	json_t *list = json_array(), *out;

	if (!list) {
		imsd_internal_error(c, NULL);
		return;
	}
	while ((rc = imsd_query_next(&cur, key, sizeof(key), val, sizeof(val))) == 1) {
		if (strcmp(key, "name") == 0) {
			snprintf(name, sizeof(name), "%s", val);
			by_name = 1;
		} else if (strcmp(key, "domain_id") == 0) {
			snprintf(domain_id, sizeof(domain_id), "%s", val);
			by_domain = 1;
		}
	}
	if (rc < 0) {
		json_decref(list);
		imsd_respond_gw_error(c->resp, 400, "IAM.0001", c->req->request_id,
		                      "The request is malformed: bad query string.");
		return;
	}
	for (size_t i = 0; i < seed->n_regions; i++) {
		const imsd_region *r = &seed->regions[i];
		if ((by_name && strcmp(name, r->name) != 0) ||
		    (by_domain && strcmp(domain_id, seed->domain_id) != 0))
			continue;
		snprintf(self, sizeof(self), "https://iam.myhuaweicloud.com/v3/projects/%s",
		         r->project_id);
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:{s:s}}", "id",
		                                      r->project_id, "name", r->name, "domain_id",
		                                      seed->domain_id, "parent_id", seed->domain_id,
		                                      "is_domain", 0, "enabled", 1, "description",
		                                      "", "links", "self", self));
	}
	out = json_pack("{s:{s:s,s:n,s:n},s:o}", "links", "self",
	                "https://iam.myhuaweicloud.com/v3/projects", "previous", "next", "projects",
	                list);
	imsd_respond_object(c->resp, 200, out);
	json_decref(out);
}

void imsd_handle_iam_domains(imsd_ctx *c)
{
	const imsd_seed *seed = c->app->seed;
	char self[512];

	snprintf(self, sizeof(self), "https://iam.myhuaweicloud.com/v3/domains/%s",
	         seed->domain_id);
	json_t *out =
	    json_pack("{s:[{s:s,s:s,s:b,s:s,s:{s:s}}],s:{s:s}}", "domains", "id", seed->domain_id,
	              "name", seed->domain_name, "enabled", 1, "description", "", "links", "self",
	              self, "links", "self", "https://iam.myhuaweicloud.com/v3/auth/domains");
	imsd_respond_object(c->resp, 200, out);
	json_decref(out);
}

/* IAM's Keystone-shaped error: {"error":{"code":404,"message":..,"title":..}}. */
static void iam_error(imsd_ctx *c, int status, const char *title, const char *message)
{
	json_t *out = json_pack("{s:{s:i,s:s,s:s}}", "error", "code", status, "message", message,
	                        "title", title);
	imsd_respond_object(c->resp, status, out);
	json_decref(out);
}

/* Answer 201 with temporary credentials living duration_s emulated seconds (divided by the
   time scale, like every other duration imsd emulates). */
static void respond_credential(imsd_ctx *c, double duration_s, int status)
{
	imsd_sts_credential cred;
	char expires[40];
	if (imsd_sts_issue(c->app->seed, c->now + duration_s / c->app->time_scale, &cred) != 0) {
		imsd_internal_error(c, NULL);
		return;
	}
	imsd_format_time_ms(cred.expires_at, expires, sizeof(expires));
	json_t *out =
	    json_pack("{s:{s:s,s:s,s:s,s:s}}", "credential", "access", cred.access_key, "secret",
	              cred.secret_key, "securitytoken", cred.security_token, "expires_at", expires);
	memset(&cred, 0, sizeof(cred));
	imsd_respond_object(c->resp, status, out);
	json_decref(out);
}

/* The assume_role member of a securitytokens body, or NULL after answering 400. */
static json_t *assume_role_of(imsd_ctx *c, json_t *body)
{
	json_t *identity = json_object_get(json_object_get(body, "auth"), "identity");
	json_t *methods = json_object_get(identity, "methods");
	json_t *ar = json_object_get(identity, "assume_role");
	const char *m = json_string_value(json_array_get(methods, 0));
	if (!json_is_array(methods) || json_array_size(methods) != 1 || !m ||
	    strcmp(m, "assume_role") != 0 || !json_is_object(ar)) {
		iam_error(c, 400, "Bad Request",
		          "auth.identity needs methods [\"assume_role\"] and an assume_role object "
		          "(the only method imsd serves)");
		return NULL;
	}
	return ar;
}

void imsd_handle_iam_securitytokens(imsd_ctx *c)
{
	const imsd_seed *seed = c->app->seed;
	json_t *body = json_loadb(c->req->body ? c->req->body : "", c->req->body_len, 0, NULL);
	json_t *ar = json_is_object(body) ? assume_role_of(c, body) : NULL;
	if (!json_is_object(body))
		iam_error(c, 400, "Bad Request", "The request body is not a JSON object.");
	if (!ar) {
		json_decref(body);
		return;
	}
	const char *agency = json_string_value(json_object_get(ar, "agency_name"));
	const char *dname = json_string_value(json_object_get(ar, "domain_name"));
	const char *did = json_string_value(json_object_get(ar, "domain_id"));
	json_t *dur = json_object_get(ar, "duration_seconds");
	json_int_t duration = dur ? (json_is_integer(dur) ? json_integer_value(dur) : -1) : 900;
	char msg[512];
	if (!agency || (!dname && !did)) {
		iam_error(c, 400, "Bad Request",
		          "assume_role needs agency_name and domain_name or domain_id");
	} else if ((dname && strcmp(dname, seed->domain_name) != 0) ||
	           (!dname && strcmp(did, seed->domain_id) != 0) ||
	           !imsd_seed_has_agency(seed, agency)) {
		snprintf(msg, sizeof(msg), "Could not find agency %.128s of domain %.128s.", agency,
		         dname ? dname : did);
		iam_error(c, 404, "Not Found", msg);
	} else if (duration < seed->sts_min_duration_s || duration > 86400) {
		snprintf(msg, sizeof(msg),
		         "Invalid input for field 'duration_seconds': expected %d to 86400.",
		         seed->sts_min_duration_s);
		iam_error(c, 400, "Bad Request", msg);
	} else {
		respond_credential(c, (double)duration, 201);
	}
	json_decref(body);
}

void imsd_handle_metadata_securitykey(imsd_ctx *c)
{
	respond_credential(c, (double)c->app->seed->metadata_duration_s, 200);
}
