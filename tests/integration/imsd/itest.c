/* itest.c - helpers of the imsd integration tests (see itest.h). */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

int itest_start(itest *t, const char *data_dir, double time_scale, const char *const *extra)
{
	hwims_http_options o;
	hwims_error err;

	memset(t, 0, sizeof(*t));
	if (hwims_test_imsd_start(&t->d, data_dir, time_scale, extra) != 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.access_key = DEMO_AK;
	o.secret_key = DEMO_SK;
	o.max_retries = 0;
	o.request_timeout_ms = 20000;
	o.backoff_base_ms = 10;
	o.backoff_max_ms = 50;
	if (hwims_http_new(&t->http, &o, &err) != 0) {
		hwims_test_imsd_stop(&t->d);
		return -1;
	}
	return 0;
}

int itest_stop(itest *t, int keep_data)
{
	hwims_http_free(t->http);
	t->http = NULL;
	t->d.keep_data = keep_data;
	return hwims_test_imsd_stop(&t->d);
}

static int group_setup(void **state, const char *const *extra)
{
	itest *t = calloc(1, sizeof(*t));

	if (!t || itest_start(t, NULL, 100, extra) != 0) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

int itest_group_setup(void **state)
{
	return group_setup(state, NULL);
}

int itest_group_setup_admin(void **state)
{
	static const char *const admin[] = {"--admin", NULL};
	return group_setup(state, admin);
}

int itest_group_teardown(void **state)
{
	itest *t = *state;

	itest_stop(t, 0);
	free(t);
	return 0;
}

static void parse_json(itest_reply *r)
{
	if (r->body && *r->body)
		r->json = json_loads(r->body, 0, NULL);
}

itest_reply itest_call(itest *t, const char *method, const char *path, const char *body)
{
	itest_reply r;
	hwims_http_request req;
	hwims_http_response resp;
	hwims_error err;
	char url[4096];

	memset(&r, 0, sizeof(r));
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	snprintf(url, sizeof(url), "%s%s", t->d.base_url, path);
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.idempotent = 1;
	hwims_http_do(t->http, &req, &resp, &err);
	r.status = resp.status;
	r.body = resp.body ? strdup(resp.body) : NULL;
	snprintf(r.request_id, sizeof(r.request_id), "%s", resp.request_id);
	hwims_http_response_free(&resp);
	parse_json(&r);
	return r;
}

typedef struct raw_ctx {
	char *buf;
	size_t len;
	char retry_after[32];
	char request_id[128];
} raw_ctx;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	raw_ctx *c = ud;
	size_t add = size * n;
	char *nb = realloc(c->buf, c->len + add + 1);

	if (!nb)
		return 0;
	memcpy(nb + c->len, p, add);
	c->buf = nb;
	c->len += add;
	c->buf[c->len] = '\0';
	return add;
}

static void header_value(const char *line, size_t n, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);

	if (n <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return;
	const char *v = line + nl + 1;
	while (*v == ' ')
		v++;
	size_t vl = n - (size_t)(v - line);
	while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
		vl--;
	snprintf(out, outlen, "%.*s", (int)vl, v);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	raw_ctx *c = ud;

	header_value(p, size * n, "Retry-After", c->retry_after, sizeof(c->retry_after));
	header_value(p, size * n, "X-Request-Id", c->request_id, sizeof(c->request_id));
	return size * n;
}

itest_reply itest_raw(itest *t, const char *method, const char *path, const char *const *headers,
                      const char *body, size_t body_len)
{
	itest_reply r;
	raw_ctx c;
	CURL *h = curl_easy_init();
	struct curl_slist *hl = NULL;
	char url[1 << 16];
	long status = 0;

	memset(&r, 0, sizeof(r));
	memset(&c, 0, sizeof(c));
	if (!h)
		return r;
	snprintf(url, sizeof(url), "%s%s", t->d.base_url, path);
	for (size_t i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	/* No "Expect: 100-continue" and no default Content-Type: send exactly what the test
	 * says. */
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &c);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	r.status = (int)status;
	r.body = c.buf;
	snprintf(r.retry_after, sizeof(r.retry_after), "%s", c.retry_after);
	snprintf(r.request_id, sizeof(r.request_id), "%s", c.request_id);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	parse_json(&r);
	return r;
}

void itest_reply_free(itest_reply *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof(*r));
}

const char *itest_str(json_t *obj, const char *path)
{
	char key[128];
	const char *p = path;

	while (obj && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		obj = json_object_get(obj, key);
		p += n + (dot ? 1 : 0);
	}
	return json_is_string(obj) ? json_string_value(obj) : NULL;
}

const char *itest_error_code(const itest_reply *r)
{
	const char *c = itest_str(r->json, "error.code");

	if (!c)
		c = itest_str(r->json, "error_code");
	if (!c)
		c = itest_str(r->json, "error.error_code");
	return c ? c : "";
}

json_t *itest_wait_job(itest *t, const char *region, const char *project_id, const char *job_id)
{
	char path[512];

	snprintf(path, sizeof(path), "/%s/v1/%s/jobs/%s", region, project_id, job_id);
	for (int i = 0; i < 1200; i++) {
		itest_reply r = itest_call(t, "GET", path, NULL);
		const char *st = r.status == 200 ? itest_str(r.json, "status") : NULL;
		if (st && (strcmp(st, "SUCCESS") == 0 || strcmp(st, "FAIL") == 0)) {
			json_t *j = json_incref(r.json);
			itest_reply_free(&r);
			return j;
		}
		int ok = r.status == 200;
		itest_reply_free(&r);
		if (!ok)
			return NULL;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

char *itest_copy(itest *t, const char *region, const char *src, const char *name)
{
	char path[512], body[512];
	char *id = NULL;

	snprintf(path, sizeof(path), "/%s/v1/cloudimages/%s/copy", region, src);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"description\":\"\"}\n", name);
	itest_reply r = itest_call(t, "POST", path, body);
	if (r.status == 200 && itest_str(r.json, "job_id"))
		id = strdup(itest_str(r.json, "job_id"));
	itest_reply_free(&r);
	return id;
}
