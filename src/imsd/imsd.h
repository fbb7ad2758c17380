/*
 * imsd.h - the emulator's internal model: the application object every
 * handler receives, the transport-neutral request and response, and the
 * response helpers. Nothing here is public API of libhwims.
 *
 * One request flows: server.c (libmicrohttpd) builds an imsd_request ->
 * imsd_handle() (app.c) routes it (router.c), applies faults (faults.c),
 * authenticates it (auth.c) and calls one handler (handlers_*.c), which
 * reads and writes the store (store.c, images.c, jobs.c, tags.c) and fills
 * an imsd_response. The fuzz target calls imsd_handle() directly.
 */
#ifndef IMSD_H
#define IMSD_H

#include <stddef.h>
#include <stdint.h>

#include <hwims/buf.h>
#include <hwims/error.h>
#include <hwims/sign.h>

#include "faults.h"
#include "seed.h"
#include "store.h"

/* Largest request body accepted (bigger ones get 413). */
#define IMSD_MAX_BODY (1024 * 1024)
/* Largest raw request target (path + query) accepted (longer ones get 414). */
#define IMSD_MAX_TARGET 8192
/* Size of a request ID with its NUL: 32 hex digits, the length of the service's own. */
#define IMSD_REQUEST_ID_SIZE 33

typedef struct imsd_app {
	imsd_seed *seed;    /* owned */
	imsd_store *store;  /* owned */
	imsd_faults faults; /* run-time fault settings, locked inside */
	const char *default_region;
	double time_scale; /* > 0; 100 means a 20 s copy takes 0.2 s */
	int admin;         /* serve /_admin/ */
	int skip_auth;     /* tests of the handlers only; never set by main */
	/* Wall clock in seconds; NULL means the real clock. Tests pin it. */
	double (*clock)(void *clock_arg);
	void *clock_arg;
} imsd_app;

typedef struct imsd_request {
	const char *method;
	const char *target; /* raw request target as received: "/a/b?x=1" */
	const hwims_header *headers;
	size_t n_headers;
	const char *body;
	size_t body_len;
	int body_too_large; /* the transport stopped reading past IMSD_MAX_BODY */
	const char *request_id;
} imsd_request;

typedef struct imsd_response {
	int status;
	hwims_buf body;    /* owned; empty for 204 */
	int retry_after_s; /* > 0: send Retry-After */
	int64_t delay_ms;  /* transport sleeps this long before answering */
	int drop;          /* transport closes the connection without answering */
} imsd_response;

/* Settings of imsd_app_new. */
typedef struct imsd_app_options {
	const char *data_dir;
	const char *seed_path;      /* NULL: the built-in seed */
	const char *default_region; /* NULL: the seed's first region */
	double time_scale;
	int admin;
	int durable; /* fsync commits (off only in fuzzing) */
} imsd_app_options;

/* Open the store, load the seed, import the seed's images on first start.
 * Caller frees with imsd_app_free. */
int imsd_app_new(imsd_app **out, const imsd_app_options *opts, hwims_error *err);
void imsd_app_free(imsd_app *app);

/* Current time in seconds (fractional), from app->clock or the real clock. */
double imsd_now(const imsd_app *app);

/* Answer one request. Always fills resp (caller frees with
 * imsd_response_free); never fails. */
void imsd_handle(imsd_app *app, const imsd_request *req, imsd_response *resp);
void imsd_response_free(imsd_response *resp);

/* Response helpers (respond.c). Each replaces resp's body. */
void imsd_respond_json(imsd_response *resp, int status, const char *json);
/* The three shapes of error body the emulated services answer with. */
typedef enum imsd_error_shape {
	IMSD_ERROR_IMS,     /* {"error":{"code":"IMG.0027","message":"..."}} */
	IMSD_ERROR_GATEWAY, /* {"error_msg":..,"error_code":..,"request_id":..} (API gateway) */
	IMSD_ERROR_EPS      /* {"error":{"error_code":..,"error_msg":..}} */
} imsd_error_shape;
/* The one error responder: status, and a body of the given shape holding code and the
 * printf-style message (cut at 1 KiB). request_id is used by the gateway shape only (NULL: ""). */
void imsd_respond_error(imsd_response *resp, int status, imsd_error_shape shape, const char *code,
                        const char *request_id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The shapes by service, as the handlers name them. */
#define imsd_respond_ims_error(resp, status, code, ...)                                            \
	imsd_respond_error(resp, status, IMSD_ERROR_IMS, code, NULL, __VA_ARGS__)
#define imsd_respond_gw_error(resp, status, code, request_id, ...)                                 \
	imsd_respond_error(resp, status, IMSD_ERROR_GATEWAY, code, request_id, __VA_ARGS__)
#define imsd_respond_eps_error(resp, status, code, ...)                                            \
	imsd_respond_error(resp, status, IMSD_ERROR_EPS, code, NULL, __VA_ARGS__)
/* Serialise obj (borrowed) as the body. */
void imsd_respond_object(imsd_response *resp, int status, const void *json_obj);

/* Format t (seconds since the epoch) as "2024-01-15T08:30:05Z"; buf >= 21. */
void imsd_format_time(double t, char *buf, size_t buflen);
/* Same with milliseconds, "2024-11-06T06:14:27.168Z"; buf >= 25. */
void imsd_format_time_ms(double t, char *buf, size_t buflen);
/* Random lower-case UUID v4 (buf >= 37) or 32 hex digits (buf >= 33). */
void imsd_new_uuid(char *buf, size_t buflen);
void imsd_new_hex_id(char *buf, size_t buflen);

#endif
