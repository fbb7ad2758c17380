/* log.c - hclog-compatible stderr logging for the provider (see prov_log.h). */
#include "prov_log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

static int level_by_name(const char *v, hwims_log_level *out)
{
	static const struct {
		const char *name;
		hwims_log_level level;
	} names[] = {{"TRACE", HWIMS_LOG_TRACE}, {"DEBUG", HWIMS_LOG_DEBUG},
	             {"INFO", HWIMS_LOG_INFO},   {"WARN", HWIMS_LOG_WARN},
	             {"ERROR", HWIMS_LOG_ERROR}, {"JSON", HWIMS_LOG_TRACE},
	             {"OFF", HWIMS_LOG_OFF}};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(v, names[i].name) == 0) {
			*out = names[i].level;
			return 0;
		}
	}
	return -1;
}

hwims_log_level prov_log_level_from_env(const char *tf_log_provider, const char *tf_log)
{
	const char *v = (tf_log_provider && *tf_log_provider) ? tf_log_provider : tf_log;
	if (!v || !*v)
		return HWIMS_LOG_OFF;
	hwims_log_level level;
	if (level_by_name(v, &level) == 0)
		return level;
	return HWIMS_LOG_TRACE;
}

static void bridge_fn(void *userdata, hwims_log_level level, const char *message)
{
	prov_logf(userdata, level, "%s", message);
}

void prov_log_init(prov_log *log, FILE *out, hwims_log_level level)
{
	log->level = level;
	log->out = out;
	pthread_mutex_init(&log->mu, NULL);
	log->bridge.fn = bridge_fn;
	log->bridge.userdata = log;
	log->bridge.min_level = level;
}

void prov_log_destroy(prov_log *log)
{
	if (log)
		pthread_mutex_destroy(&log->mu);
}

static const char *hclog_level(hwims_log_level level)
{
	switch (level) {
	case HWIMS_LOG_TRACE:
		return "trace";
	case HWIMS_LOG_DEBUG:
		return "debug";
	case HWIMS_LOG_INFO:
		return "info";
	case HWIMS_LOG_WARN:
		return "warn";
	default:
		return "error";
	}
}

char *prov_log_format_line(hwims_log_level level, const char *message, long long sec, long usec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	char ts[64];
	gmtime_r(&t, &tm);
	/* Go layout 2006-01-02T15:04:05.000000Z07:00: exactly six fractional digits, "Z" for UTC.
	 */
	size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%06ldZ", usec);

	json_t *obj = json_object();
	if (!obj)
		return NULL;
	/* json_string would reject invalid UTF-8 (and go-plugin needs a string @message), so
	   fall back to a placeholder rather than dropping the key. */
	json_t *msg = json_string(message);
	if (!msg)
		msg = json_string("(message with invalid UTF-8)");
	json_object_set_new(obj, "@level", json_string(hclog_level(level)));
	json_object_set_new(obj, "@message", msg);
	json_object_set_new(obj, "@module", json_string("provider.hwims"));
	json_object_set_new(obj, "@timestamp", json_string(ts));
	char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!text)
		return NULL;
	size_t len = strlen(text);
	char *line = realloc(text, len + 2);
	if (!line) {
		free(text);
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}

void prov_logf(prov_log *log, hwims_log_level level, const char *fmt, ...)
{
	if (!log || level < log->level || log->level == HWIMS_LOG_OFF)
		return;
	char stackbuf[1024];
	char *message = stackbuf;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(stackbuf)) {
		message = malloc((size_t)n + 1);
		if (!message)
			return;
		va_start(ap, fmt);
		vsnprintf(message, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	char *line = prov_log_format_line(level, message, (long long)tv.tv_sec, (long)tv.tv_usec);
	if (message != stackbuf)
		free(message);
	if (!line)
		return;
	pthread_mutex_lock(&log->mu);
	fputs(line, log->out);
	fflush(log->out);
	pthread_mutex_unlock(&log->mu);
	free(line);
}
