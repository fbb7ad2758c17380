/* api_call.c - one JSON API call, shared by the IMS, IAM and EPS call files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

char *hwims_api_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = '\0';
	return out;
}

char *hwims_api_path(const char *fmt, const char *a, const char *b)
{
	char *ea = hwims_api_escape(a);
	char *eb = b ? hwims_api_escape(b) : NULL;
	char *out = NULL;
	if (ea && (!b || eb)) {
		size_t n = strlen(fmt) + strlen(ea) + (eb ? strlen(eb) : 0) + 1;
		out = malloc(n);
		if (out)
			snprintf(out, n, fmt, ea, eb ? eb : "");
	}
	free(ea);
	free(eb);
	return out;
}

int hwims_api_call_json(hwims_client *c, hwims_service svc, const char *region, const char *method,
                        const char *path, json_t *body, const char *project_id, int idempotent,
                        hwims_cancel *cancel, json_t **out, hwims_error *err)
{
	if (out)
		*out = NULL;
	char *text = NULL;
	if (body) {
		text = json_dumps(body, JSON_COMPACT);
		if (!text)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	hwims_http_response resp;
	int rc = hwims_client_call(c, svc, region, method, path, text, project_id, idempotent,
	                           cancel, &resp, err);
	free(text);
	if (rc == 0 && out && resp.body && resp.body_len > 0) {
		json_error_t jerr;
		*out = json_loadb(resp.body, resp.body_len, 0, &jerr);
		if (!*out && json_error_code(&jerr) == json_error_out_of_memory) {
			rc = hwims_error_set(err, HWIMS_ERR_INTERNAL,
			                     "out of memory reading the answer to %s %s", method,
			                     path);
		} else if (!*out) {
			rc = hwims_error_set(err, HWIMS_ERR_NETWORK,
			                     "bad response to %s %s: not JSON (%s)", method, path,
			                     jerr.text);
			if (err)
				snprintf(err->request_id, sizeof(err->request_id), "%s",
				         resp.request_id);
		}
	}
	hwims_http_response_free(&resp);
	return rc;
}
