/* sts.h - the temporary credentials imsd issues (assume_role, the ECS metadata service).
 *
 * Nothing is stored: the security token names its expiry and carries a MAC over the access key
 * and that expiry, and the secret key is derived from the same two with the seed's signing key.
 * So any imsd thread, or a restarted imsd, verifies them from the request alone, and the seed
 * stays read-only. Also the seed's declared temporary credentials are looked up here. */
#ifndef IMSD_STS_H
#define IMSD_STS_H

#include <stddef.h>

#include "seed.h"

#define IMSD_STS_AK_LEN    20
#define IMSD_STS_SK_LEN    40
#define IMSD_STS_TOKEN_MAX 128

typedef struct imsd_sts_credential {
	char access_key[IMSD_STS_AK_LEN + 1];
	char secret_key[IMSD_STS_SK_LEN + 1];
	char security_token[IMSD_STS_TOKEN_MAX];
	double expires_at; /* seconds since the epoch */
} imsd_sts_credential;

/* New credentials expiring at expires_at. Returns 0, or -1 when no random bytes were to be
   had. */
int imsd_sts_issue(const imsd_seed *seed, double expires_at, imsd_sts_credential *out);

/* The secret key of temporary access key ak presented with token (both from the request), into
   secret (at least IMSD_STS_SK_LEN + 1 bytes), and its expiry: the seed's declared ones, else
   imsd's own. Returns 0, or -1 when the token does not belong to ak. */
int imsd_sts_secret(const imsd_seed *seed, const char *ak, const char *token, char *secret,
                    size_t secret_len, double *expires_at);

#endif
