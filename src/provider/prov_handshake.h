/*
 * prov_handshake.h - go-plugin's launch contract (what the CLI checks before any gRPC).
 *
 * Terraform starts the provider with TF_PLUGIN_MAGIC_COOKIE and
 * PLUGIN_PROTOCOL_VERSIONS set and reads one line from its stdout:
 *   CORE|APP|NETWORK|ADDRESS|PROTOCOL|SERVERCERT
 *   1|6|unix|/tmp/plugin-1234|grpc|<base64 raw DER of the server cert, or empty>
 * These functions are pure (environment values come in as arguments) so the
 * rules are testable without a process.
 */
#ifndef PROV_HANDSHAKE_H
#define PROV_HANDSHAKE_H

#include "hwims/error.h"

#define PROV_COOKIE_KEY       "TF_PLUGIN_MAGIC_COOKIE"
#define PROV_COOKIE_VALUE     "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
#define PROV_PROTOCOL_VERSION 6
/* The registry address Terraform uses for `source = "huaweicloud/huaweicloud"`. */
#define PROV_PROVIDER_ADDRESS "registry.terraform.io/huaweicloud/huaweicloud"

/*
 * Check the cookie and the protocol versions the client offers (comma list such as "5,6" or
 * "6,5"; NULL or empty means the client did not say, and 6 is assumed). Returns 0 when we can
 * serve protocol 6. Errors (HWIMS_ERR_USAGE): a missing or wrong cookie, with a message that
 * says this binary is a plugin and how to use it; no "6" on offer.
 */
int prov_handshake_check(const char *cookie, const char *versions, hwims_error *err);

/* The handshake line for network ("unix"/"tcp"), address and cert_b64 (NULL or "" without
   TLS), ending in '\n'. Caller frees. NULL on out of memory. */
char *prov_handshake_line(const char *network, const char *address, const char *cert_b64);

/* The TF_REATTACH_PROVIDERS value for a provider started with --debug (JSON, one line).
   Caller frees. NULL on out of memory. */
char *prov_reattach_json(const char *network, const char *address, long pid);

#endif
