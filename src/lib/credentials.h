/*
 * credentials.h - the keys a client signs with, and where they come from (private to libhwims).
 *
 * Three sources, picked once from the configuration (as the official provider orders them):
 *  - static keys (access_key/secret_key, with security_token for temporary ones): used as is;
 *  - an agency (assume_role): temporary keys from IAM
 *    (POST v3.0/OS-CREDENTIAL/securitytokens, method assume_role) obtained with the static keys;
 *  - the ECS metadata service (GET openstack/latest/securitykey), when no key is configured.
 * Temporary keys are renewed before they expire: when a call finds them within a margin of
 * their expiry (a quarter of their lifetime, at most 10 minutes), one thread fetches new ones
 * while the others go on with the still valid old ones; only when no valid keys exist at all do
 * they wait, and a cancel ends that wait. No lock is held over the fetch.
 */
#ifndef HWIMS_CREDENTIALS_H
#define HWIMS_CREDENTIALS_H

#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/config.h"
#include "hwims/http.h"
#include "hwims/log.h"

typedef struct credentials credentials;

/* One set of keys, immutable once made; shared by the calls that use it (reference counted). */
typedef struct credentials_keys credentials_keys;

/* Pick the source of cfg (borrowed for the call; what is kept is copied) and, for static keys,
   check them. http (borrowed, must outlive *out) signs the fetches with its own keys (the
   static ones). Sends nothing. HWIMS_ERR_USAGE for half a key pair, or an agency without keys
   to assume it with. Caller frees with credentials_free. */
int credentials_new(credentials **out, const hwims_config *cfg, hwims_http *http,
                    const hwims_log *log, hwims_error *err);

void credentials_free(credentials *cr);

/* Keys valid now (renewing them first when due, see above) into *keys, to be released with
   credentials_release. cancel may be NULL. */
int credentials_get(credentials *cr, hwims_cancel *cancel, credentials_keys **keys,
                    hwims_error *err);

/* The keys as the transport takes them (borrowed from keys). */
hwims_http_credentials credentials_view(const credentials_keys *keys);

void credentials_release(credentials *cr, credentials_keys *keys);

/* How many sets of temporary keys have been fetched so far. */
uint64_t credentials_fetches(const credentials *cr);

#endif
