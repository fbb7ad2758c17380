/*
 * prov_provider.h - the provider's state within one plugin process.
 *
 * Terraform starts a fresh process per phase and configures it once through
 * ConfigureProvider, so this is all the state there is: the schemas, the
 * configured client (NULL before ConfigureProvider), and the stop token that
 * StopProvider and Shutdown trigger to end in-flight waits.
 *
 * Threads: every RPC runs on its own thread (prov_server.h) with the same
 * prov_provider, so each field is either immutable once serving starts or
 * synchronised:
 *  - schemas, log, envp, copts, stop (the pointer): set by prov_provider_init
 *    (copts may be tuned right after it) before the server starts, read-only
 *    afterwards; thread creation publishes them. The schema's types are shared
 *    by every decoded value, hence their atomic reference counts (prov_value.h).
 *  - the stop token itself: hwims_cancel is thread-safe.
 *  - the log: its level and output never change; lines are written under its
 *    mutex.
 *  - client, retired: guarded by mu. A client, once published, stays valid until
 *    prov_provider_destroy even if a later ConfigureProvider replaces it, so a
 *    call may keep using the pointer it got without holding mu.
 * prov_provider_destroy runs after the server has stopped (no call running).
 */
#ifndef PROV_PROVIDER_H
#define PROV_PROVIDER_H

#include <pthread.h>
#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/client.h"
#include "hwims/error.h"
#include "hwims/image_copy.h"
#include "prov_diag.h"
#include "prov_dv.h"
#include "prov_log.h"
#include "prov_schema.h"
#include "prov_value.h"

typedef struct prov_retired prov_retired;

/* The provider's default_tags and ignore_tags (provider_tags.c): tags every copy gets unless it
   sets the key itself, and keys managed outside Terraform, never diffed nor removed. */
typedef struct prov_tag_rules {
	hwims_tags defaults;
	hwims_tags ignored; /* keys only (values "") */
} prov_tag_rules;

typedef struct prov_provider {
	prov_schemas schemas;       /* built once by prov_provider_init; read-only afterwards */
	prov_log *log;              /* borrowed, may be NULL */
	char *const *envp;          /* borrowed: the environment for configuration fallbacks */
	hwims_client_options copts; /* client tuning (tests shorten backoffs); set before serving */
	int64_t poll_interval_ns;   /* >0: poll copy jobs this often (tests); 0: adaptively */
	hwims_cancel *stop;         /* triggered by StopProvider and Shutdown; owned */
	pthread_mutex_t mu;         /* guards client and retired */
	hwims_client *client;       /* owned; NULL until configured */
	prov_retired *retired;      /* clients replaced by a later ConfigureProvider (owned) */
	prov_tag_rules tag_rules;   /* guarded by mu; set by ConfigureProvider */
} prov_provider;

/* Set up p (schemas built here, once). envp and log are borrowed (pass `environ`) and must
   outlive p. Call before serving. Caller frees with prov_provider_destroy. */
int prov_provider_init(prov_provider *p, prov_log *log, char *const *envp, hwims_error *err);
/* Free everything p owns, every client ever configured included. No RPC may be running
   (stop the server first). */
void prov_provider_destroy(prov_provider *p);

/* prov_server_options.on_shutdown for a prov_provider app: cancels in-flight waits. Callable
   from any thread. */
void prov_provider_on_shutdown(void *app);

/* The client configured by ConfigureProvider (borrowed; lives until destroy, even once a later
   ConfigureProvider replaces it), or NULL. Thread-safe. */
hwims_client *prov_provider_client(prov_provider *p);

/* Make client the configured one; p takes it over. The client it replaces stays alive (other
   calls may be using it) until prov_provider_destroy. -1 when out of memory: p is unchanged
   and client is still the caller's. Thread-safe. */
int prov_provider_set_client(prov_provider *p, hwims_client *client);

/* Take default_tags and ignore_tags from the provider configuration cfg (replacing those of
   an earlier ConfigureProvider). 0, or -1 with err (out of memory). Thread-safe. */
int prov_provider_set_tag_rules(prov_provider *p, const prov_value *cfg, hwims_error *err);
/* A copy of p's tag rules into *out (caller frees with prov_tag_rules_free). 0, or -1 with err.
   Thread-safe. */
int prov_provider_tag_rules(prov_provider *p, prov_tag_rules *out, hwims_error *err);
void prov_tag_rules_free(prov_tag_rules *r);
/* The tags a plan gives the resource object planned, whose configuration is config: when the
   configuration sets no tags, the default ones (ignored keys left out); else what it says, as
   Terraform requires. 0, or -1 with err. */
int prov_tags_plan(const prov_tag_rules *r, const prov_value *config, prov_value *planned,
                   hwims_error *err);
/* The tags to send for a copy whose state has tags: those, and each default whose key they do
   not set (ignored keys left out). 0, or -1 with err. */
int prov_tags_add_defaults(const prov_tag_rules *r, hwims_tags *tags, hwims_error *err);
/* A read's tags in the resource object st, prior the state before it: ignored keys left out,
   and default tags the prior state did not hold (the copy has them because they are defaults,
   not because the configuration names them). 0, or -1 with err. */
int prov_tags_read(const prov_tag_rules *r, const prov_value *prior, prov_value *st,
                   hwims_error *err);

/* Free the configured client and every retired one (prov_provider_destroy). */
void prov_provider_free_clients(prov_provider *p);

/* Options for one workflow call of an operation: cancelled by StopProvider and Shutdown through
   p's stop token, every other field zero. */
hwims_copy_options prov_provider_copy_options(const prov_provider *p);

/* The region the configured client works in (borrowed, lives as the client), or NULL before
   ConfigureProvider. */
const char *prov_provider_region(prov_provider *p);

#endif
