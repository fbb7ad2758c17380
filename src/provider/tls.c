/* tls.c - AutoMTLS certificate generation (see prov_tls.h). */
#include "prov_tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* go-plugin: NotAfter = now + 262980h (~30 years). */
#define CERT_LIFETIME_S (262980L * 3600L)
#define CERT_BACKDATE_S 30L

static int openssl_fail(hwims_error *err, const char *what)
{
	char reason[256] = "unknown error";
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	ERR_clear_error();
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "AutoMTLS: %s failed: %s", what, reason);
}

static char *bio_to_string(BIO *b)
{
	char *data = NULL;
	long n = BIO_get_mem_data(b, &data);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	memcpy(s, data, (size_t)n);
	s[n] = '\0';
	return s;
}

static int add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -1;
	int rc = X509_add_ext(cert, ext, -1) ? 0 : -1;
	X509_EXTENSION_free(ext);
	return rc;
}

/* A random positive 128-bit serial: Go rejects negative serials, and zero is not allowed. */
static int set_serial(X509 *cert)
{
	unsigned char raw[16];
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	raw[0] &= 0x7f;
	raw[0] |= 0x01; /* never zero, keeps the full length */
	BIGNUM *bn = BN_bin2bn(raw, sizeof(raw), NULL);
	if (!bn)
		return -1;
	ASN1_INTEGER *serial = BN_to_ASN1_INTEGER(bn, NULL);
	BN_free(bn);
	if (!serial)
		return -1;
	int rc = X509_set_serialNumber(cert, serial) ? 0 : -1;
	ASN1_INTEGER_free(serial);
	return rc;
}

int prov_tls_generate(prov_curve curve, prov_cert *out, hwims_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = -1;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	BIO *kb = NULL, *cb = NULL;
	unsigned char *der = NULL;

	key = EVP_EC_gen(curve == PROV_CURVE_P521 ? "P-521" : "P-256");
	if (!key) {
		openssl_fail(err, "key generation");
		goto done;
	}
	cert = X509_new();
	if (!cert || !X509_set_version(cert, 2) || set_serial(cert) != 0) {
		openssl_fail(err, "certificate setup");
		goto done;
	}
	time_t now = time(NULL);
	if (!X509_time_adj_ex(X509_getm_notBefore(cert), 0, -CERT_BACKDATE_S, &now) ||
	    !X509_time_adj_ex(X509_getm_notAfter(cert), 0, CERT_LIFETIME_S, &now)) {
		openssl_fail(err, "certificate validity");
		goto done;
	}
	X509_NAME *name = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"hwims", -1,
	                                -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                                (const unsigned char *)"localhost", -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) || !X509_set_pubkey(cert, key)) {
		openssl_fail(err, "certificate names");
		goto done;
	}
	if (add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") != 0 ||
	    add_ext(cert, NID_key_usage,
	            "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign") != 0 ||
	    add_ext(cert, NID_ext_key_usage, "serverAuth,clientAuth") != 0 ||
	    add_ext(cert, NID_subject_alt_name, "DNS:localhost") != 0) {
		openssl_fail(err, "certificate extensions");
		goto done;
	}
	if (!X509_sign(cert, key, EVP_sha256())) {
		openssl_fail(err, "certificate signature");
		goto done;
	}

	kb = BIO_new(BIO_s_mem());
	cb = BIO_new(BIO_s_mem());
	if (!kb || !cb || !PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) ||
	    !PEM_write_bio_X509(cb, cert)) {
		openssl_fail(err, "PEM encoding");
		goto done;
	}
	int der_len = i2d_X509(cert, &der);
	if (der_len <= 0) {
		openssl_fail(err, "DER encoding");
		goto done;
	}
	out->key_pem = bio_to_string(kb);
	out->cert_pem = bio_to_string(cb);
	out->der = malloc((size_t)der_len);
	if (!out->key_pem || !out->cert_pem || !out->der) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "AutoMTLS: out of memory");
		prov_cert_free(out);
		goto done;
	}
	memcpy(out->der, der, (size_t)der_len);
	out->der_len = (size_t)der_len;
	rc = 0;
done:
	OPENSSL_free(der);
	BIO_free(kb);
	BIO_free(cb);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

void prov_cert_free(prov_cert *c)
{
	if (!c)
		return;
	if (c->key_pem)
		OPENSSL_cleanse(c->key_pem, strlen(c->key_pem));
	free(c->key_pem);
	free(c->cert_pem);
	free(c->der);
	memset(c, 0, sizeof(*c));
}

char *prov_base64_raw(const unsigned char *data, size_t len)
{
	size_t cap = 4 * ((len + 2) / 3) + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	/* EVP_EncodeBlock pads with '='; go-plugin decodes with RawStdEncoding, which rejects it.
	 */
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	return out;
}
