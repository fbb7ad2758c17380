/* api_call.c - one JSON API call, shared by the IMS, IAM and EPS call files, and how the
 * services' error bodies read: the transport below carries the bytes without knowing whose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

char *api_escape(const char *s)
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

char *api_path(const char *fmt, const char *a, const char *b)
{
	char *ea = api_escape(a);
	char *eb = b ? api_escape(b) : NULL;
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

static int set_from_pair(json_t *obj, const char *ck, const char *mk, hwims_error *err)
{
	json_t *c = json_object_get(obj, ck), *m = json_object_get(obj, mk);

	if (!(json_is_string(c) || json_is_integer(c)) && !json_is_string(m))
		return 0;
	if (json_is_string(c))
		snprintf(err->code, sizeof(err->code), "%s", json_string_value(c));
	else if (json_is_integer(c))
		snprintf(err->code, sizeof(err->code), "%lld", (long long)json_integer_value(c));
	if (json_is_string(m))
		snprintf(err->message, sizeof(err->message), "%s", json_string_value(m));
	return 1;
}

/* The Python SDK's order: error_code/error_msg, errorCode/errorMsg, code/message at this
   level, else the first nested object that has one of them. */
static int parse_error_object(json_t *obj, hwims_error *err, int depth)
{
	const char *key;
	json_t *val;

	if (!json_is_object(obj) || depth > 4)
		return 0;
	if (set_from_pair(obj, "error_code", "error_msg", err) ||
	    set_from_pair(obj, "errorCode", "errorMsg", err) ||
	    set_from_pair(obj, "code", "message", err))
		return 1;
	json_object_foreach(obj, key, val)
	{
		if (parse_error_object(val, err, depth + 1))
			return 1;
	}
	return 0;
}

int api_parse_error_body(const char *body, size_t body_len, hwims_error *err)
{
	hwims_error tmp;

	if (!body || body_len == 0 || !err)
		return 0;
	json_t *doc = json_loadb(body, body_len, 0, NULL);
	if (!doc)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	int found = parse_error_object(doc, &tmp, 0);
	json_decref(doc);
	if (found) {
		memcpy(err->code, tmp.code, sizeof(err->code));
		memcpy(err->message, tmp.message, sizeof(err->message));
	}
	return found;
}

int api_call_json(hwims_client *c, hwims_service svc, const char *region, const char *method,
                  const char *path, json_t *body, const char *project_id, unsigned flags,
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
	client_request rq = {.svc = svc,
	                     .region = region,
	                     .method = method,
	                     .path = path,
	                     .body = text,
	                     .project_id = project_id,
	                     .idempotent = (flags & API_IDEMPOTENT) != 0,
	                     .one_attempt = (flags & API_ONE_ATTEMPT) != 0,
	                     .cancel = cancel,
	                     .describe_error = api_parse_error_body};
	int rc = client_call(c, &rq, &resp, err);
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
