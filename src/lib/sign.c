/* sign.c - SDK-HMAC-SHA256 request signing and verification (see include/hwims/sign.h). */
#include "hwims/sign.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hwims/buf.h"
#include "hwims/hex.h"

#define SHA256_HEX_LEN 64
#define VERIFY_CODE    "APIGW.0301"
#define VERIFY_PREFIX  "Incorrect IAM authentication information"

static const char hexdigits_lower[] = "0123456789abcdef";
static const char hexdigits_upper[] = "0123456789ABCDEF";

static void to_hex(const unsigned char *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits_lower[in[i] >> 4];
		out[2 * i + 1] = hexdigits_lower[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	to_hex(md, mdlen, out);
	return 0;
}

static int hmac_sha256_hex(const char *key, const char *msg, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg, strlen(msg), md,
	          &mdlen) ||
	    mdlen != 32)
		return -1;
	to_hex(md, mdlen, out);
	return 0;
}

/* Percent-decode s[0..n) into out (a malformed escape stays literal). plus_is_space: query
   strings are decoded like Go's url.Query() (used by golangsdk), which reads '+' as a space. */
static int decode(hwims_buf *out, const char *s, size_t n, int plus_is_space)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n && hwims_hex_digit(s[i + 1]) >= 0 &&
		    hwims_hex_digit(s[i + 2]) >= 0) {
			c = (char)(hwims_hex_digit(s[i + 1]) * 16 + hwims_hex_digit(s[i + 2]));
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (hwims_buf_append(out, &c, 1) < 0)
			return -1;
	}
	return 0;
}

/* Encode bytes leaving only A-Z a-z 0-9 - _ . ~ bare, upper-case hex (the SDKs' rule). */
static int encode(hwims_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			if (hwims_buf_append(out, &s[i], 1) < 0)
				return -1;
		} else {
			char esc[3] = {'%', hexdigits_upper[c >> 4], hexdigits_upper[c & 15]};
			if (hwims_buf_append(out, esc, 3) < 0)
				return -1;
		}
	}
	return 0;
}

/* Canonical URI: decode, re-encode each '/'-separated segment, end with '/'. */
static int canonical_uri(hwims_buf *out, const char *path)
{
	hwims_buf dec = HWIMS_BUF_INIT;
	int rc = -1;

	if (decode(&dec, path, strlen(path), 0) < 0)
		goto done;
	const char *p = dec.data ? dec.data : "";
	size_t n = dec.len;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || p[i] == '/') {
			if (encode(out, p + start, i - start) < 0)
				goto done;
			if (i < n && hwims_buf_append(out, "/", 1) < 0)
				goto done;
			start = i + 1;
		}
	}
	if ((out->len == 0 || out->data[out->len - 1] != '/') && hwims_buf_append(out, "/", 1) < 0)
		goto done;
	rc = 0;
done:
	hwims_buf_free(&dec);
	return rc;
}

typedef struct qparam {
	hwims_buf key, value; /* decoded bytes (may hold NULs, hence lengths) */
} qparam;

static int bytes_cmp(const hwims_buf *a, const hwims_buf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->data, b->data, n) : 0;
	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

static int qparam_cmp(const void *pa, const void *pb)
{
	const qparam *a = pa, *b = pb;
	int c = bytes_cmp(&a->key, &b->key);
	return c ? c : bytes_cmp(&a->value, &b->value);
}

/* Canonical query: decode parameters, sort by key then value, encode, join with '&'. */
static int canonical_query(hwims_buf *out, const char *query)
{
	qparam *params = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	for (const char *p = query ? query : ""; *p;) {
		size_t len = strcspn(p, "&");
		if (len > 0) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				qparam *np = realloc(params, ncap * sizeof(*np));
				if (!np)
					goto done;
				params = np;
				cap = ncap;
			}
			qparam *q = &params[n++];
			memset(q, 0, sizeof(*q));
			const char *eq = memchr(p, '=', len);
			size_t klen = eq ? (size_t)(eq - p) : len;
			if (decode(&q->key, p, klen, 1) < 0 ||
			    (eq && decode(&q->value, eq + 1, len - klen - 1, 1) < 0))
				goto done;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	if (n > 1)
		qsort(params, n, sizeof(*params), qparam_cmp);
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && hwims_buf_append(out, "&", 1) < 0) ||
		    encode(out, params[i].key.data ? params[i].key.data : "", params[i].key.len) <
		        0 ||
		    hwims_buf_append(out, "=", 1) < 0 ||
		    encode(out, params[i].value.data ? params[i].value.data : "",
		           params[i].value.len) < 0)
			goto done;
	}
	rc = 0;
done:
	for (size_t i = 0; i < n; i++) {
		hwims_buf_free(&params[i].key);
		hwims_buf_free(&params[i].value);
	}
	free(params);
	return rc;
}

typedef struct canon_header {
	char *name;        /* lower-cased, owned */
	const char *value; /* borrowed, not yet trimmed */
	size_t value_len;  /* trimmed length */
} canon_header;

static int canon_header_cmp(const void *pa, const void *pb)
{
	const canon_header *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	size_t n = a->value_len < b->value_len ? a->value_len : b->value_len;
	c = memcmp(a->value, b->value, n);
	if (c)
		return c;
	return (a->value_len > b->value_len) - (a->value_len < b->value_len);
}

static const char *find_header(const hwims_header *h, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (h[i].name && strcasecmp(h[i].name, name) == 0)
			return h[i].value ? h[i].value : "";
	}
	return NULL;
}

static void canon_headers_free(canon_header *hs, size_t n)
{
	if (!hs)
		return;
	for (size_t i = 0; i < n; i++)
		free(hs[i].name);
	free(hs);
}

/* The headers of req with lower-case names and trimmed values (borrowed from req), sorted by
 * name. Caller frees *out with canon_headers_free. */
static int canon_headers(const hwims_sign_request *req, canon_header **out, hwims_error *err)
{
	canon_header *hs = calloc(req->n_headers ? req->n_headers : 1, sizeof(*hs));
	*out = hs;
	if (!hs)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "signing: out of memory");
	for (size_t i = 0; i < req->n_headers; i++) {
		const char *v = req->headers[i].value ? req->headers[i].value : "";
		if (!req->headers[i].name || !*req->headers[i].name)
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "signing: header without a name");
		hs[i].name = strdup(req->headers[i].name);
		if (!hs[i].name)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "signing: out of memory");
		for (char *c = hs[i].name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		while (*v == ' ' || *v == '\t')
			v++;
		size_t vl = strlen(v);
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r' ||
		                  v[vl - 1] == '\n'))
			vl--;
		hs[i].value = v;
		hs[i].value_len = vl;
	}
	if (req->n_headers > 1)
		qsort(hs, req->n_headers, sizeof(*hs), canon_header_cmp);
	return 0;
}

/* The canonical request of req with its sorted headers hs into cr, and the signed-headers list
 * into sh. 0, or -1 out of memory. */
static int canonical_request(const hwims_sign_request *req, const canon_header *hs, hwims_buf *cr,
                             hwims_buf *sh)
{
	char hash[SHA256_HEX_LEN + 1];
	for (const char *m = req->method; *m; m++) {
		char c = (char)toupper((unsigned char)*m);
		if (hwims_buf_append(cr, &c, 1) < 0)
			return -1;
	}
	if (hwims_buf_append(cr, "\n", 1) < 0 || canonical_uri(cr, req->path) < 0 ||
	    hwims_buf_append(cr, "\n", 1) < 0 || canonical_query(cr, req->query) < 0 ||
	    hwims_buf_append(cr, "\n", 1) < 0)
		return -1;
	for (size_t i = 0; i < req->n_headers; i++) {
		if (hwims_buf_puts(cr, hs[i].name) < 0 || hwims_buf_append(cr, ":", 1) < 0 ||
		    hwims_buf_append(cr, hs[i].value, hs[i].value_len) < 0 ||
		    hwims_buf_append(cr, "\n", 1) < 0)
			return -1;
		if (i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0)
			continue; /* a repeated header is listed once */
		if ((sh->len > 0 && hwims_buf_append(sh, ";", 1) < 0) ||
		    hwims_buf_puts(sh, hs[i].name) < 0)
			return -1;
	}
	if (hwims_buf_append(cr, "\n", 1) < 0 || hwims_buf_puts(cr, sh->data ? sh->data : "") < 0 ||
	    hwims_buf_append(cr, "\n", 1) < 0)
		return -1;
	const char *content_sha = find_header(req->headers, req->n_headers, "X-Sdk-Content-Sha256");
	if (content_sha)
		return hwims_buf_puts(cr, content_sha) < 0 ? -1 : 0;
	if (sha256_hex(req->body, req->body ? req->body_len : 0, hash) < 0 ||
	    hwims_buf_puts(cr, hash) < 0)
		return -1;
	return 0;
}

/* Build canonical request, string to sign and signature (hex) for the given headers. */
static int sign_core(const hwims_sign_request *req, const char *sk, hwims_signature *out,
                     char sig_hex[SHA256_HEX_LEN + 1], hwims_error *err)
{
	hwims_buf cr = HWIMS_BUF_INIT, sh = HWIMS_BUF_INIT, sts = HWIMS_BUF_INIT;
	canon_header *hs = NULL;
	char hash[SHA256_HEX_LEN + 1];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!req || !req->method || !*req->method || !req->path)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "signing: method and path are required");
	const char *date = find_header(req->headers, req->n_headers, "X-Sdk-Date");
	if (!date || !*date)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "signing: the X-Sdk-Date header must be among the signed "
		                       "headers");
	if (canon_headers(req, &hs, err) != 0)
		goto done;
	if (canonical_request(req, hs, &cr, &sh) < 0 || sha256_hex(cr.data, cr.len, hash) < 0 ||
	    hwims_buf_printf(&sts, "%s\n%s\n%s", HWIMS_SIGN_ALGORITHM, date, hash) < 0 ||
	    hmac_sha256_hex(sk, sts.data, sig_hex) < 0)
		goto oom;
	if (!sh.data && hwims_buf_puts(&sh, "") < 0)
		goto oom;
	out->canonical_request = hwims_buf_detach(&cr);
	out->string_to_sign = hwims_buf_detach(&sts);
	out->signed_headers = hwims_buf_detach(&sh);
	if (!out->canonical_request || !out->string_to_sign || !out->signed_headers) {
		hwims_signature_free(out);
		goto oom;
	}
	rc = 0;
	goto done;
oom:
	hwims_error_set(err, HWIMS_ERR_INTERNAL, "signing: out of memory");
done:
	canon_headers_free(hs, req->n_headers);
	hwims_buf_free(&cr);
	hwims_buf_free(&sh);
	hwims_buf_free(&sts);
	return rc;
}

int hwims_sign(const hwims_sign_request *req, const char *ak, const char *sk, hwims_signature *out,
               hwims_error *err)
{
	char sig[SHA256_HEX_LEN + 1];
	hwims_buf auth = HWIMS_BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (!ak || !*ak || !sk || !*sk)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "signing: access key and secret key are required");
	if (sign_core(req, sk, out, sig, err) < 0)
		return -1;
	if (hwims_buf_printf(&auth, "%s Access=%s, SignedHeaders=%s, Signature=%s",
	                     HWIMS_SIGN_ALGORITHM, ak, out->signed_headers, sig) < 0) {
		hwims_signature_free(out);
		hwims_buf_free(&auth);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "signing: out of memory");
	}
	out->authorization = hwims_buf_detach(&auth);
	OPENSSL_cleanse(sig, sizeof(sig));
	return 0;
}

void hwims_signature_free(hwims_signature *sig)
{
	if (!sig)
		return;
	free(sig->canonical_request);
	free(sig->string_to_sign);
	free(sig->signed_headers);
	free(sig->authorization);
	memset(sig, 0, sizeof(*sig));
}

void hwims_sign_date(time_t now, char *buf, size_t buflen)
{
	struct tm tm;

	if (!buf || buflen == 0)
		return;
	buf[0] = '\0';
	if (!gmtime_r(&now, &tm))
		return;
	char tmp[32];
	strftime(tmp, sizeof(tmp), "%Y%m%dT%H%M%SZ", &tm);
	size_t n = strlen(tmp);
	if (n >= buflen)
		n = buflen - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

int hwims_sign_parse_date(const char *text, time_t *out)
{
	struct tm tm;
	int f[6];
	static const int widths[6] = {4, 2, 2, 2, 2, 2};
	const char *p = text;

	if (!text || strlen(text) != 16 || text[8] != 'T' || text[15] != 'Z')
		return -1;
	for (int i = 0; i < 6; i++) {
		if (i == 3)
			p++; /* the 'T' */
		f[i] = 0;
		for (int j = 0; j < widths[i]; j++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			f[i] = f[i] * 10 + (*p - '0');
		}
	}
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	*out = timegm(&tm);
	return 0;
}

/* Room for a verification failure message that quotes the X-Sdk-Date it got. */
#define VERIFY_MESSAGE_MAX 200

static int verify_fail(hwims_error *err, const char *why)
{
	hwims_error_set(err, HWIMS_ERR_AUTH, "%s: %s", VERIFY_PREFIX, why);
	if (err) {
		err->http_status = 401;
		snprintf(err->code, sizeof(err->code), "%s", VERIFY_CODE);
	}
	return -1;
}

/* The parts of an "SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=.." header. */
typedef struct auth_parts {
	char *copy; /* owned; the fields below point into it */
	const char *access, *signed_headers, *signature;
} auth_parts;

static int parse_authorization(const char *value, auth_parts *ap)
{
	size_t alg_len = strlen(HWIMS_SIGN_ALGORITHM);

	memset(ap, 0, sizeof(*ap));
	if (!value || strncmp(value, HWIMS_SIGN_ALGORITHM, alg_len) != 0 || value[alg_len] != ' ')
		return -1;
	ap->copy = strdup(value + alg_len + 1);
	if (!ap->copy)
		return -1;
	char *save = NULL;
	for (char *tok = strtok_r(ap->copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		char *eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		char *val = eq + 1;
		size_t vl = strlen(val);
		while (vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
			val[--vl] = '\0';
		if (strcmp(tok, "Access") == 0)
			ap->access = val;
		else if (strcmp(tok, "SignedHeaders") == 0)
			ap->signed_headers = val;
		else if (strcmp(tok, "Signature") == 0)
			ap->signature = val;
		else
			return -1;
	}
	if (!ap->access || !*ap->access || !ap->signed_headers || !*ap->signed_headers ||
	    !ap->signature || strlen(ap->signature) != SHA256_HEX_LEN)
		return -1;
	return 0;
}

/* Into picked (room for req->n_headers), the received headers named in the ';'-list names (cut
 * up in place; picked names point into it), and only those; X-Sdk-Date must be among them. */
static int pick_signed(const hwims_sign_request *req, char *names, hwims_header *picked,
                       size_t *n_picked, hwims_error *err)
{
	int has_date = 0;
	char *save = NULL;
	for (char *name = strtok_r(names, ";", &save); name; name = strtok_r(NULL, ";", &save)) {
		int found = 0;
		if (strcasecmp(name, "x-sdk-date") == 0)
			has_date = 1;
		for (size_t i = 0; i < req->n_headers; i++) {
			if (!req->headers[i].name || strcasecmp(req->headers[i].name, name) != 0)
				continue;
			found = 1;
			/* A name listed twice in SignedHeaders must not add its values twice. */
			int dup = 0;
			for (size_t j = 0; j < *n_picked; j++)
				dup |= picked[j].value == req->headers[i].value &&
				       strcasecmp(picked[j].name, name) == 0;
			if (!dup && *n_picked < req->n_headers)
				picked[(*n_picked)++] = (hwims_header){name, req->headers[i].value};
		}
		if (!found)
			return verify_fail(
			    err, "a header listed in SignedHeaders is missing from the request");
	}
	if (!has_date)
		return verify_fail(err, "X-Sdk-Date must be a signed header");
	return 0;
}

/* X-Sdk-Date is well-formed and within max_skew_s of now. */
static int check_date(const hwims_sign_request *req, time_t now, int max_skew_s, hwims_error *err)
{
	time_t t;
	const char *date = find_header(req->headers, req->n_headers, "X-Sdk-Date");
	if (!date || hwims_sign_parse_date(date, &t) < 0)
		return verify_fail(
		    err, "the X-Sdk-Date header is malformed (expected YYYYMMDDTHHMMSSZ)");
	double skew = difftime(now, t);
	if (skew <= max_skew_s && skew >= -max_skew_s)
		return 0;
	char msg[VERIFY_MESSAGE_MAX];
	snprintf(msg, sizeof(msg),
	         "the request date X-Sdk-Date %s is more than %d seconds away from the server "
	         "time (check the client clock)",
	         date, max_skew_s);
	return verify_fail(err, msg);
}

int hwims_sign_verify(const hwims_sign_request *req, hwims_secret_lookup_fn lookup, void *userdata,
                      time_t now, int max_skew_s, char *ak_out, size_t ak_out_len, hwims_error *err)
{
	auth_parts ap;
	hwims_signature sig = {0};
	hwims_header *picked = NULL;
	char *names = NULL;
	char expect[SHA256_HEX_LEN + 1];
	int rc = -1;

	if (ak_out && ak_out_len)
		ak_out[0] = '\0';
	const char *auth = find_header(req->headers, req->n_headers, "Authorization");
	if (!auth)
		return verify_fail(err, "the Authorization header is missing");
	if (parse_authorization(auth, &ap) < 0) {
		verify_fail(
		    err, "the Authorization header is malformed (expected \"" HWIMS_SIGN_ALGORITHM
		         " Access=..., SignedHeaders=..., Signature=...\")");
		goto done;
	}
	const char *sk = lookup ? lookup(userdata, ap.access) : NULL;
	if (!sk) {
		verify_fail(err, "unknown access key");
		goto done;
	}

	/* Pick the received headers named in SignedHeaders, and only those. */
	names = strdup(ap.signed_headers);
	picked = calloc(req->n_headers ? req->n_headers : 1, sizeof(*picked));
	if (!names || !picked) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "verifying: out of memory");
		goto done;
	}
	size_t n_picked = 0;
	if (pick_signed(req, names, picked, &n_picked, err) < 0 ||
	    check_date(req, now, max_skew_s, err) < 0)
		goto done;

	hwims_sign_request r = *req;
	r.headers = picked;
	r.n_headers = n_picked;
	if (sign_core(&r, sk, &sig, expect, err) < 0) {
		if (err && err->kind == HWIMS_ERR_USAGE)
			verify_fail(err, "the request cannot be canonicalised");
		goto done;
	}
	if (CRYPTO_memcmp(expect, ap.signature, SHA256_HEX_LEN) != 0) {
		verify_fail(err, "verify aksk signature fail");
		goto done;
	}
	if (ak_out && ak_out_len)
		snprintf(ak_out, ak_out_len, "%s", ap.access);
	hwims_error_clear(err);
	rc = 0;
done:
	OPENSSL_cleanse(expect, sizeof(expect));
	hwims_signature_free(&sig);
	free(picked);
	free(names);
	free(ap.copy);
	return rc;
}
