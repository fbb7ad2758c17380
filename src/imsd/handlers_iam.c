/* handlers_iam.c - GET v3/projects (and v3/auth/projects), GET v3/auth/domains. */
#include "handlers.h"

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
