/* auth.c - AK/SK verification (see auth.h). */
#include "auth.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *lookup_secret(void *userdata, const char *access_key)
{
	return imsd_seed_secret((const imsd_seed *)userdata, access_key);
}

int imsd_auth_check(const imsd_seed *seed, const imsd_request *req, double now, char *ak_out,
                    size_t ak_out_len, hwims_error *err)
{
	char path[IMSD_MAX_TARGET + 1];
	const char *q = strchr(req->target, '?');
	size_t plen = q ? (size_t)(q - req->target) : strlen(req->target);
	hwims_sign_request sr;

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
	/* The lookup only reads the seed; the callback type is not const-qualified. */
	if (hwims_sign_verify(&sr, lookup_secret, (void *)seed, (time_t)now, HWIMS_SIGN_MAX_SKEW_S,
	                      ak_out, ak_out_len, err) == 0)
		return 0;
	/* Whatever the verifier filled, the caller gets a refusal it can answer as is. */
	err->kind = HWIMS_ERR_AUTH;
	err->http_status = 401;
	if (!err->code[0])
		snprintf(err->code, sizeof(err->code), "%s", IMSD_AUTH_DEFAULT_CODE);
	return -1;
}
