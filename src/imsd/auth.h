/* auth.h - AK/SK verification of every request against the seed's credentials.
 *
 * Auth only decides: it reads the request and the seed and says why a request is refused. It
 * writes no response and reads no clock, so it sits in imsd's base layer; the app (app.c)
 * passes the time in and turns a refusal into the gateway's answer. */
#ifndef IMSD_AUTH_H
#define IMSD_AUTH_H

#include <stddef.h>

#include <hwims/error.h>

#include "imsd.h"
#include "seed.h"

/* The code of a refusal whose verifier named none: the gateway's "Incorrect IAM authentication
 * information". */
#define IMSD_AUTH_DEFAULT_CODE "APIGW.0301"
/* The gateway's "The token must be updated": temporary credentials past their expiry. */
#define IMSD_AUTH_EXPIRED_CODE "APIGW.0307"

/* Verify req's SDK-HMAC-SHA256 signature (SignedHeaders as the client sent them, 15 minutes of
 * clock skew around now, seconds since the epoch) against the secrets of seed (borrowed). A
 * request with X-Security-Token (signed or not, as the signature already proves the secret key
 * and the token must belong to the key) is checked against temporary
 * credentials instead: the seed's declared ones or those imsd issued (sts.h); one whose token
 * does not belong to its access key is refused with APIGW.0301, an expired one with
 * APIGW.0307.
 * Returns 0 and writes the access key to ak_out (may be NULL) when valid; otherwise returns -1
 * with err saying why: kind HWIMS_ERR_AUTH, http_status 401, code the gateway's (never empty).
 * The caller answers the refusal. err's message never reveals secrets or the expected
 * signature. */
int imsd_auth_check(const imsd_seed *seed, const imsd_request *req, double now, char *ak_out,
                    size_t ak_out_len, hwims_error *err);

#endif
