/*
 * resource_image_copy.c - huaweicloud_images_image_copy over the protocol:
 * validate, plan, apply, read, import and state upgrade on top of the
 * image-copy workflow (hwims/image_copy.h).
 *
 * The rules Terraform checks are the contract here (see the plugin protocol
 * reference, section 7): a create plan marks what it cannot predict unknown,
 * an apply returns every planned known value unchanged, a refresh keeps values
 * that only look different ("" vs null), a failed create after the job was
 * accepted still returns the image so Terraform keeps it (tainted).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/attrs.h"
#include "hwims/image_copy.h"
#include "prov_provider.h"
#include "prov_state.h"

#define NS_PER_MIN             (60LL * 1000000000LL)
#define DEFAULT_CREATE_TIMEOUT (60 * NS_PER_MIN)
#define DEFAULT_DELETE_TIMEOUT (3 * NS_PER_MIN)

#define UNPACK(type, desc, len, data)                                                              \
	((type *)protobuf_c_message_unpack(&(desc), NULL, (len), (data)))

static prov_type *rtype(const prov_provider *p)
{
	return p->schemas.resource.implied;
}

static int wrong_type(const char *type_name, prov_diags *d)
{
	if (strcmp(type_name, PROV_RESOURCE_TYPE) == 0)
		return 0;
	char detail[300];
	snprintf(detail, sizeof(detail), "This provider has no resource type \"%.200s\".",
	         type_name);
	prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Unsupported resource type",
	              detail, NULL);
	return 1;
}

static int no_client(hwims_client *c, prov_diags *d)
{
	if (c)
		return 0;
	prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Provider not configured",
	              "The huaweicloud provider was not configured (ConfigureProvider failed or "
	              "was not called), so it cannot reach the API.",
	              NULL);
	return 1;
}

static const char *default_region(prov_provider *p)
{
	hwims_client *c = prov_provider_client(p);
	return c ? hwims_client_region(c) : NULL;
}

/* ---- validation --------------------------------------------------------------------------- */

static int attr_unknown(const prov_value *cfg, const char *name)
{
	return prov_value_is_unknown(prov_value_attr(cfg, name));
}

/*
 * Run the workflow's validation over a resource object. Unknown values are normal at validate
 * and plan time, so an error is only reported when it cannot depend on one: the attribute it
 * names is known, and for the rules that depend on whether the copy crosses regions, both
 * regions are known (the provider's region stands in for an omitted `region` once configured).
 */
static void validate_object(const prov_value *obj, const char *dflt_region, prov_diags *d)
{
	for (int i = 0; i < 2; i++) {
		const char *op = i ? "delete" : "create";
		int64_t ns;
		hwims_error terr;
		if (!attr_unknown(prov_value_attr(obj, "timeouts"), op) &&
		    prov_timeout(obj, op, 0, &ns, &terr) != 0)
			prov_diag_from_error(d, "Invalid timeout", &terr, terr.attribute);
	}
	static const char *const whole[] = {"min_ram", "max_ram"};
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		const prov_value *v = prov_value_attr(obj, whole[i]);
		int64_t n;
		if (v && v->state == PROV_KNOWN && prov_number_int64(&v->u.num, &n) != 0) {
			char detail[128];
			snprintf(detail, sizeof(detail), "%s must be a whole number of MB.",
			         whole[i]);
			prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid argument",
			              detail, whole[i]);
			return;
		}
	}
	hwims_copy_spec spec;
	int unknown = 0;
	hwims_error err;
	if (prov_spec_from_value(obj, &spec, &unknown, &err) != 0) {
		prov_diag_from_error(d, "Cannot read the configuration", &err, NULL);
		return;
	}
	if (hwims_copy_spec_validate(&spec, dflt_region, &err) != 0) {
		const char *attr = err.attribute[0] ? err.attribute : NULL;
		int skip = attr && attr_unknown(obj, attr);
		static const char *const regional[] = {
		    "region",      "kms_key_id", "enterprise_project_id",
		    "agency_name", "vault_id",   "target_region"};
		int region_rule = 0;
		for (size_t k = 0; attr && k < sizeof(regional) / sizeof(regional[0]); k++)
			region_rule |= strcmp(attr, regional[k]) == 0;
		/* Before ConfigureProvider (the validate walk) an omitted region is not known yet;
		   the plan validates again once it is. */
		int no_region = !spec.region && !dflt_region && spec.target_region;
		if ((region_rule || !attr) && (attr_unknown(obj, "region") ||
		                               attr_unknown(obj, "target_region") || no_region))
			skip = 1;
		if (attr && strcmp(attr, "tags") == 0 && attr_unknown(obj, "tags"))
			skip = 1;
		if (!skip && unknown && !attr)
			skip = 1;
		if (!skip)
			prov_diag_from_error(d, "Invalid argument", &err, attr);
	}
	hwims_copy_spec_free(&spec);
}

void prov_validate_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ValidateResourceConfig__Request *rq =
	    UNPACK(Tfplugin6__ValidateResourceConfig__Request,
	           tfplugin6__validate_resource_config__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ValidateResourceConfig request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *cfg = NULL;
	hwims_error err;
	if (!wrong_type(rq->type_name, &d)) {
		if (prov_dv_decode(rq->config, rtype(p), &cfg, &err) != 0)
			prov_diag_from_error(&d, "Invalid configuration value", &err, NULL);
		else if (cfg->state == PROV_KNOWN)
			validate_object(cfg, default_region(p), &d);
	}
	Tfplugin6__ValidateResourceConfig__Response resp;
	tfplugin6__validate_resource_config__response__init(&resp);
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	prov_value_free(cfg);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- private state flags ------------------------------------------------------------------ */

/* Private state written by ImportResourceState: the API cannot return agency_name and vault_id,
   so the first plan after an import adopts the configured values instead of replacing. */
#define PRIVATE_IMPORTED "{\"imported\":true}"

static int private_flag(const ProtobufCBinaryData *priv, const char *key)
{
	if (!priv || !priv->len)
		return 0;
	json_t *j = json_loadb((const char *)priv->data, priv->len, 0, NULL);
	int on = json_is_true(json_object_get(j, key));
	json_decref(j);
	return on;
}

/* ---- plan --------------------------------------------------------------------------------- */

static unsigned row_flags(const char *name)
{
	const hwims_attr *row = hwims_attr_find(name);
	return row ? row->flags : 0;
}

/* Attributes whose value on create comes straight from the configuration even when computed:
   the API cannot return agency_name and vault_id, and reports no target_region for copies
   within a region, so "unset" stays null rather than unknown. */
static int null_when_unset(const char *name)
{
	return strcmp(name, "target_region") == 0 || (row_flags(name) & HWIMS_ATTR_NOT_READ);
}

typedef struct plan_out {
	prov_value *planned;
	Tfplugin6__AttributePath **replace;
	size_t n_replace;
} plan_out;

static int add_replace(plan_out *po, const char *name)
{
	Tfplugin6__AttributePath **r = realloc(po->replace, (po->n_replace + 1) * sizeof(*r));
	if (!r)
		return -1;
	po->replace = r;
	Tfplugin6__AttributePath *ap = malloc(sizeof(*ap));
	Tfplugin6__AttributePath__Step *st = malloc(sizeof(*st));
	Tfplugin6__AttributePath__Step **steps = malloc(sizeof(*steps));
	if (!ap || !st || !steps) {
		free(ap);
		free(st);
		free(steps);
		return -1;
	}
	tfplugin6__attribute_path__init(ap);
	tfplugin6__attribute_path__step__init(st);
	st->selector_case = TFPLUGIN6__ATTRIBUTE_PATH__STEP__SELECTOR_ATTRIBUTE_NAME;
	st->attribute_name = (char *)name; /* static: schema names live as long as the process */
	steps[0] = st;
	ap->steps = steps;
	ap->n_steps = 1;
	po->replace[po->n_replace++] = ap;
	return 0;
}

static void plan_out_free(plan_out *po)
{
	for (size_t i = 0; i < po->n_replace; i++) {
		free(po->replace[i]->steps[0]);
		free(po->replace[i]->steps);
		free(po->replace[i]);
	}
	free(po->replace);
	prov_value_free(po->planned);
}

static int set_unknown(prov_value *obj, const prov_attr_schema *a)
{
	return prov_value_set_attr(obj, a->name, prov_value_unknown(a->type));
}

/* Fill the computed attributes the configuration leaves unset, for a new object. */
static int plan_new_object(prov_provider *p, const prov_value *config, prov_value *planned,
                           int keep_force_new)
{
	const prov_block_schema *rs = &p->schemas.resource;
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		if (!(a->flags & PROV_A_COMPUTED) ||
		    !prov_value_is_null(prov_value_attr(config, a->name)))
			continue;
		if (keep_force_new && (row_flags(a->name) & HWIMS_ATTR_FORCE_NEW))
			continue; /* unchanged force-new values stay as they were */
		int rc;
		if (strcmp(a->name, "region") == 0) {
			const char *r = default_region(p);
			rc = prov_value_set_attr(planned, a->name,
			                         r ? prov_value_string(r)
			                           : prov_value_unknown(a->type));
		} else if (null_when_unset(a->name)) {
			rc = prov_value_set_attr(planned, a->name, prov_value_null(a->type));
		} else {
			rc = set_unknown(planned, a);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int plan(prov_provider *p, const prov_value *prior, const prov_value *proposed,
                const prov_value *config, int imported, plan_out *po, prov_diags *d)
{
	const prov_block_schema *rs = &p->schemas.resource;
	po->planned = prov_value_clone(proposed);
	if (!po->planned)
		return -1;
	if (proposed->state == PROV_NULL)
		return 0; /* destroy: planned null */
	if (prior->state == PROV_NULL) {
		if (plan_new_object(p, config, po->planned, 0) != 0)
			return -1;
	} else {
		int replace = 0, changed = 0;
		for (size_t i = 0; i < rs->n_attrs; i++) {
			const prov_attr_schema *a = &rs->attrs[i];
			unsigned f = row_flags(a->name);
			const prov_value *pv = prov_value_attr(po->planned, a->name);
			const prov_value *ov = prov_value_attr(prior, a->name);
			if (prov_value_equal(pv, ov))
				continue;
			if (imported && (f & HWIMS_ATTR_NOT_READ) && prov_value_is_null(ov)) {
				/* After an import the API could not tell us agency_name or
				   vault_id: adopting the configured value is not a new copy. */
				continue;
			}
			if (f & HWIMS_ATTR_FORCE_NEW) {
				/* region left unset follows the prior value (proposed keeps it). */
				replace = 1;
				if (add_replace(po, a->name) != 0)
					return -1;
			} else if (f & HWIMS_ATTR_UPDATABLE) {
				changed = 1;
			}
		}
		if (replace) {
			if (plan_new_object(p, config, po->planned, 1) != 0)
				return -1;
		} else if (changed) {
			/* The service stamps updates; nothing else it returns moves. */
			const prov_attr_schema *ua = prov_block_attr(rs, "updated_at");
			if (ua && set_unknown(po->planned, ua) != 0)
				return -1;
		}
	}
	/* Validate what the user wrote: the planned state also holds what the API reported
	   (e.g. the default enterprise project of a cross-region copy), which the argument rules
	   are not about. An omitted region is the planned one. */
	const char *region = prov_value_str(prov_value_attr(po->planned, "region"));
	validate_object(config, region ? region : default_region(p), d);
	return 0;
}

void prov_plan_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__PlanResourceChange__Request *rq =
	    UNPACK(Tfplugin6__PlanResourceChange__Request,
	           tfplugin6__plan_resource_change__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed PlanResourceChange request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *prior = NULL, *proposed = NULL, *config = NULL;
	plan_out po = {0};
	hwims_buf storage = HWIMS_BUF_INIT;
	Tfplugin6__DynamicValue planned_dv;
	hwims_error err;
	Tfplugin6__PlanResourceChange__Response resp;
	tfplugin6__plan_resource_change__response__init(&resp);

	if (wrong_type(rq->type_name, &d))
		goto reply;
	if (prov_dv_decode(rq->prior_state, rtype(p), &prior, &err) != 0 ||
	    prov_dv_decode(rq->proposed_new_state, rtype(p), &proposed, &err) != 0 ||
	    prov_dv_decode(rq->config, rtype(p), &config, &err) != 0) {
		prov_diag_from_error(&d, "Invalid plan request value", &err, NULL);
		goto reply;
	}
	if (plan(p, prior, proposed, config, private_flag(&rq->prior_private, "imported"), &po,
	         &d) != 0) {
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Planning failed",
		              "out of memory", NULL);
		goto reply;
	}
	if (prov_dv_encode(po.planned, rtype(p), &planned_dv, &storage, &err) != 0) {
		prov_diag_from_error(&d, "Planning failed", &err, NULL);
		goto reply;
	}
	resp.planned_state = &planned_dv;
	resp.requires_replace = po.replace;
	resp.n_requires_replace = po.n_replace;
	/* Nothing to carry to apply yet; pass the prior private through unchanged. */
	resp.planned_private = rq->prior_private;
reply:
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	plan_out_free(&po);
	hwims_buf_free(&storage);
	prov_value_free(prior);
	prov_value_free(proposed);
	prov_value_free(config);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- pending copy jobs (private state) ---------------------------------------------------- */

/*
 * When a create stops after the copy job was accepted but before the job named its image
 * (timeout, StopProvider), the state cannot hold the image ID yet. The job ID goes into the
 * resource's private state instead, {"pending_job":"<id>","job_region":"<region>"}, and read
 * and delete resolve it to the image later, so the copy is never orphaned.
 */
static char *pending_private(const char *job_id, const char *region)
{
	json_t *j =
	    json_pack("{s:s,s:s}", "pending_job", job_id, "job_region", region ? region : "");
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	return s;
}

enum { PENDING_NONE, PENDING_IMAGE, PENDING_RUNNING, PENDING_FAILED };

/* Resolve a pending job in priv: PENDING_IMAGE with *image_id (caller frees), PENDING_RUNNING
   while the job has no image yet, PENDING_FAILED, PENDING_NONE without a pending job, -1 on
   error. */
static int pending_resolve(prov_provider *p, hwims_client *c, const ProtobufCBinaryData *priv,
                           char **image_id, hwims_error *err)
{
	*image_id = NULL;
	if (!priv || !priv->len)
		return PENDING_NONE;
	json_t *j = json_loadb((const char *)priv->data, priv->len, 0, NULL);
	const char *job = json_string_value(json_object_get(j, "pending_job"));
	const char *region = json_string_value(json_object_get(j, "job_region"));
	int rc = PENDING_NONE;
	if (job && *job) {
		hwims_copy_job info;
		memset(&info, 0, sizeof(info));
		if (hwims_copy_job_get(c, (region && *region) ? region : NULL, job, p->stop, &info,
		                       err) != 0)
			rc = -1;
		else
			prov_logf(p->log, HWIMS_LOG_DEBUG, "pending copy job %s: %s, image %s", job,
			          hwims_job_state_name(info.state),
			          info.image_id ? info.image_id : "(none yet)");
		if (rc < 0)
			;
		else if (info.image_id && *info.image_id)
			rc = (*image_id = strdup(info.image_id)) ? PENDING_IMAGE : -1;
		else if (info.state == HWIMS_JOB_FAIL)
			rc = PENDING_FAILED;
		else
			rc = PENDING_RUNNING;
		hwims_copy_job_free(&info);
	}
	json_decref(j);
	return rc;
}

/* ---- apply -------------------------------------------------------------------------------- */

/* Encode a new state. It may be all that names a copy, or all that keeps one in Terraform's
   state: one more try when memory ran short (the first attempt's buffer is freed by then). */
static int encode_state(prov_provider *p, const prov_value *st, Tfplugin6__DynamicValue *dv,
                        hwims_buf *storage, hwims_error *err)
{
	if (prov_dv_encode(st, rtype(p), dv, storage, err) == 0)
		return 0;
	if (err->kind != HWIMS_ERR_INTERNAL)
		return -1;
	hwims_buf_free(storage);
	return prov_dv_encode(st, rtype(p), dv, storage, err);
}

static int spec_of(const prov_value *obj, hwims_copy_spec *spec, prov_diags *d)
{
	hwims_error err;
	if (prov_spec_from_value(obj, spec, NULL, &err) != 0) {
		prov_diag_from_error(d, "Cannot read the resource", &err, NULL);
		return -1;
	}
	return 0;
}

static const char *id_of(const prov_value *obj)
{
	const char *id = prov_value_str(prov_value_attr(obj, "id"));
	return (id && *id) ? id : NULL;
}

/* Create failed after the copy job was accepted: a wholly known state that names the image,
   so Terraform records it (tainted) instead of orphaning it. */
static prov_value *partial_state(prov_provider *p, const prov_value *planned,
                                 const hwims_copy_result *res)
{
	prov_value *st = prov_value_clone(planned);
	if (!st || prov_value_set_attr(st, "id", prov_value_string(res->image_id)) != 0) {
		prov_value_free(st); /* a state without the ID would orphan the copy */
		return NULL;
	}
	if (prov_value_is_unknown(prov_value_attr(st, "region"))) {
		const char *r = default_region(p);
		prov_value_set_attr(st, "region",
		                    r ? prov_value_string(r) : prov_value_null(&prov_type_string));
	}
	prov_value_unknowns_to_null(st);
	return st;
}

static prov_value *apply_create(prov_provider *p, hwims_client *c, const prov_value *planned,
                                char **private_out, prov_diags *d)
{
	hwims_copy_spec spec;
	if (spec_of(planned, &spec, d) != 0)
		return NULL;
	hwims_copy_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.cancel = p->stop;
	opts.fixed_poll_interval_ns = p->poll_interval_ns;
	hwims_error err;
	prov_value *st = NULL;
	if (prov_timeout(planned, "create", DEFAULT_CREATE_TIMEOUT, &opts.create_timeout_ns,
	                 &err) != 0) {
		prov_diag_from_error(d, "Invalid timeout", &err, err.attribute);
		hwims_copy_spec_free(&spec);
		return NULL;
	}
	hwims_copy_result res;
	memset(&res, 0, sizeof(res));
	if (hwims_image_copy_create(c, &spec, &opts, &res, &err) == 0) {
		if (prov_state_from_image(&p->schemas.resource, res.image, planned, PROV_FILL_APPLY,
		                          &st, &err) != 0) {
			prov_diag_from_error(d, "Cannot record the new image", &err, NULL);
			/* the copy exists: keep at least its ID (tainted), not nothing */
			st = partial_state(p, planned, &res);
		}
		prov_logf(p->log, HWIMS_LOG_INFO, "created image copy %s (job %s)",
		          res.image_id ? res.image_id : "?", res.job_id ? res.job_id : "?");
	} else if (res.image_id && err.kind != HWIMS_ERR_JOB_FAILED) {
		char summary[200];
		snprintf(summary, sizeof(summary), "Image copy %.64s did not complete",
		         res.image_id);
		char detail[HWIMS_ERROR_MESSAGE_MAX + 400];
		snprintf(
		    detail, sizeof(detail),
		    "%s\n\nThe copy job %s was accepted and created image %s in %s. It is kept "
		    "in the state as tainted, so the next apply replaces it (or destroy "
		    "removes it) instead of leaving it orphaned.",
		    err.message, res.job_id ? res.job_id : "(unknown)", res.image_id,
		    res.image_region ? res.image_region : "its region");
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, summary, detail, NULL);
		st = partial_state(p, planned, &res);
	} else if (res.job_id && err.kind != HWIMS_ERR_JOB_FAILED) {
		/* Accepted, but no image ID yet: keep a (tainted) placeholder whose private state
		   names the job, so refresh or destroy find the image later. */
		const char *region = spec.region ? spec.region : hwims_client_region(c);
		*private_out = pending_private(res.job_id, region);
		char detail[HWIMS_ERROR_MESSAGE_MAX + 400];
		snprintf(detail, sizeof(detail),
		         "%s\n\nThe copy job %s was accepted but had not named its image yet. The "
		         "resource is kept in the state as tainted with the job recorded, so the "
		         "next refresh finds the image and the next apply replaces it (or destroy "
		         "removes it) instead of leaving it orphaned.",
		         err.message, res.job_id);
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Image copy did not complete", detail, NULL);
		res.image_id = NULL;
		st = prov_value_clone(planned);
		if (st) {
			if (prov_value_is_unknown(prov_value_attr(st, "region")))
				prov_value_set_attr(st, "region",
				                    region ? prov_value_string(region)
				                           : prov_value_null(&prov_type_string));
			prov_value_unknowns_to_null(st);
		}
	} else {
		char summary[160];
		if (err.kind == HWIMS_ERR_JOB_FAILED)
			snprintf(summary, sizeof(summary), "Image copy job %.64s failed",
			         res.job_id ? res.job_id : "");
		else
			snprintf(summary, sizeof(summary), "Cannot copy the image");
		prov_diag_from_error(d, summary, &err, NULL);
	}
	hwims_copy_result_free(&res);
	hwims_copy_spec_free(&spec);
	return st;
}

/* Optional+computed arguments the configuration leaves unset hold what the API reported
   (e.g. the default enterprise project of a cross-region copy). They are not the user's
   wishes, and both states agree on them, so neither the update nor its validation should
   see them. */
static void drop_unconfigured(const prov_value *config, hwims_copy_spec *a, hwims_copy_spec *b)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {{"kms_key_id", offsetof(hwims_copy_spec, kms_key_id)},
	            {"enterprise_project_id", offsetof(hwims_copy_spec, enterprise_project_id)}};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!prov_value_is_null(prov_value_attr(config, strs[i].name)))
			continue;
		char **fa = (char **)((char *)a + strs[i].off);
		char **fb = (char **)((char *)b + strs[i].off);
		if ((*fa == NULL) == (*fb == NULL) && (!*fa || strcmp(*fa, *fb) == 0)) {
			free(*fa);
			free(*fb);
			*fa = *fb = NULL;
		}
	}
	if (prov_value_is_null(prov_value_attr(config, "min_ram")) &&
	    a->has_min_ram == b->has_min_ram && a->min_ram == b->min_ram)
		a->has_min_ram = b->has_min_ram = 0;
	if (prov_value_is_null(prov_value_attr(config, "max_ram")) &&
	    a->has_max_ram == b->has_max_ram && a->max_ram == b->max_ram)
		a->has_max_ram = b->has_max_ram = 0;
}

static prov_value *apply_update(prov_provider *p, hwims_client *c, const prov_value *prior,
                                const prov_value *planned, const prov_value *config, prov_diags *d)
{
	hwims_copy_spec old_spec, new_spec;
	if (spec_of(prior, &old_spec, d) != 0)
		return prov_value_clone(prior);
	if (spec_of(planned, &new_spec, d) != 0) {
		hwims_copy_spec_free(&old_spec);
		return prov_value_clone(prior);
	}
	drop_unconfigured(config, &old_spec, &new_spec);
	/* Arguments the API cannot return are adopted from the plan when the state has none
	   (after an import); they are not changes to send. */
	hwims_error err;
	if ((!old_spec.agency_name &&
	     hwims_copy_spec_set(&old_spec.agency_name, new_spec.agency_name, &err) != 0) ||
	    (!old_spec.vault_id &&
	     hwims_copy_spec_set(&old_spec.vault_id, new_spec.vault_id, &err) != 0))
		prov_diag_from_error(d, "Cannot update the image copy", &err, NULL);
	hwims_copy_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.cancel = p->stop;
	hwims_image *img = NULL;
	prov_value *st = NULL;
	const char *id = id_of(prior);
	if (d->errors) {
		st = prov_value_clone(prior);
	} else if (!id) {
		prov_diag_add(d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Cannot update",
		              "The state has no image ID.", NULL);
		st = prov_value_clone(prior);
	} else if (hwims_image_copy_update(c, &old_spec, &new_spec, id, &opts, &img, &err) != 0) {
		prov_diag_from_error(d, "Cannot update the image copy", &err, NULL);
		st = prov_value_clone(prior);
	} else if (img) {
		if (prov_state_from_image(&p->schemas.resource, img, planned, PROV_FILL_APPLY, &st,
		                          &err) != 0)
			prov_diag_from_error(d, "Cannot record the image", &err, NULL);
	} else {
		st = prov_value_clone(planned);
		prov_value_unknowns_to_null(st);
	}
	hwims_image_free(img);
	hwims_copy_spec_free(&old_spec);
	hwims_copy_spec_free(&new_spec);
	return st;
}

static prov_value *apply_delete(prov_provider *p, hwims_client *c, const prov_value *prior,
                                const ProtobufCBinaryData *priv, prov_diags *d)
{
	hwims_copy_spec spec;
	if (spec_of(prior, &spec, d) != 0)
		return prov_value_clone(prior);
	hwims_copy_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.cancel = p->stop;
	hwims_error err;
	prov_value *st = NULL;
	char *pending_id = NULL;
	const char *id = id_of(prior);
	if (!id) {
		int pr = pending_resolve(p, c, priv, &pending_id, &err);
		id = pending_id;
		if (pr < 0 || pr == PENDING_RUNNING) {
			if (pr < 0)
				prov_diag_from_error(d, "Cannot look up the copy job", &err, NULL);
			else
				prov_diag_add(
				    d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
				    "Copy still in progress",
				    "The copy job recorded for this resource has not named its "
				    "image yet, so there is nothing to delete yet. Try again "
				    "later.",
				    NULL);
			hwims_copy_spec_free(&spec);
			return prov_value_clone(prior);
		}
	}
	if (prov_timeout(prior, "delete", DEFAULT_DELETE_TIMEOUT, &opts.delete_timeout_ns, &err) !=
	    0) {
		prov_diag_from_error(d, "Invalid timeout", &err, err.attribute);
		st = prov_value_clone(prior);
	} else if (id && hwims_image_copy_delete(c, &spec, id, &opts, &err) != 0) {
		prov_diag_from_error(d, "Cannot delete the image copy", &err, NULL);
		st = prov_value_clone(prior); /* still there: keep it in state */
	} else {
		st = prov_value_null(rtype(p));
	}
	free(pending_id);
	hwims_copy_spec_free(&spec);
	return st;
}

void prov_apply_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ApplyResourceChange__Request *rq =
	    UNPACK(Tfplugin6__ApplyResourceChange__Request,
	           tfplugin6__apply_resource_change__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ApplyResourceChange request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *prior = NULL, *planned = NULL, *config = NULL, *st = NULL;
	char *pending = NULL;
	hwims_buf storage = HWIMS_BUF_INIT;
	Tfplugin6__DynamicValue new_dv;
	hwims_error err;
	Tfplugin6__ApplyResourceChange__Response resp;
	tfplugin6__apply_resource_change__response__init(&resp);
	hwims_client *c = prov_provider_client(p);

	if (wrong_type(rq->type_name, &d))
		goto reply;
	if (prov_dv_decode(rq->prior_state, rtype(p), &prior, &err) != 0 ||
	    prov_dv_decode(rq->planned_state, rtype(p), &planned, &err) != 0 ||
	    prov_dv_decode(rq->config, rtype(p), &config, &err) != 0) {
		prov_diag_from_error(&d, "Invalid apply request value", &err, NULL);
		goto reply;
	}
	if (no_client(c, &d)) {
		st = prov_value_clone(prior);
	} else if (planned->state == PROV_NULL) {
		st = apply_delete(p, c, prior, &rq->planned_private, &d);
	} else if (prior->state == PROV_NULL) {
		st = apply_create(p, c, planned, &pending, &d);
	} else {
		st = apply_update(p, c, prior, planned, config, &d);
	}
	if (st) {
		if (encode_state(p, st, &new_dv, &storage, &err) != 0)
			prov_diag_from_error(&d, "Cannot encode the new state", &err, NULL);
		else
			resp.new_state = &new_dv;
	}
	resp.private_ = rq->planned_private;
	if (prior->state == PROV_KNOWN && planned->state == PROV_KNOWN && d.errors == 0 &&
	    private_flag(&rq->planned_private, "imported")) {
		/* the state now holds the configured arguments: no more adopting */
		resp.private_.data = NULL;
		resp.private_.len = 0;
	}
	if (pending) {
		resp.private_.data = (uint8_t *)pending;
		resp.private_.len = strlen(pending);
	}
reply:
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	if (reply->status != GRPC_STATUS_OK && st && id_of(st))
		/* no memory for the answer: the call's status is the one place left to name the
		   copy the apply made */
		snprintf(reply->message, sizeof(reply->message),
		         "out of memory answering the apply: image copy %.64s exists and is not "
		         "in the state; import or delete it",
		         id_of(st));
	prov_diags_free(&d);
	hwims_buf_free(&storage);
	prov_value_free(prior);
	prov_value_free(planned);
	prov_value_free(config);
	prov_value_free(st);
	free(pending);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- read --------------------------------------------------------------------------------- */

void prov_read_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ReadResource__Request *rq =
	    UNPACK(Tfplugin6__ReadResource__Request, tfplugin6__read_resource__request__descriptor,
	           len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ReadResource request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	prov_value *prior = NULL, *st = NULL;
	hwims_buf storage = HWIMS_BUF_INIT;
	Tfplugin6__DynamicValue new_dv;
	hwims_error err;
	Tfplugin6__ReadResource__Response resp;
	tfplugin6__read_resource__response__init(&resp);
	hwims_client *c = prov_provider_client(p);
	hwims_copy_spec spec;
	memset(&spec, 0, sizeof(spec));

	if (wrong_type(rq->type_name, &d))
		goto reply;
	if (prov_dv_decode(rq->current_state, rtype(p), &prior, &err) != 0) {
		prov_diag_from_error(&d, "Invalid state value", &err, NULL);
		goto reply;
	}
	const char *id = id_of(prior);
	resp.private_ = rq->private_; /* the response replaces it: keep it */
	char *pending_id = NULL;
	if (prior->state == PROV_KNOWN && !id && c) {
		int pr = pending_resolve(p, c, &rq->private_, &pending_id, &err);
		if (pr == PENDING_IMAGE) {
			/* the job named its image: from now on the state holds it */
			prov_value_set_attr(prior, "id", prov_value_string(pending_id));
			id = pending_id;
			resp.private_.data = NULL;
			resp.private_.len = 0;
		} else if (pr == PENDING_RUNNING || pr < 0) {
			if (pr < 0)
				prov_diag_from_error(&d, "Cannot look up the copy job", &err, NULL);
			st = prov_value_clone(prior);
		}
	}
	if (st) {
		/* pending job still running: prior kept as is */
	} else if (prior->state == PROV_NULL || !id) {
		st = prov_value_null(rtype(p));
	} else if (no_client(c, &d) || spec_of(prior, &spec, &d) != 0) {
		st = prov_value_clone(prior);
	} else {
		hwims_copy_options opts;
		memset(&opts, 0, sizeof(opts));
		opts.cancel = p->stop;
		hwims_image *img = NULL;
		int rc = hwims_image_copy_read(c, &spec, id, &opts, &img, &err);
		if (rc == HWIMS_ENOTFOUND) {
			prov_logf(p->log, HWIMS_LOG_INFO,
			          "image %s is gone; removing it from state", id);
			st = prov_value_null(rtype(p));
		} else if (rc != 0) {
			/* Keep the prior state: an absent new_state would drop the resource. */
			prov_diag_from_error(&d, "Cannot read the image copy", &err, NULL);
			st = prov_value_clone(prior);
		} else if (prov_state_from_image(&p->schemas.resource, img, prior, PROV_FILL_READ,
		                                 &st, &err) != 0) {
			prov_diag_from_error(&d, "Cannot record the image", &err, NULL);
			st = prov_value_clone(prior);
		}
		hwims_image_free(img);
	}
	/* No new state without an error would tell Terraform the copy is gone. */
	if (!st)
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Cannot read the image copy", "out of memory", NULL);
	else if (encode_state(p, st, &new_dv, &storage, &err) != 0)
		prov_diag_from_error(&d, "Cannot encode the state", &err, NULL);
	else
		resp.new_state = &new_dv;
	free(pending_id);
reply:
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	hwims_buf_free(&storage);
	hwims_copy_spec_free(&spec);
	prov_value_free(prior);
	prov_value_free(st);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- import ------------------------------------------------------------------------------- */

static int put_str(prov_value *obj, const char *name, const char *s)
{
	return prov_value_set_attr(obj, name,
	                           s ? prov_value_string(s) : prov_value_null(&prov_type_string));
}

void prov_import_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__ImportResourceState__Request *rq =
	    UNPACK(Tfplugin6__ImportResourceState__Request,
	           tfplugin6__import_resource_state__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed ImportResourceState request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	hwims_buf storage = HWIMS_BUF_INIT;
	Tfplugin6__DynamicValue state_dv;
	Tfplugin6__ImportResourceState__ImportedResource ir;
	Tfplugin6__ImportResourceState__ImportedResource *irs[1] = {&ir};
	tfplugin6__import_resource_state__imported_resource__init(&ir);
	Tfplugin6__ImportResourceState__Response resp;
	tfplugin6__import_resource_state__response__init(&resp);
	hwims_client *c = prov_provider_client(p);
	hwims_copy_spec spec;
	memset(&spec, 0, sizeof(spec));
	hwims_image *img = NULL;
	prov_value *base = NULL, *st = NULL;
	hwims_error err;

	if (wrong_type(rq->type_name, &d) || no_client(c, &d))
		goto reply;
	hwims_copy_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.cancel = p->stop;
	if (hwims_image_copy_import(c, rq->id, &opts, &spec, &img, &err) != 0) {
		prov_diag_from_error(&d, "Cannot import the image copy", &err, NULL);
		goto reply;
	}
	/* Where the copy lives comes from the import ID; the rest from the image. */
	base = prov_value_object(rtype(p));
	if (!base || put_str(base, "region", spec.region) != 0 ||
	    put_str(base, "target_region", spec.target_region) != 0 ||
	    prov_state_from_image(&p->schemas.resource, img, base, PROV_FILL_READ, &st, &err) !=
	        0 ||
	    prov_dv_encode(st, rtype(p), &state_dv, &storage, &err) != 0) {
		prov_diag_from_error(&d, "Cannot import the image copy", &err, NULL);
		goto reply;
	}
	ir.type_name = PROV_RESOURCE_TYPE;
	ir.state = &state_dv;
	ir.private_.data = (uint8_t *)PRIVATE_IMPORTED;
	ir.private_.len = strlen(PRIVATE_IMPORTED);
	resp.imported_resources = irs;
	resp.n_imported_resources = 1;
reply:
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	hwims_buf_free(&storage);
	hwims_copy_spec_free(&spec);
	hwims_image_free(img);
	prov_value_free(base);
	prov_value_free(st);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}

/* ---- upgrade ------------------------------------------------------------------------------ */

/* Keep only what the current schema knows (state written by the Go provider or by an older
   version may carry more), recursively for the timeouts block. */
static void strip_unknown_keys(json_t *obj, const prov_type *t)
{
	if (!json_is_object(obj) || t->kind != PROV_T_OBJECT)
		return;
	const char *key;
	json_t *val;
	void *tmp;
	json_object_foreach_safe(obj, tmp, key, val)
	{
		int idx = prov_type_attr_index(t, key);
		if (idx < 0)
			json_object_del(obj, key);
		else if (t->types[idx]->kind == PROV_T_OBJECT)
			strip_unknown_keys(val, t->types[idx]);
	}
}

/* SDKv2 state spells an unset string "" and an unset map {}; for arguments that are not
   computed the configuration says null, so null is what the state must hold to plan empty. */
static void empty_to_null(json_t *obj, const prov_block_schema *rs)
{
	for (size_t i = 0; i < rs->n_attrs; i++) {
		const prov_attr_schema *a = &rs->attrs[i];
		if (a->flags & PROV_A_COMPUTED)
			continue;
		json_t *v = json_object_get(obj, a->name);
		if ((json_is_string(v) && json_string_length(v) == 0) ||
		    (json_is_object(v) && json_object_size(v) == 0))
			json_object_set_new(obj, a->name, json_null());
	}
}

void prov_upgrade_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	prov_provider *p = app;
	Tfplugin6__UpgradeResourceState__Request *rq =
	    UNPACK(Tfplugin6__UpgradeResourceState__Request,
	           tfplugin6__upgrade_resource_state__request__descriptor, len, req);
	if (!rq) {
		prov_reply_bad_request(reply, "malformed UpgradeResourceState request");
		return;
	}
	prov_diags d = PROV_DIAGS_INIT;
	hwims_buf storage = HWIMS_BUF_INIT;
	Tfplugin6__DynamicValue up_dv;
	Tfplugin6__UpgradeResourceState__Response resp;
	tfplugin6__upgrade_resource_state__response__init(&resp);
	prov_value *st = NULL;
	json_t *j = NULL;
	char *text = NULL;
	hwims_error err;

	if (wrong_type(rq->type_name, &d))
		goto reply;
	if (rq->version > PROV_RESOURCE_SCHEMA_VERSION) {
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Unsupported state version",
		              "This state was written by a newer provider version.", NULL);
		goto reply;
	}
	if (!rq->raw_state || !rq->raw_state->json.len) {
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Unsupported state format",
		              "Only JSON state (Terraform 0.12 and later) can be upgraded.", NULL);
		goto reply;
	}
	json_error_t jerr;
	size_t qlen = 0;
	char *quoted = prov_json_quote_numbers((const char *)rq->raw_state->json.data,
	                                       rq->raw_state->json.len, &qlen);
	j = quoted ? json_loadb(quoted, qlen, JSON_ALLOW_NUL, &jerr) : NULL;
	free(quoted);
	if (!json_is_object(j)) {
		prov_diag_add(&d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Invalid state",
		              "The stored state is not a JSON object.", NULL);
		goto reply;
	}
	strip_unknown_keys(j, rtype(p));
	if (rq->version == 0)
		empty_to_null(j, &p->schemas.resource); /* the Go provider's state */
	text = json_dumps(j, JSON_COMPACT);
	if (!text || prov_value_from_json(rtype(p), text, strlen(text), &st, &err) != 0 ||
	    prov_dv_encode(st, rtype(p), &up_dv, &storage, &err) != 0) {
		prov_diag_from_error(&d, "Cannot upgrade the state", &err, NULL);
		goto reply;
	}
	resp.upgraded_state = &up_dv;
reply:
	resp.diagnostics = d.items;
	resp.n_diagnostics = d.n;
	prov_reply_pack(reply, &resp.base);
	prov_diags_free(&d);
	hwims_buf_free(&storage);
	prov_value_free(st);
	json_decref(j);
	free(text);
	protobuf_c_message_free_unpacked(&rq->base, NULL);
}
