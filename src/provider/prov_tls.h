/*
 * prov_tls.h - the AutoMTLS server certificate.
 *
 * go-plugin's client trusts exactly the certificate the plugin prints in its
 * handshake line and checks it as Go's TLS stack does: parseable DER, within its
 * validity, SAN DNS "localhost", serverAuth among the extended key usages,
 * positive serial. prov_tls_generate makes a fresh key and such a self-signed
 * certificate for every process (go-plugin's own template: CA, both EKUs,
 * NotBefore 30 s in the past, ~30 years of validity, random 128-bit serial).
 */
#ifndef PROV_TLS_H
#define PROV_TLS_H

#include <stddef.h>

#include "hwims/error.h"

typedef struct prov_cert {
	char *key_pem;      /* PKCS#8 private key, PEM; owned */
	char *cert_pem;     /* certificate, PEM; owned */
	unsigned char *der; /* certificate, DER; owned */
	size_t der_len;
} prov_cert;

typedef enum prov_curve { PROV_CURVE_P256, PROV_CURVE_P521 } prov_curve;

/* Generate a key on curve and a self-signed certificate for "localhost". Caller frees with
   prov_cert_free. Errors: HWIMS_ERR_INTERNAL with OpenSSL's reason. */
int prov_tls_generate(prov_curve curve, prov_cert *out, hwims_error *err);
void prov_cert_free(prov_cert *c);

/* base64 (standard alphabet) WITHOUT '=' padding, as Go's base64.RawStdEncoding, which is
   what go-plugin decodes handshake field 6 with. Caller frees. NULL on out of memory. */
char *prov_base64_raw(const unsigned char *data, size_t len);

#endif
