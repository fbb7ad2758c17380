/* app.c - the application object and the request pipeline (see imsd.h). */
#include "imsd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "eps_moves.h"
#include "handlers.h"
#include "images.h"
#include "router.h"

int imsd_app_new(imsd_app **out, const imsd_app_options *opts, hwims_error *err)
{
	imsd_app *app = calloc(1, sizeof(*app));
	imsd_db *db = NULL;
	int seeded;

	*out = NULL;
	if (!app)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	imsd_faults_init(&app->faults);
	app->time_scale = opts->time_scale > 0 ? opts->time_scale : 1.0;
	app->admin = opts->admin;
	if (imsd_seed_load(&app->seed, opts->seed_path, err))
		goto fail;
	if (opts->default_region && !imsd_seed_region(app->seed, opts->default_region)) {
		hwims_error_set(err, HWIMS_ERR_USAGE, "--default-region %s is not a seeded region",
		                opts->default_region);
		goto fail;
	}
	app->default_region =
	    opts->default_region ? imsd_seed_region(app->seed, opts->default_region)->name : NULL;
	if (imsd_store_open(&app->store, opts->data_dir, opts->durable, err))
		goto fail;
	/* The seed's images go in on the first start only: later starts keep what clients
	 * did to them. */
	db = imsd_store_acquire(app->store, err);
	if (!db)
		goto fail;
	if (imsd_db_begin(db, err))
		goto fail;
	seeded = imsd_db_meta_get(db, "seeded", err);
	if (seeded < 0)
		goto fail;
	if (!seeded && (imsd_images_import_seed(db, app->seed, err) ||
	                imsd_db_meta_set(db, "seeded", "1", err)))
		goto fail;
	if (imsd_db_commit(db, err))
		goto fail;
	imsd_store_release(app->store, db);
	*out = app;
	return 0;
fail:
	if (db) {
		imsd_db_rollback(db);
		imsd_store_release(app->store, db);
	}
	imsd_app_free(app);
	return -1;
}

void imsd_app_free(imsd_app *app)
{
	if (!app)
		return;
	imsd_store_close(app->store);
	imsd_seed_free(app->seed);
	imsd_faults_destroy(&app->faults);
	free(app);
}

double imsd_now(const imsd_app *app)
{
	struct timespec ts;

	if (app->clock)
		return app->clock(app->clock_arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *header(const imsd_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

/* The gateway's 404 for a request no route serves; bad_region names the unknown region the
 * request addressed, or is NULL. */
static void respond_no_such_api(imsd_response *resp, const char *request_id, const char *bad_region)
{
	if (bad_region) {
		imsd_respond_gw_error(resp, 404, "APIGW.0101", request_id,
		                      "The API does not exist or has not been published in the "
		                      "environment: unknown region %s.",
		                      bad_region);
		return;
	}
	imsd_respond_gw_error(resp, 404, "APIGW.0101", request_id,
	                      "The API does not exist or has not been published in the "
	                      "environment.");
}

/* The operations whose handler serves two routes, told apart by an argument. */
static void handle_copy(imsd_ctx *c)
{
	imsd_handle_copy(c, 0);
}

static void handle_cross_copy(imsd_ctx *c)
{
	imsd_handle_copy(c, 1);
}

static void handle_job(imsd_ctx *c)
{
	imsd_handle_job(c, 0);
}

static void handle_job_progress(imsd_ctx *c)
{
	imsd_handle_job(c, 1);
}

/* The handler of every route, by route ID: adding an operation is a row here and a case in
 * the router. */
static void (*const HANDLERS[])(imsd_ctx *c) = {
    [IMSD_ROUTE_COPY] = handle_copy,
    [IMSD_ROUTE_CROSS_COPY] = handle_cross_copy,
    [IMSD_ROUTE_JOB] = handle_job,
    [IMSD_ROUTE_JOB_PROGRESS] = handle_job_progress,
    [IMSD_ROUTE_LIST_IMAGES] = imsd_handle_list_images,
    [IMSD_ROUTE_PATCH_IMAGE] = imsd_handle_patch_image,
    [IMSD_ROUTE_TAGS_GET] = imsd_handle_tags_get,
    [IMSD_ROUTE_TAGS_ACTION] = imsd_handle_tags_action,
    [IMSD_ROUTE_DELETE_IMAGE] = imsd_handle_delete_image,
    [IMSD_ROUTE_IAM_PROJECTS] = imsd_handle_iam_projects,
    [IMSD_ROUTE_IAM_DOMAINS] = imsd_handle_iam_domains,
    [IMSD_ROUTE_EPS_LIST] = imsd_handle_eps_list,
    [IMSD_ROUTE_EPS_MIGRATE] = imsd_handle_eps_migrate,
    [IMSD_ROUTE_EPS_FILTER] = imsd_handle_eps_filter,
    [IMSD_ROUTE_ADMIN_FAULTS] = imsd_handle_admin_faults,
    [IMSD_ROUTE_IAM_SECURITYTOKENS] = imsd_handle_iam_securitytokens,
    [IMSD_ROUTE_METADATA_SECURITYKEY] = imsd_handle_metadata_securitykey,
};

static void dispatch(imsd_ctx *c)
{
	size_t id = (size_t)c->route->id;

	if (id < sizeof(HANDLERS) / sizeof(HANDLERS[0]) && HANDLERS[id]) {
		HANDLERS[id](c);
		return;
	}
	respond_no_such_api(c->resp, c->req->request_id, NULL);
}

/* Faults apply after routing (so the admin API stays reachable) and before
 * authentication (like a gateway or network failure would). 1 when one was injected instead of
 * handling the request; *lose set when the request is to be handled but its answer lost. */
static int inject_fault(imsd_app *app, const imsd_request *req, const imsd_route *route,
                        imsd_response *resp, int *lose)
{
	int status, retry_after;
	imsd_fault_action act =
	    imsd_faults_decide(&app->faults, route->path, &resp->delay_ms, &status, &retry_after);

	switch (act) {
	case IMSD_FAULT_NONE:
		return 0;
	case IMSD_FAULT_LOSE_ANSWER:
		*lose = 1;
		return 0;
	case IMSD_FAULT_DROP:
		resp->drop = 1;
		resp->status = 0;
		return 1;
	case IMSD_FAULT_THROTTLE:
		imsd_respond_gw_error(resp, 429, "APIGW.0308", req->request_id,
		                      "The throttling threshold has been reached.");
		resp->retry_after_s = retry_after;
		return 1;
	case IMSD_FAULT_ERROR:
		if (status == 503) {
			imsd_respond_gw_error(resp, 503, "APIGW.0202", req->request_id,
			                      "The service is temporarily unavailable.");
			resp->retry_after_s = retry_after;
		} else {
			imsd_respond_ims_error(resp, 500, "IMG.0200",
			                       "An internal error occurred in the image service.");
		}
		return 1;
	}
	return 0;
}

void imsd_handle(imsd_app *app, const imsd_request *req, imsd_response *resp)
{
	imsd_route route;
	imsd_ctx ctx;
	hwims_error err;
	imsd_route_error re;

	memset(resp, 0, sizeof(*resp));
	if (!req->target || strlen(req->target) > IMSD_MAX_TARGET) {
		imsd_respond_gw_error(resp, 414, "APIGW.0204", req->request_id,
		                      "The request URI is too long (at most %d bytes).",
		                      IMSD_MAX_TARGET);
		return;
	}
	re = imsd_route_parse(app->seed, app->default_region, app->admin, req->method, req->target,
	                      header(req, "Host"), &route);
	switch (re) {
	case IMSD_ROUTE_OK:
		break;
	case IMSD_ROUTE_BAD_PATH:
		imsd_respond_gw_error(resp, 400, "APIGW.0101", req->request_id,
		                      "The request path is invalid.");
		return;
	case IMSD_ROUTE_UNKNOWN_REGION:
		respond_no_such_api(resp, req->request_id, route.bad_region);
		return;
	case IMSD_ROUTE_NOT_FOUND:
		respond_no_such_api(resp, req->request_id, NULL);
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.app = app;
	ctx.req = req;
	ctx.route = &route;
	ctx.resp = resp;
	ctx.now = imsd_now(app);
	ctx.query = strchr(req->target, '?');
	if (ctx.query)
		ctx.query++;
	if (route.service == IMSD_SVC_ADMIN) {
		imsd_handle_admin_faults(&ctx);
		return;
	}
	int lose = 0;
	if (inject_fault(app, req, &route, resp, &lose))
		return;
	if (req->body_too_large) {
		imsd_respond_gw_error(resp, 413, "APIGW.0201", req->request_id,
		                      "The request body is too large (at most %d bytes).",
		                      IMSD_MAX_BODY);
		return;
	}
	/* The metadata service answers whoever can reach it, as on an ECS. */
	if (!app->skip_auth && route.service != IMSD_SVC_METADATA &&
	    imsd_auth_check(app->seed, req, ctx.now, NULL, 0, &err)) {
		imsd_respond_gw_error(resp, err.http_status, err.code, req->request_id, "%s",
		                      err.message);
		return;
	}
	ctx.db = imsd_store_acquire(app->store, &err);
	if (!ctx.db) {
		imsd_internal_error(&ctx, &err);
		return;
	}
	/* enterprise-project moves whose time has come show from this request on */
	if (imsd_eps_moves_apply(ctx.db, ctx.now, &err))
		imsd_internal_error(&ctx, &err);
	else
		dispatch(&ctx);
	imsd_store_release(app->store, ctx.db);
	if (lose) {
		resp->drop = 1; /* like a connection reset after the service acted */
		resp->status = 0;
	}
}
