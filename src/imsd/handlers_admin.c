/* handlers_admin.c - /_admin/faults: read (GET), change (PUT/POST, members present are set)
 * and clear (DELETE) the fault injection settings at run time. Only routed with --admin. */
#include "handlers.h"

#include <string.h>

void imsd_handle_admin_faults(imsd_ctx *c)
{
	imsd_fault_settings s;
	hwims_error err;
	const char *m = c->req->method;

	imsd_faults_get(&c->app->faults, &s);
	if (strcmp(m, "DELETE") == 0) {
		imsd_fault_settings_defaults(&s);
		imsd_faults_set(&c->app->faults, &s);
	} else if (strcmp(m, "PUT") == 0 || strcmp(m, "POST") == 0) {
		json_error_t jerr;
		json_t *body =
		    json_loadb(c->req->body ? c->req->body : "", c->req->body_len, 0, &jerr);
		if (!body || imsd_fault_settings_update(&s, body, &err)) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0001", "%s",
			                       body ? err.message
			                            : "the body must be a JSON object");
			json_decref(body);
			return;
		}
		json_decref(body);
		imsd_faults_set(&c->app->faults, &s);
	}
	json_t *o = imsd_fault_settings_json(&s);
	imsd_respond_object(c->resp, 200, o);
	json_decref(o);
}
