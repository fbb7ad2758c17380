/*
 * hwims/version.h - the version of libhwims and its tools.
 */
#ifndef HWIMS_VERSION_H
#define HWIMS_VERSION_H

#define HWIMS_VERSION "0.1.0"

#endif
