/*
 * hwims/image_copy.h - the image-copy workflow: the behaviour of the resource
 * huaweicloud_images_image_copy without Terraform around it.
 *
 * The Terraform provider and the hwims CLI call exactly these functions:
 *
 *   create  hwims_image_copy_create   validate, submit the copy job, wait for it, set
 *                                     min_ram/max_ram and tags, read the copy back
 *   read    hwims_image_copy_read     query the copy where it lives; "gone" is a result
 *   update  hwims_image_copy_update   send only what changed between two specs
 *   delete  hwims_image_copy_delete   delete and wait until queries no longer return it
 *   import  hwims_image_copy_import   "<image_id>" or "<region>/<image_id>" -> spec + image
 *
 * No copy is ever orphaned: once the copy job was accepted, the create result
 * carries the job ID and, as soon as it is known, the new image's ID, also
 * when the wait timed out or was cancelled, the job failed, or setting RAM
 * bounds or tags failed afterwards. A caller that gets -1 from create must
 * look at result->image_id and record it (Terraform: a tainted resource).
 *
 * Regions: `region` is where the source image lives (NULL: the client's
 * region). A copy is within the region when target_region is NULL, "" or equal
 * to region; otherwise it is a cross-region copy and the copy lives in
 * target_region. Every call after the job goes to the region the copy lives in.
 *
 * Thread safety: every function may run concurrently on one client; a
 * hwims_cancel in the options may be triggered from any thread.
 */
#ifndef HWIMS_IMAGE_COPY_H
#define HWIMS_IMAGE_COPY_H

#include "hwims/export.h"

#include <stddef.h>
#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/client.h"
#include "hwims/error.h"
#include "hwims/image.h"
#include "hwims/job.h"
#include "hwims/tags.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the desired state ---------------------------------------------------------------- */

/*
 * The arguments of the resource. Every string is owned by the spec (malloc'd)
 * or NULL (unset); an empty string counts as unset too. Zero-initialise with
 * HWIMS_COPY_SPEC_INIT (or memset) and free with hwims_copy_spec_free.
 */
/* The largest min_ram/max_ram accepted, in MB (1 TiB: above any ECS flavor). */
#define HWIMS_RAM_MAX_MB 1048576

typedef struct hwims_copy_spec {
	char *source_image_id;       /* required */
	char *name;                  /* required */
	char *description;           /* sent as "" when unset, like Terraform */
	char *region;                /* source region; NULL: the client's region */
	char *target_region;         /* NULL/""/== region: within the region */
	char *kms_key_id;            /* within the region only */
	char *enterprise_project_id; /* within the region only */
	char *agency_name;           /* required across regions */
	char *vault_id;              /* across regions only */
	int has_min_ram, has_max_ram;
	int64_t min_ram, max_ram; /* MB; meaningful only when has_* is set */
	hwims_tags tags;          /* empty: no tags */
} hwims_copy_spec;

#define HWIMS_COPY_SPEC_INIT                                                                       \
	{                                                                                          \
		0                                                                                  \
	}

/* Replace *field (a char * member of a spec) with a copy of value (NULL or "" clears it).
   Errors: HWIMS_ERR_INTERNAL. */
HWIMS_EXTERN int hwims_copy_spec_set(char **field, const char *value, hwims_error *err);

/* Deep copy src into *dst (previous contents of *dst ignored). Caller frees with
   hwims_copy_spec_free. */
HWIMS_EXTERN int hwims_copy_spec_copy(hwims_copy_spec *dst, const hwims_copy_spec *src,
                                      hwims_error *err);

/* Free every member and zero the spec. Safe on a zeroed spec and on NULL. */
HWIMS_EXTERN void hwims_copy_spec_free(hwims_copy_spec *spec);

/* 1 when spec describes a cross-region copy (target_region set and different from the source
   region, with NULL region meaning default_region), else 0. */
HWIMS_EXTERN int hwims_copy_spec_is_cross_region(const hwims_copy_spec *spec,
                                                 const char *default_region);

/*
 * Check the spec against the resource's rules without sending anything:
 * required source_image_id and name; name 1-128 characters of letters
 * (Chinese included), digits, '_', '-', '.', space, not starting or ending
 * with a space; description at most 1024 characters without CR/LF, '<', '>'
 * or any other control character (U+0000-U+001F, U+007F-U+009F);
 * kms_key_id and enterprise_project_id only within a region; agency_name
 * required and vault_id allowed only across regions; min_ram/max_ram between 0
 * and 1048576 MB and min_ram <= max_ram when max_ram > 0; at most 20 tags,
 * keys 1-128 and values 0-255 characters of letters, digits, space and
 * "_.:+-@" (values also '/'), not starting or ending with a space.
 * default_region stands for a NULL spec->region (may be NULL).
 * Errors: HWIMS_ERR_USAGE with err->attribute set to the attribute's name
 * ("name", "tags", ...) and the broken rule in the message.
 */
HWIMS_EXTERN int hwims_copy_spec_validate(const hwims_copy_spec *spec, const char *default_region,
                                          hwims_error *err);

/*
 * hwims_copy_spec_validate without the rules that only matter when a copy is made (an
 * agency_name for a cross-region copy): what an existing copy's arguments must satisfy, such as
 * those of an imported copy, whose agency no read can know. Same errors.
 */
HWIMS_EXTERN int hwims_copy_spec_validate_arguments(const hwims_copy_spec *spec,
                                                    const char *default_region, hwims_error *err);

/*
 * What a valid spec may still run into on the real service: tags beyond the limits every IMS
 * API page states (10 tags, keys of 36 and values of 43 characters), which
 * hwims_copy_spec_validate lets through up to the largest documented ones. Returns 1 with *warn
 * set (kind HWIMS_ERR_USAGE, attribute "tags" or tags["<key>"], the limit in the message), or 0
 * with *warn cleared. Sends nothing.
 */
HWIMS_EXTERN int hwims_copy_spec_caution(const hwims_copy_spec *spec, hwims_error *warn);

/* ---- options and progress -------------------------------------------------------------- */

/* Which step the workflow is in, for progress displays. */
typedef enum hwims_phase {
	HWIMS_PHASE_SUBMIT,    /* sending the copy request */
	HWIMS_PHASE_WAIT_SLOT, /* the service refused the copy as one too many at once (IMG.0060):
	                          nothing was made; waiting to submit it again */
	HWIMS_PHASE_WAIT_JOB,  /* waiting for the copy job */
	HWIMS_PHASE_CONFIGURE, /* setting min_ram/max_ram and tags on the copy */
	HWIMS_PHASE_READ,      /* reading the copy back */
	HWIMS_PHASE_DELETE,    /* deleting, or waiting for the deletion to show */
	HWIMS_PHASE_MIGRATE    /* moving the copy to another enterprise project */
} hwims_phase;

/* What a progress callback sees. Pointers are borrowed for the duration of the call. */
typedef struct hwims_progress {
	hwims_phase phase;
	int64_t elapsed_ns; /* since the operation started */
	const char *job_id; /* NULL before the job was accepted */
	hwims_job_state job_state;
	const char *image_id;     /* NULL until known */
	const char *image_status; /* "saving", "active"...; NULL when not known */
	double percent;           /* 0..100, or -1 when the API gives none */
	int polls;                /* job/status queries made so far in this operation */
	int slot_waits;           /* IMG.0060 refusals waited out so far */
	int64_t retry_in_ns;      /* WAIT_SLOT: when the next submit goes out, from now */
} hwims_progress;

typedef void (*hwims_progress_fn)(void *userdata, const hwims_progress *progress);

/* Options of one workflow call. Initialise with HWIMS_COPY_OPTIONS_INIT (or zero them: version
 * 0 reads as version 1); every zero member means the default. The struct grows at its end only,
 * and version says which members the caller knows: a version newer than this library's is
 * HWIMS_ERR_USAGE.
 *
 * Each timeout bounds the whole operation: every request, retry and backoff fits inside it.
 * Within it a busy service (429, 503: nothing was done) is waited out, not failed; once a copy
 * job was accepted, and during update and delete, every retryable failure (5xx, lost
 * connections) is retried until the timeout too, instead of the transport's fixed count. */
typedef struct hwims_copy_options {
	unsigned int version;      /* HWIMS_COPY_OPTIONS_VERSION */
	int64_t create_timeout_ns; /* waiting for the copy job; default 60 min */
	int64_t update_timeout_ns; /* waiting for an enterprise-project migration; default 20 min */
	int64_t delete_timeout_ns; /* waiting for the deletion to show; default 3 min */
	int64_t read_timeout_ns;   /* a read or an import; default 5 min */
	hwims_cancel *cancel;      /* borrowed, may be NULL; may be triggered from another thread */
	hwims_progress_fn progress; /* may be NULL; called from the calling thread only */
	void *progress_userdata;
	/* 1: while waiting, find the new image by name as soon as the job runs (IMS names it only
	   on SUCCESS) and query its status once per poll (one more call each), so progress can
	   show it. The CLI sets it on a terminal. */
	int watch_image_status;
	/* 1: create returns as soon as the job was accepted (result has job_id, no image); a copy
	   whose request went unanswered, found without its job, is still waited for. */
	int no_wait;
	/* >0: poll the job at this fixed interval (first look after one interval) instead of
	   adaptively. Only for benchmarks comparing with the classic provider's 10 s polling. */
	int64_t fixed_poll_interval_ns;
} hwims_copy_options;

#define HWIMS_COPY_OPTIONS_VERSION 1
/* Designated, so that -Wmissing-field-initializers stays quiet in callers. */
#define HWIMS_COPY_OPTIONS_INIT                                                                    \
	{                                                                                          \
		.version = HWIMS_COPY_OPTIONS_VERSION                                              \
	}

/* ---- create -------------------------------------------------------------------------- */

/*
 * What create produced. All strings owned; free with hwims_copy_result_free.
 * Zero-initialise before the call; filled as far as the workflow got, on
 * success and on failure alike.
 */
typedef struct hwims_copy_result {
	char *job_id;              /* set once the copy job was accepted */
	char *image_id;            /* set as soon as the new image's ID is known */
	char *image_region;        /* the region the copy lives in (target region across regions) */
	hwims_job_state job_state; /* last state seen */
	char *job_error_code;      /* a FAILed job's error code (e.g. "IMG.0180"), else NULL */
	char *job_fail_reason;     /* a FAILed job's fail_reason, else NULL */
	int configured;     /* 1 once min_ram/max_ram and tags were applied (or not needed) */
	hwims_image *image; /* the copy as read back; NULL unless the whole create succeeded */
	int polls;          /* job queries made */
	int slot_waits; /* IMG.0060 ("too many at once") refusals waited out before acceptance */
} hwims_copy_result;

HWIMS_EXTERN void hwims_copy_result_free(hwims_copy_result *result);

/*
 * Create a copy as spec says (validated first: HWIMS_ERR_USAGE before any
 * request). A copy within a region whose spec names no enterprise_project_id goes to the
 * client's configured one (hwims_config.enterprise_project_id), if any. Waits for the job
 * (paced polling: a tenth of the time waited, 1 s to 10 s, with jitter, aimed at the end the
 * job's percentages predict; stops at once on FAIL), applies
 * min_ram/max_ram (one PATCH) and tags on the new image, and reads it back into
 * result->image. Returns 0 on success. On failure returns -1 with err:
 * HWIMS_ERR_JOB_FAILED (err->code = the job's error code, message with its
 * fail_reason), HWIMS_ERR_TIMEOUT (create timeout passed), HWIMS_ERR_CANCELLED,
 * or the API/transport kind; in every case *result holds what is known (see the
 * no-orphan rule above). When the copy request itself got no answer (network
 * failure, 5xx: the service may have acted on it, and it is never repeated), the
 * copy is looked up by name and, if found, result->image_id is set with job_id NULL. With
 * opts->no_wait, returns 0 once the job was accepted. opts may be NULL. Caller frees *result with
 * hwims_copy_result_free.
 */
HWIMS_EXTERN int hwims_image_copy_create(hwims_client *c, const hwims_copy_spec *spec,
                                         const hwims_copy_options *opts, hwims_copy_result *result,
                                         hwims_error *err);

/* ---- read ---------------------------------------------------------------------------- */

/*
 * Read the copy image_id. Only spec->region and spec->target_region are used,
 * to know where the copy lives (spec may be NULL: the client's region). Returns
 * 0 with *out set (caller frees with hwims_image_free), HWIMS_ENOTFOUND with
 * *out = NULL and err of kind HWIMS_ERR_NOT_FOUND when no such image exists (for
 * Terraform: gone from state), or -1 with err. Tags are
 * read too; a failure of the tags call only leaves `tags` null. opts may be NULL.
 */
HWIMS_EXTERN int hwims_image_copy_read(hwims_client *c, const hwims_copy_spec *spec,
                                       const char *image_id, const hwims_copy_options *opts,
                                       hwims_image **out, hwims_error *err);

/* ---- update -------------------------------------------------------------------------- */

/*
 * Bring the copy image_id from old_spec (the state as last applied or read) to
 * new_spec, sending only what differs: name, description, min_ram, max_ram (one
 * PATCH each; "replace", retried once as "add" when the API answers IMG.0035),
 * tags (a delete of the keys that went, then a create of the keys that came or
 * changed, which overwrites their values), enterprise_project_id (EPS
 * resources-migrate, then wait until EPS resources/filter lists the copy under the new project,
 * within opts->update_timeout_ns). new_spec is validated first. A change of a force-new argument
 * (source_image_id, region, target_region, kms_key_id, agency_name, vault_id) is HWIMS_ERR_USAGE
 * naming it: the caller must replace the resource instead (an optional one left unset in new_spec
 * is no change: it keeps what old_spec has, as Terraform does for optional+computed arguments).
 * When out is not NULL, the copy is read back into *out (caller frees with hwims_image_free; NULL
 * if it vanished). opts may be NULL.
 */
HWIMS_EXTERN int hwims_image_copy_update(hwims_client *c, const hwims_copy_spec *old_spec,
                                         const hwims_copy_spec *new_spec, const char *image_id,
                                         const hwims_copy_options *opts, hwims_image **out,
                                         hwims_error *err);

/* ---- delete -------------------------------------------------------------------------- */

/*
 * Delete the copy image_id (spec: where it lives, as for read; may be NULL). An
 * image that is already gone is success and sends no DELETE. Otherwise deletes it and
 * waits until queries no longer return it, within opts->delete_timeout_ns
 * (HWIMS_ERR_TIMEOUT naming the image otherwise). opts may be NULL.
 */
HWIMS_EXTERN int hwims_image_copy_delete(hwims_client *c, const hwims_copy_spec *spec,
                                         const char *image_id, const hwims_copy_options *opts,
                                         hwims_error *err);

/* ---- import -------------------------------------------------------------------------- */

/*
 * Import an existing copy from an import ID "<image_id>" (in the client's
 * region) or "<region>/<image_id>" (the region the copy lives in). Reads it and
 * recovers the spec: source_image_id, region and target_region from
 * `__data_origin` (target_region set only when the origin region differs from
 * where the copy lives), and name, description, min_ram, max_ram, kms_key_id,
 * enterprise_project_id and tags from the image. agency_name and vault_id
 * cannot be recovered (NULL). Errors: HWIMS_ERR_USAGE for a malformed ID,
 * HWIMS_ENOTFOUND (kind HWIMS_ERR_NOT_FOUND) when no such image exists, HWIMS_ERR_INVALID when the
 * image is not a copy (no "image,..." origin). On success caller frees *spec_out with
 * hwims_copy_spec_free and *image_out with hwims_image_free (image_out may be NULL).
 */
HWIMS_EXTERN int hwims_image_copy_import(hwims_client *c, const char *import_id,
                                         const hwims_copy_options *opts, hwims_copy_spec *spec_out,
                                         hwims_image **image_out, hwims_error *err);

/* ---- jobs and listing (CLI `job` and `list`) ------------------------------------------ */

/* Query job_id in region (NULL: default), where the copy was submitted. Caller frees *job with
   hwims_copy_job_free (also after a failure). */
HWIMS_EXTERN int hwims_copy_job_get(hwims_client *c, const char *region, const char *job_id,
                                    hwims_cancel *cancel, hwims_copy_job *job, hwims_error *err);

/* List the private images of region (NULL: default), optionally only those named name (NULL:
   all). Tags are not read (hwims_image_tags is NULL). Caller frees each image with
   hwims_image_free and the array with free(). */
HWIMS_EXTERN int hwims_image_list(hwims_client *c, const char *region, const char *name,
                                  hwims_cancel *cancel, hwims_image ***images, size_t *count,
                                  hwims_error *err);

#ifdef __cplusplus
}
#endif

#endif
