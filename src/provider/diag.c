/* diag.c - diagnostics (see prov_diag.h). */
#include "prov_diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *prov_utf8_sanitize(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t len = p[i] < 0x80             ? 1
		             : (p[i] & 0xe0) == 0xc0 ? 2
		             : (p[i] & 0xf0) == 0xe0 ? 3
		             : (p[i] & 0xf8) == 0xf0 ? 4
		                                     : 0;
		int ok = len > 0 && i + len <= n;
		for (size_t k = 1; ok && k < len; k++)
			ok = (p[i + k] & 0xc0) == 0x80;
		if (ok && len == 2)
			ok = p[i] >= 0xc2;
		if (ok && len == 3) {
			unsigned cp = ((p[i] & 0x0fu) << 12) | ((p[i + 1] & 0x3fu) << 6);
			ok = cp >= 0x800 && !(cp >= 0xd800 && cp <= 0xdfff);
		}
		if (ok && len == 4) {
			unsigned cp = ((p[i] & 0x07u) << 18) | ((p[i + 1] & 0x3fu) << 12);
			ok = cp >= 0x10000 && cp <= 0x10ffff;
		}
		if (!ok) {
			out[i] = '?';
			i++;
			continue;
		}
		memcpy(out + i, p + i, len);
		i += len;
	}
	out[n] = '\0';
	return out;
}

static Tfplugin6__AttributePath__Step *new_step(const char *name, size_t len, int is_key)
{
	Tfplugin6__AttributePath__Step *st = malloc(sizeof(*st));
	char *text = strndup(name, len);
	char *clean = text ? prov_utf8_sanitize(text) : NULL;
	free(text);
	if (!st || !clean) {
		free(st);
		free(clean);
		return NULL;
	}
	tfplugin6__attribute_path__step__init(st);
	if (is_key) {
		st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING;
		st->element_key_string = clean;
	} else {
		st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
		st->attribute_name = clean;
	}
	return st;
}

static Tfplugin6__AttributePath *parse_path(const char *path)
{
	Tfplugin6__AttributePath *ap = malloc(sizeof(*ap));
	if (!ap)
		return NULL;
	tfplugin6__attribute_path__init(ap);
	size_t cap = strlen(path) + 1;
	ap->steps = calloc(cap, sizeof(*ap->steps));
	if (!ap->steps) {
		free(ap);
		return NULL;
	}
	const char *p = path;
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		Tfplugin6__AttributePath__Step *st;
		if (p[0] == '[' && p[1] == '"') {
			const char *end = strstr(p + 2, "\"]");
			if (!end)
				break;
			st = new_step(p + 2, (size_t)(end - p - 2), 1);
			p = end + 2;
		} else {
			size_t len = strcspn(p, ".[");
			st = new_step(p, len, 0);
			p += len;
		}
		if (!st)
			break;
		ap->steps[ap->n_steps++] = st;
	}
	return ap;
}

static void free_path(Tfplugin6__AttributePath *ap)
{
	if (!ap)
		return;
	for (size_t i = 0; i < ap->n_steps; i++) {
		Tfplugin6__AttributePath__Step *st = ap->steps[i];
		free(st->selector_case ==
		             TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ELEMENT_KEY_STRING
		         ? st->element_key_string
		         : st->attribute_name);
		free(st);
	}
	free(ap->steps);
	free(ap);
}

void prov_diag_add(prov_diags *d, Tfplugin6__Diagnostic__Severity severity, const char *summary,
                   const char *detail, const char *attr_path)
{
	if (severity == TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR)
		d->errors++;
	Tfplugin6__Diagnostic **items = realloc(d->items, (d->n + 1) * sizeof(*items));
	if (!items)
		return;
	d->items = items;
	Tfplugin6__Diagnostic *dg = malloc(sizeof(*dg));
	if (!dg)
		return;
	tfplugin6__diagnostic__init(dg);
	dg->severity = severity;
	dg->summary = prov_utf8_sanitize(summary);
	dg->detail = prov_utf8_sanitize(detail ? detail : "");
	if (attr_path && *attr_path)
		dg->attribute = parse_path(attr_path);
	if (!dg->summary || !dg->detail) {
		free(dg->summary);
		free(dg->detail);
		free_path(dg->attribute);
		free(dg);
		return;
	}
	items[d->n++] = dg;
}

void prov_diag_from_error(prov_diags *d, const char *summary, const hwims_error *err,
                          const char *attr_path)
{
	char detail[HWIMS_ERROR_MESSAGE_MAX + 256];
	int n = snprintf(detail, sizeof(detail), "%s", err->message[0] ? err->message : "failed");
	if (err->code[0] && n >= 0 && (size_t)n < sizeof(detail))
		n +=
		    snprintf(detail + n, sizeof(detail) - (size_t)n, " (error code %s)", err->code);
	if (err->request_id[0] && n >= 0 && (size_t)n < sizeof(detail))
		snprintf(detail + n, sizeof(detail) - (size_t)n, " [request ID %s]",
		         err->request_id);
	const char *path = attr_path ? attr_path : (err->attribute[0] ? err->attribute : NULL);
	prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, summary, detail, path);
}

void prov_diags_free(prov_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i]->summary);
		free(d->items[i]->detail);
		free_path(d->items[i]->attribute);
		free(d->items[i]);
	}
	free(d->items);
	d->items = NULL;
	d->n = 0;
	d->errors = 0;
}
