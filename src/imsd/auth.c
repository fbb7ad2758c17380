/* auth.c - AK/SK verification (see auth.h). */
#include "auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sts.h"

/* What the key lookup learns about the request's credentials. */
typedef struct key_lookup {
	const imsd_seed *seed;
	const char *token; /* X-Security-Token, or NULL */
	char secret[IMSD_STS_SK_LEN + 64];
	double expires_at; /* temporary credentials: their expiry; 0 for permanent ones */
	int foreign_token; /* the token does not belong to the access key */
} key_lookup;

/* Permanent keys sign alone; temporary ones only with their own token. */
static const char *lookup_secret(void *userdata, const char *access_key)
{
	key_lookup *kl = userdata;
	if (!kl->token)
		return imsd_seed_secret(kl->seed, access_key);
	if (imsd_sts_secret(kl->seed, access_key, kl->token, kl->secret, sizeof(kl->secret),
	                    &kl->expires_at) == 0)
		return kl->secret;
	kl->foreign_token = 1;
	return NULL;
}

static const char *find_header(const imsd_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

static int refuse(hwims_error *err, const char *code, const char *message)
{
	hwims_error_set(err, HWIMS_ERR_AUTH, "%s", message);
	err->http_status = 401;
	snprintf(err->code, sizeof(err->code), "%s", code);
	return -1;
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
	key_lookup kl;
	memset(&kl, 0, sizeof(kl));
	kl.seed = seed;
	kl.token = find_header(req, "X-Security-Token");
	int rc = hwims_sign_verify(&sr, lookup_secret, &kl, (time_t)now, HWIMS_SIGN_MAX_SKEW_S,
	                           ak_out, ak_out_len, err);
	memset(kl.secret, 0, sizeof(kl.secret));
	if (rc == 0 && kl.token && now >= kl.expires_at)
		return refuse(err, IMSD_AUTH_EXPIRED_CODE,
		              "The token must be updated: the security token of these temporary "
		              "credentials has expired");
	if (rc == 0)
		return 0;
	if (kl.foreign_token)
		return refuse(err, IMSD_AUTH_DEFAULT_CODE,
		              "Incorrect IAM authentication information: the security token does "
		              "not belong to the access key");
	/* Whatever the verifier filled, the caller gets a refusal it can answer as is. */
	err->kind = HWIMS_ERR_AUTH;
	err->http_status = 401;
	if (!err->code[0])
		snprintf(err->code, sizeof(err->code), "%s", IMSD_AUTH_DEFAULT_CODE);
	return -1;
}
