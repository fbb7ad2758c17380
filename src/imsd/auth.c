/* auth.c - AK/SK verification (see auth.h). */
#include "auth.h"

#include <string.h>
#include <time.h>

static const char *lookup_secret(void *userdata, const char *access_key)
{
	return imsd_seed_secret((const imsd_seed *)userdata, access_key);
}

int imsd_auth_check(imsd_app *app, const imsd_request *req, imsd_response *resp, char *ak_out,
                    size_t ak_out_len)
{
	char path[IMSD_MAX_TARGET + 1];
	const char *q = strchr(req->target, '?');
	size_t plen = q ? (size_t)(q - req->target) : strlen(req->target);
	hwims_sign_request sr;
	hwims_error err;

	if (plen > IMSD_MAX_TARGET)
		plen = IMSD_MAX_TARGET;
	memcpy(path, req->target, plen);
	path[plen] = '\0';
	memset(&sr, 0, sizeof(sr));
	sr.method = req->method;
	sr.path = path;
	sr.query = q ? q + 1 : NULL;
	sr.headers = req->headers;
	sr.n_headers = req->n_headers;
	sr.body = req->body;
	sr.body_len = req->body_len;
	if (hwims_sign_verify(&sr, lookup_secret, app->seed, (time_t)imsd_now(app),
	                      HWIMS_SIGN_MAX_SKEW_S, ak_out, ak_out_len, &err) == 0)
		return 0;
	imsd_respond_gw_error(resp, 401, err.code[0] ? err.code : "APIGW.0301", req->request_id,
	                      "%s", err.message);
	return -1;
}
