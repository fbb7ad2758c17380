/* error.c - the hwims_error convention (see include/hwims/error.h). */
#include "hwims/error.h"

#include <stdio.h>
#include <string.h>

#include "base.h"

void hwims_error_clear(hwims_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

int hwims_error_vset(hwims_error *err, hwims_error_kind kind, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	hwims_error_clear(err);
	err->kind = kind;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return -1;
}

int hwims_error_set(hwims_error *err, hwims_error_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hwims_error_vset(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int hwims_error_set_attr(hwims_error *err, const char *attribute, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hwims_error_vset(err, HWIMS_ERR_USAGE, fmt, ap);
	va_end(ap);
	if (err && attribute)
		snprintf(err->attribute, sizeof(err->attribute), "%s", attribute);
	return -1;
}

int hwims_error_prefix(hwims_error *err, const char *fmt, ...)
{
	char prefix[HWIMS_ERROR_MESSAGE_MAX];
	char old[HWIMS_ERROR_MESSAGE_MAX];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->message, sizeof(old));
	/* Build piecewise: truncation of the tail is intended and harmless. */
	size_t n = strlen(prefix);
	if (n > sizeof(err->message) - 1)
		n = sizeof(err->message) - 1;
	memcpy(err->message, prefix, n);
	size_t room = sizeof(err->message) - n;
	if (room > 2) {
		memcpy(err->message + n, ": ", 2);
		n += 2;
		room -= 2;
	}
	size_t m = strlen(old);
	if (m > room - 1)
		m = room - 1;
	memcpy(err->message + n, old, m);
	err->message[n + m] = '\0';
	return -1;
}

const char *hwims_error_kind_name(hwims_error_kind kind)
{
	switch (kind) {
	case HWIMS_ERR_NONE:
		return "none";
	case HWIMS_ERR_USAGE:
		return "usage";
	case HWIMS_ERR_INVALID:
		return "invalid";
	case HWIMS_ERR_AUTH:
		return "auth";
	case HWIMS_ERR_NOT_FOUND:
		return "not_found";
	case HWIMS_ERR_CONFLICT:
		return "conflict";
	case HWIMS_ERR_THROTTLED:
		return "throttled";
	case HWIMS_ERR_SERVER:
		return "server";
	case HWIMS_ERR_NETWORK:
		return "network";
	case HWIMS_ERR_TIMEOUT:
		return "timeout";
	case HWIMS_ERR_CANCELLED:
		return "cancelled";
	case HWIMS_ERR_JOB_FAILED:
		return "job_failed";
	case HWIMS_ERR_INTERNAL:
		return "internal";
	}
	return "unknown";
}

hwims_error_kind hwims_error_kind_from_status(int s)
{
	if (s >= 200 && s < 300)
		return HWIMS_ERR_NONE;
	if (s == 401 || s == 403)
		return HWIMS_ERR_AUTH;
	if (s == 404)
		return HWIMS_ERR_NOT_FOUND;
	if (s == 409)
		return HWIMS_ERR_CONFLICT;
	if (s == 429)
		return HWIMS_ERR_THROTTLED;
	if (s >= 500)
		return HWIMS_ERR_SERVER;
	if (s >= 400)
		return HWIMS_ERR_INVALID;
	return HWIMS_ERR_NETWORK;
}

int error_oom(hwims_error *err)
{
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
}
