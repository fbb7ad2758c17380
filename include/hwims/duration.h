/*
 * hwims/duration.h - Go-style durations ("60m", "1h30m", "500ms").
 *
 * Durations are int64_t nanoseconds, as in Go's time.Duration. Terraform's
 * `timeouts` blocks use this syntax.
 */
#ifndef HWIMS_DURATION_H
#define HWIMS_DURATION_H

#include "hwims/export.h"

#include <stddef.h>
#include <stdint.h>

#include "hwims/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HWIMS_NS_PER_US INT64_C(1000)
#define HWIMS_NS_PER_MS INT64_C(1000000)
#define HWIMS_NS_PER_S  INT64_C(1000000000)

/*
 * Parse like Go's time.ParseDuration: a possibly signed sequence of decimal
 * numbers, each with optional fraction and a unit ("ns", "us", "µs", "ms",
 * "s", "m", "h"), e.g. "60m", "1h30m", "90s", "500ms", "1.5h", "-5s", "300us",
 * "10ns"; "0" alone needs no unit. On error (HWIMS_ERR_USAGE, message naming the
 * input and what is wrong) for "", "10", "5x", "m", "1h-", overflow, *ns_out is
 * left untouched.
 */
HWIMS_EXTERN int hwims_duration_parse(const char *text, int64_t *ns_out, hwims_error *err);

/*
 * Format like Go's time.Duration.String(): "1h30m0s", "500ms", "1.5s", "0s".
 * Writes a NUL-terminated string into buf (truncated to buflen; 32 bytes is
 * always enough).
 */
/* Room for any duration hwims_duration_format writes ("-2562047h47m16.854775808s"). */
#define HWIMS_DURATION_TEXT_MAX 32

HWIMS_EXTERN void hwims_duration_format(int64_t ns, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif

#endif
