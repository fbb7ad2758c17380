/*
 * hwims/regions.h - the regions a client's credentials can see, for queries that span them
 * all (`hwims list --all-regions`).
 */
#ifndef HWIMS_REGIONS_H
#define HWIMS_REGIONS_H

#include <stddef.h>

#include "hwims/cancel.h"
#include "hwims/client.h"
#include "hwims/error.h"
#include "hwims/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The regions of the IAM projects the credentials can see (GET v3/projects, asked at the
 * client's region's IAM endpoint, every page of links.next followed): one per project named
 * like a region, sub-projects ("<region>_<name>") folded into their region and the global
 * "MOS" project left out; sorted, each once. cancel may be NULL. Caller frees with
 * hwims_regions_free (*names is NULL after a failure).
 */
HWIMS_EXTERN int hwims_client_regions(hwims_client *c, hwims_cancel *cancel, char ***names,
                                      size_t *count, hwims_error *err);

/* Free what hwims_client_regions returned. Safe on NULL. */
HWIMS_EXTERN void hwims_regions_free(char **names, size_t count);

#ifdef __cplusplus
}
#endif

#endif
