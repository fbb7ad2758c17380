/*
 * prov_diag.h - building tfplugin6 Diagnostic lists.
 *
 * Terraform shows summary and detail to the user and, with an attribute path,
 * points at the offending argument in the configuration. Go's protobuf rejects
 * invalid UTF-8 in string fields, so all text is sanitized on the way in.
 */
#ifndef PROV_DIAG_H
#define PROV_DIAG_H

#include <stddef.h>

#include "hwims/error.h"
#include "tfplugin6.pb-c.h"

typedef struct prov_diags {
	Tfplugin6__Diagnostic **items; /* owned, with everything below them */
	size_t n;
	int errors; /* how many have severity ERROR */
} prov_diags;

#define PROV_DIAGS_INIT                                                                            \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/*
 * Add a diagnostic. severity is TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR or __WARNING.
 * attr_path: NULL, or steps separated by '.', each an attribute name, e.g. "timeouts.create";
 * a step written ["key"] is a map key: "tags[\"env\"]". Out of memory is silently dropped
 * (the error count still goes up so the call fails).
 */
void prov_diag_add(prov_diags *d, Tfplugin6__Diagnostic__Severity severity, const char *summary,
                   const char *detail, const char *attr_path);
/* An ERROR diagnostic from a libhwims error: summary given, detail from err's message (with the
   API code and request ID when present), attribute from err->attribute unless attr_path is set.
 */
void prov_diag_from_error(prov_diags *d, const char *summary, const hwims_error *err,
                          const char *attr_path);
void prov_diags_free(prov_diags *d);

/* Copy of s with invalid UTF-8 bytes replaced by '?'. Caller frees. */
char *prov_utf8_sanitize(const char *s);

#endif
