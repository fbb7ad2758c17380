/*
 * hwims/hwims.h - everything public of libhwims in one include.
 */
#ifndef HWIMS_HWIMS_H
#define HWIMS_HWIMS_H

#include "hwims/export.h"
#include "hwims/version.h"
#include "hwims/error.h"
#include "hwims/attrs.h"
#include "hwims/buf.h"
#include "hwims/log.h"
#include "hwims/cancel.h"
#include "hwims/duration.h"
#include "hwims/config.h"
#include "hwims/tags.h"
#include "hwims/image.h"
#include "hwims/client.h"
#include "hwims/job.h"
#include "hwims/image_copy.h"

#endif
