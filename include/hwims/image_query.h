/*
 * hwims/image_query.h - finding images: what the data sources huaweicloud_images_image and
 * huaweicloud_images_images do, and `hwims list`, without Terraform around it.
 *
 * A query goes to IMS (GET /v2/cloudimages) with every filter the API supports, is paged
 * through completely (marker/limit, never truncated at one page), and is then narrowed
 * client-side by what the API cannot filter: name_regex (POSIX extended regular expressions,
 * regcomp(3) with REG_EXTENDED, matched anywhere in the name unless anchored), a tag key
 * holding a dot, __support_agent_list, source_image_id, and most_recent. The result is sorted
 * by sort_key/sort_direction (stable: ties keep the service's order).
 *
 *   argument (data sources)   sent as                          or applied here
 *   region                    the region queried (NULL: the client's)
 *   image_id                  id=
 *   name                      name=
 *   name_regex                -                                 regexec on the name
 *   visibility                __imagetype= (public -> gold)
 *   image_type                virtual_env_type=
 *   is_whole_image            __whole_image=true (only when set)
 *   owner                     owner=
 *   flavor_id                 flavor_id=
 *   os                        __platform=
 *   os_version                __os_version=
 *   architecture              architecture=
 *   tag "Key=Value"           tag=Key.Value                     the tags read, when Key has a dot
 *   enterprise_project_id     enterprise_project_id= (NULL: all_granted_eps)
 *   __support_agent_list      -                                 exact match
 *   sort_key, sort_direction  sort_key=, sort_dir=              stable sort of the result
 *   most_recent               -                                 the newest updated_at only
 *   (status)                  status=active unless set otherwise
 *   (source_image_id, CLI)    -                                 __originalimagename or the
 *                                                               source in __data_origin
 *
 * Thread safety: queries may run concurrently on one client (one per region, say); a result
 * is immutable and may be read from any thread.
 */
#ifndef HWIMS_IMAGE_QUERY_H
#define HWIMS_IMAGE_QUERY_H

#include <stddef.h>

#include "hwims/cancel.h"
#include "hwims/client.h"
#include "hwims/error.h"
#include "hwims/export.h"
#include "hwims/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The layout of hwims_image_query_options this header describes. */
#define HWIMS_IMAGE_QUERY_VERSION 1

/*
 * What to look for. Every string is borrowed (must stay valid during the call) and NULL or ""
 * means "not set". Initialise with HWIMS_IMAGE_QUERY_OPTIONS_INIT so that members added later
 * start unset and version tells the library which layout the caller was built with.
 */
typedef struct hwims_image_query_options {
	unsigned version;                  /* HWIMS_IMAGE_QUERY_VERSION */
	const char *region;                /* NULL: the client's region */
	const char *image_id;              /* exact ID */
	const char *name;                  /* exact name; not with name_regex */
	const char *name_regex;            /* POSIX ERE; not with name */
	const char *visibility;            /* public, private, market, shared */
	const char *image_type;            /* FusionCompute, DataImage, Ironic, IsoImage */
	int is_whole_image;                /* 1: only full-ECS images; 0: no filter */
	const char *owner;                 /* project ID of the owner */
	const char *flavor_id;             /* ECS flavor: public images usable with it */
	const char *os;                    /* __platform: Ubuntu, CentOS, Windows, ... */
	const char *os_version;            /* __os_version, exact */
	const char *architecture;          /* x86, arm */
	const char *tag;                   /* "Key=Value" (Value may be empty) */
	const char *enterprise_project_id; /* NULL: every enterprise project */
	const char *support_agent_list;    /* hss, ces, "hss,ces": exact */
	const char *source_image_id;       /* copies of this image only */
	const char *status;                /* NULL: active; "*": any status */
	const char *sort_key;              /* name (default), container_format, disk_format,
	                                      status, id, size, created_at */
	const char *sort_direction;        /* asc (default), desc */
	int most_recent;                   /* 1: keep only the newest (see hwims_image_query) */
	int page_size;                     /* 0: the service's default page; else 1..1000 */
} hwims_image_query_options;

#define HWIMS_IMAGE_QUERY_OPTIONS_INIT                                                             \
	{                                                                                          \
		.version = HWIMS_IMAGE_QUERY_VERSION                                               \
	}

/* The images a query found, in order. Opaque; immutable; free with hwims_image_results_free. */
typedef struct hwims_image_results hwims_image_results;

/*
 * Check opts without sending anything: the version, the value sets above, name with
 * name_regex, a regular expression that does not compile (its regerror text), a tag that is
 * not "Key=Value" with a non-empty Key, page_size out of range. Returns 0, or -1 with
 * HWIMS_ERR_USAGE naming the argument as the data sources call it (err->attribute).
 */
HWIMS_EXTERN int hwims_image_query_validate(const hwims_image_query_options *opts,
                                            hwims_error *err);

/*
 * Run the query (validating first: nothing is sent for bad options). With most_recent the
 * result holds at most one image: the latest updated_at (RFC 3339), ties broken by the latest
 * created_at, then by the order of the sort. Zero matches is a success with an empty result.
 * cancel may be NULL. Caller frees *out with hwims_image_results_free (NULL after a failure).
 */
HWIMS_EXTERN int hwims_image_query(hwims_client *c, const hwims_image_query_options *opts,
                                   hwims_cancel *cancel, hwims_image_results **out,
                                   hwims_error *err);

/* Free the results. Safe on NULL. */
HWIMS_EXTERN void hwims_image_results_free(hwims_image_results *r);

/* How many images were found. */
HWIMS_EXTERN size_t hwims_image_results_count(const hwims_image_results *r);

/* The region that was queried (never NULL; borrowed from r). */
HWIMS_EXTERN const char *hwims_image_results_region(const hwims_image_results *r);

/* Image i (< count) as the attribute-table view of hwims/image.h (borrowed from r; tags not
   read). */
HWIMS_EXTERN const hwims_image *hwims_image_results_image(const hwims_image_results *r, size_t i);

/* Image i's member as IMS returned it, as text: strings as they are, numbers in decimal,
   booleans "true"/"false"; NULL when absent, null, or an object/array. Borrowed from r. */
HWIMS_EXTERN const char *hwims_image_results_member(const hwims_image_results *r, size_t i,
                                                    const char *member);

/* Which data source a row of the tables below belongs to. */
#define HWIMS_QUERY_IN_ONE  1u /* huaweicloud_images_image */
#define HWIMS_QUERY_IN_MANY 2u /* huaweicloud_images_images */

/* An attribute of the data sources' images (the `images` block of huaweicloud_images_images, the
   attributes of huaweicloud_images_image). */
typedef struct hwims_query_attr {
	const char *name;        /* data-source attribute name */
	hwims_attr_type type;    /* STRING, BOOL or INT */
	const char *member;      /* the IMS member it comes from */
	unsigned in;             /* HWIMS_QUERY_IN_*: the data sources that have it */
	const char *description; /* Markdown, one paragraph */
} hwims_query_attr;

/* An argument of the data sources, in their documented order. */
typedef struct hwims_query_arg {
	const char *name;
	hwims_attr_type type;    /* STRING or BOOL */
	unsigned in;             /* HWIMS_QUERY_IN_* */
	const char *description; /* Markdown, one paragraph */
} hwims_query_arg;

/* The table of the data sources' arguments (static; *count set). */
HWIMS_EXTERN const hwims_query_arg *hwims_query_args(size_t *count);

/* The Registry-layout page of data source which (HWIMS_QUERY_IN_ONE or _MANY), generated from
   the two tables so the docs cannot drift from the schema. Caller frees; NULL on ENOMEM. */
HWIMS_EXTERN char *hwims_query_data_source_doc(unsigned which);

/* The table of those attributes (static; *count set): id, name, image_type, visibility
   (gold -> public), owner, os, architecture (__support_arm "true" -> arm, else x86),
   enterprise_project_id, os_version, file, schema, status, description, protected,
   container_format, min_ram_mb, max_ram_mb, min_disk_gb, disk_format, data_origin, backup_id,
   size_bytes, active_at, created_at, updated_at, __support_agent_list. */
HWIMS_EXTERN const hwims_query_attr *hwims_query_attrs(size_t *count);

/* Image i's value of the data-source attribute name, typed per the table, converting the
   API's JSON quirks (max_ram and __image_size as strings, ...); is_null when absent or not
   convertible. Pointers borrowed from r. Returns 0, or -1 (HWIMS_ERR_USAGE) for a name not in
   the table. */
HWIMS_EXTERN int hwims_image_results_attr(const hwims_image_results *r, size_t i, const char *name,
                                          hwims_value *out, hwims_error *err);

/*
 * The one image the singular data source returns: *index is set and 0 returned when exactly
 * one image was found (with most_recent there is never more). Zero images is HWIMS_ERR_NOT_FOUND
 * ("your query returned no results ..."), several HWIMS_ERR_USAGE naming most_recent as what
 * to set (or the filters to narrow).
 */
HWIMS_EXTERN int hwims_image_results_pick_one(const hwims_image_results *r, size_t *index,
                                              hwims_error *err);

#ifdef __cplusplus
}
#endif

#endif
