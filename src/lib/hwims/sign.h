/*
 * hwims/sign.h - AK/SK request signing (SDK-HMAC-SHA256) and verification.
 *
 * The algorithm is the one of the official Huawei Cloud SDKs (Python SDK v3,
 * Go SDK v3, golangsdk): canonical request, string to sign, HMAC-SHA256 with
 * the secret key, Authorization "SDK-HMAC-SHA256 Access=.., SignedHeaders=..,
 * Signature=..". The SDKs differ only in which headers they sign; the caller
 * of hwims_sign picks them. The verifier (used by imsd) trusts only the
 * SignedHeaders list of the received Authorization header.
 */
#ifndef HWIMS_SIGN_H
#define HWIMS_SIGN_H

#include <stddef.h>
#include <time.h>

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HWIMS_SIGN_ALGORITHM  "SDK-HMAC-SHA256"
#define HWIMS_SIGN_MAX_SKEW_S (15 * 60) /* what the API gateway tolerates */

/* One HTTP header; both strings borrowed. */
typedef struct hwims_header {
	const char *name;
	const char *value;
} hwims_header;

/* A request to sign or verify. Every pointer is borrowed. */
typedef struct hwims_sign_request {
	const char *method; /* "GET" ... (upper-cased when signing) */
	const char *path;   /* path as sent on the wire, percent-encoded, e.g. "/v2/cloudimages" */
	const char *query;  /* raw query string as sent, without '?'; NULL or "" for none */
	const hwims_header
	    *headers; /* the headers to sign (signer) / all received headers (verifier) */
	size_t n_headers;
	const void *body; /* exact bytes as sent; may be NULL when body_len is 0 */
	size_t body_len;
} hwims_sign_request;

/* The result of signing; every string owned, freed by hwims_signature_free. */
typedef struct hwims_signature {
	char *canonical_request, *string_to_sign, *signed_headers, *authorization;
} hwims_signature;

/*
 * Sign exactly the headers given (the caller picks them; X-Sdk-Date must be among them;
 * X-Sdk-Content-Sha256 if present replaces the body hash; a header listed twice becomes one
 * canonical line per value, values sorted, like golangsdk). For "host" pass the Host header
 * value as sent (host[:port]). Errors: HWIMS_ERR_USAGE (missing X-Sdk-Date, missing method/path,
 * empty ak/sk), HWIMS_ERR_INTERNAL (out of memory). On success caller frees *out with
 * hwims_signature_free; on error *out is zeroed.
 */
int hwims_sign(const hwims_sign_request *req, const char *ak, const char *sk, hwims_signature *out,
               hwims_error *err);

/* Free the members and zero them. Safe on a zeroed signature. */
void hwims_signature_free(hwims_signature *sig);

/* Format now as X-Sdk-Date "YYYYMMDDTHHMMSSZ" (UTC; buf >= 17 bytes, else truncated). */
void hwims_sign_date(time_t now, char *buf, size_t buflen);

/* Parse an X-Sdk-Date value; 0 with *out set, or -1 if malformed. */
int hwims_sign_parse_date(const char *text, time_t *out);

/* Secret lookup for the verifier: return the secret key for an access key (borrowed pointer
   valid for the duration of the call), or NULL if unknown. */
typedef const char *(*hwims_secret_lookup_fn)(void *userdata, const char *access_key);

/*
 * Verify a received request: parse Authorization, rebuild the canonical request from the
 * SignedHeaders listed there (taking values from req->headers, case-insensitively; "host" from
 * the Host header), check X-Sdk-Date is within max_skew_s of now, compare signatures in
 * constant time. On success writes the access key (NUL-terminated, truncated to fit) into
 * ak_out (which may be NULL). Failures are HWIMS_ERR_AUTH, http_status 401, code "APIGW.0301"
 * (the gateway's "Incorrect IAM authentication information" code, used by the real gateway for
 * a missing or malformed Authorization, an unknown AK, a wrong signature and an expired
 * X-Sdk-Date alike); the message says which, never echoing the signature. X-Sdk-Date must be a
 * signed header. Headers not listed in SignedHeaders (e.g. an X-Project-Id set after signing)
 * are ignored.
 */
int hwims_sign_verify(const hwims_sign_request *req, hwims_secret_lookup_fn lookup, void *userdata,
                      time_t now, int max_skew_s, char *ak_out, size_t ak_out_len,
                      hwims_error *err);

#ifdef __cplusplus
}
#endif

#endif
