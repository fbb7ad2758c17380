/* shared_config.h - the Huawei Cloud CLI configuration file as the official provider reads it
 * (private to libhwims; the rules are in hwims/config.h, hwims_config_load). */
#ifndef HWIMS_SHARED_CONFIG_H
#define HWIMS_SHARED_CONFIG_H

#include "hwims/config.h"

/* Read cfg->shared_config_file ("~/" is home, may be NULL) and apply the profile cfg->profile
   (else the file's "current") to cfg: the keys, and region, project_id, domain_id and the
   agency when the profile names them. -1 with HWIMS_ERR_USAGE on shared_config_file or profile
   naming the file and the profile; cfg is then left for the caller to free. */
int shared_config_apply(hwims_config *cfg, const char *home, hwims_error *err);

#endif
