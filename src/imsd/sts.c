/* sts.c - stateless temporary credentials (see sts.h). */
#include "sts.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* The access keys imsd issues start so (seed keys never do). */
#define AK_PREFIX "HWIMSSTS"

/* hex(HMAC-SHA256(seed key, label "|" ak "|" expiry in ms)) cut to len characters. */
static void derive(const imsd_seed *seed, const char *label, const char *ak, long long exp_ms,
                   char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char msg[160];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n = snprintf(msg, sizeof(msg), "%s|%s|%lld", label, ak, exp_ms);
	HMAC(EVP_sha256(), seed->sts_key, (int)strlen(seed->sts_key), (const unsigned char *)msg,
	     (size_t)n, md, &mdlen);
	size_t o = 0;
	for (unsigned int i = 0; i < mdlen && o + 2 <= len; i++) {
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o] = '\0';
}

int imsd_sts_issue(const imsd_seed *seed, double expires_at, imsd_sts_credential *out)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char rnd[IMSD_STS_AK_LEN];
	size_t pre = strlen(AK_PREFIX);

	memset(out, 0, sizeof(*out));
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	memcpy(out->access_key, AK_PREFIX, pre);
	for (size_t i = pre; i < IMSD_STS_AK_LEN; i++)
		out->access_key[i] = alnum[rnd[i] % (sizeof(alnum) - 1)];
	long long exp_ms = (long long)(expires_at * 1000.0);
	char mac[65];
	derive(seed, "sk", out->access_key, exp_ms, out->secret_key, IMSD_STS_SK_LEN);
	derive(seed, "token", out->access_key, exp_ms, mac, 64);
	snprintf(out->security_token, sizeof(out->security_token), "hwims-sts.%lld.%s", exp_ms,
	         mac);
	out->expires_at = (double)exp_ms / 1000.0;
	return 0;
}

int imsd_sts_secret(const imsd_seed *seed, const char *ak, const char *token, char *secret,
                    size_t secret_len, double *expires_at)
{
	const imsd_temp_credential *t = imsd_seed_temp_credential(seed, ak);
	if (t) {
		if (strcmp(t->security_token, token) != 0)
			return -1;
		snprintf(secret, secret_len, "%s", t->secret_key);
		*expires_at = t->expires_at;
		return 0;
	}
	if (strncmp(ak, AK_PREFIX, strlen(AK_PREFIX)) != 0 || strlen(ak) != IMSD_STS_AK_LEN ||
	    strncmp(token, "hwims-sts.", 10) != 0 || secret_len < IMSD_STS_SK_LEN + 1)
		return -1;
	char *end;
	long long exp_ms = strtoll(token + 10, &end, 10);
	if (end == token + 10 || *end != '.')
		return -1;
	char mac[65];
	derive(seed, "token", ak, exp_ms, mac, 64);
	if (strlen(end + 1) != 64 || CRYPTO_memcmp(mac, end + 1, 64) != 0)
		return -1;
	derive(seed, "sk", ak, exp_ms, secret, IMSD_STS_SK_LEN);
	*expires_at = (double)exp_ms / 1000.0;
	return 0;
}
