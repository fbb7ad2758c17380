/* auth.h - AK/SK verification of every request against the seed's credentials. */
#ifndef IMSD_AUTH_H
#define IMSD_AUTH_H

#include <stddef.h>

#include "imsd.h"

/* Verify req's SDK-HMAC-SHA256 signature (SignedHeaders as the client sent
 * them, 15 minutes of clock skew). Returns 0 and writes the access key to
 * ak_out when valid; otherwise fills resp with the gateway's 401 and returns
 * -1. The answer never reveals secrets or the expected signature. */
int imsd_auth_check(imsd_app *app, const imsd_request *req, imsd_response *resp, char *ak_out,
                    size_t ak_out_len);

#endif
