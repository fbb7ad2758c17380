/* log.c - logging without globals (see include/hwims/log.h). */
#include "hwims/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int hwims_log_enabled(const hwims_log *log, hwims_log_level level)
{
	return log && log->fn && level != HWIMS_LOG_OFF && level >= log->min_level &&
	       log->min_level != HWIMS_LOG_OFF;
}

const char *hwims_log_level_name(hwims_log_level level)
{
	switch (level) {
	case HWIMS_LOG_TRACE:
		return "TRACE";
	case HWIMS_LOG_DEBUG:
		return "DEBUG";
	case HWIMS_LOG_INFO:
		return "INFO";
	case HWIMS_LOG_WARN:
		return "WARN";
	case HWIMS_LOG_ERROR:
		return "ERROR";
	case HWIMS_LOG_OFF:
		return "OFF";
	}
	return "UNKNOWN";
}

void hwims_log_printf(const hwims_log *log, hwims_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!hwims_log_enabled(log, level))
		return;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *text = malloc((size_t)n + 1);
	if (!text)
		return;
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* Defence in depth: whatever a caller formats, secrets never reach the sink. */
	char *safe = hwims_redact(text);
	free(text);
	if (!safe)
		return;
	log->fn(log->userdata, level, safe);
	free(safe);
}
