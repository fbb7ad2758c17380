/* data_source_images_common.c - the arguments, query and values that huaweicloud_images_image and
   huaweicloud_images_images share (see prov_images_ds.h). */
#include <stdlib.h>
#include <string.h>

#include "prov_images_ds.h"

/* Both data sources' arguments; most_recent is the singular one's, __support_agent_list the
   plural one's (see arguments()). */
static const prov_images_ds_field ARGS[] = {
    {"region", 's', "The region to look in. If omitted, the provider's region is used."},
    {"most_recent", 'b',
     "When the query finds several images, take the one updated last instead of failing. "
     "Defaults to `false`."},
    {"image_id", 's', "The ID of the image."},
    {"name", 's', "The exact name of the image. Cannot be used with `name_regex`."},
    {"name_regex", 's',
     "A POSIX extended regular expression (as `regcomp(3)` with `REG_EXTENDED`) the image's "
     "name must match, anywhere unless anchored with `^` and `$`. Applied to what the service "
     "returns. Cannot be used with `name`."},
    {"image_type", 's',
     "Where the image is used: `FusionCompute` (system disk), `DataImage` (data disk), `Ironic` "
     "(bare metal server) or `IsoImage` (ISO)."},
    {"is_whole_image", 'b', "Only whole-server images when `true`. Defaults to `false`."},
    {"visibility", 's', "The visibility: `public`, `private`, `market` or `shared`."},
    {"owner", 's', "The owner (project ID) of the image."},
    {"flavor_id", 's',
     "An ECS flavor ID: only images usable with it (one flavor; BMS flavors are not "
     "supported)."},
    {"sort_key", 's',
     "The field to sort by: `name` (the default), `container_format`, `disk_format`, `status`, "
     "`id`, `size` or `created_at`."},
    {"sort_direction", 's', "`asc` (the default) or `desc`."},
    {"os", 's',
     "The OS type, such as `Windows`, `Ubuntu`, `RedHat`, `SUSE`, `CentOS`, `Debian`, "
     "`OpenSUSE`, `Oracle Linux`, `Fedora`, `Other`, `CoreOS` or `EulerOS`."},
    {"architecture", 's', "The architecture: `x86` or `arm`."},
    {"tag", 's', "A tag the image has, in `Key=Value` form."},
    {"enterprise_project_id", 's',
     "The enterprise project of the image. If omitted, every enterprise project is searched."},
    {"__support_agent_list", 's',
     "The agents the image supports: `hss` (host security), `ces` (host monitoring) or "
     "`hss,ces`."},
};

#define N_ARGS (sizeof(ARGS) / sizeof(ARGS[0]))

/* The singular data source's arguments: all but the last; the plural one's: all but
   most_recent. Copied once into a static table per kind (they never change). */
static const prov_images_ds_field *arguments(prov_images_ds_kind kind, size_t *n)
{
	static prov_images_ds_field many[N_ARGS - 1];
	if (kind == PROV_DS_ONE) {
		*n = N_ARGS - 1;
		return ARGS;
	}
	if (!many[0].name) {
		many[0] = ARGS[0];
		memcpy(&many[1], &ARGS[2], (N_ARGS - 2) * sizeof(ARGS[0]));
	}
	*n = N_ARGS - 1;
	return many;
}

const prov_images_ds_field *prov_images_ds_arguments(prov_images_ds_kind kind, size_t *n)
{
	return arguments(kind, n);
}

int prov_images_ds_is_argument(prov_images_ds_kind kind, const char *name)
{
	size_t n;
	const prov_images_ds_field *a = arguments(kind, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return 1;
	return 0;
}

static const struct {
	const char *name, *description;
} ATTR_DOCS[] = {
    {"id", "The ID of the image."},
    {"name", "The name of the image."},
    {"image_type", "Where the image is used (`FusionCompute`, `DataImage`, `Ironic`, `IsoImage`)."},
    {"visibility", "The visibility of the image (`public`, `private`, `market`, `shared`)."},
    {"owner", "The owner (project ID) of the image."},
    {"os", "The OS type of the image."},
    {"architecture", "The architecture of the image: `x86` or `arm`."},
    {"enterprise_project_id", "The enterprise project of the image."},
    {"os_version", "The operating system version of the image."},
    {"file", "The image file's download and upload link."},
    {"schema", "The image view."},
    {"status", "The status of the image (`active`)."},
    {"description", "The description of the image."},
    {"protected", "Whether the image is protected (protected images cannot be deleted)."},
    {"container_format", "The format of the image's container."},
    {"min_ram_mb", "The least memory the image needs to run, in MB."},
    {"max_ram_mb", "The most memory the image supports, in MB."},
    {"min_disk_gb", "The least disk space the image needs, in GB."},
    {"disk_format", "The image format: `zvhd2`, `vhd`, `zvhd`, `raw`, `qcow2` or `iso`."},
    {"data_origin", "Where the image comes from, such as `instance,<instance_id>` or "
                    "`image,<region>,<image_id>`."},
    {"backup_id", "The backup ID of a whole image in its CBR vault."},
    {"size_bytes", "The size of the image file, in bytes."},
    {"active_at", "When the image became active (RFC 3339)."},
    {"created_at", "When the image was created (RFC 3339)."},
    {"updated_at", "When the image was last updated (RFC 3339)."},
    {"__support_agent_list",
     "The agents the image supports (`hss`, `ces`, `hss,ces`); empty when none."},
};

const char *prov_images_ds_attr_description(const char *name)
{
	for (size_t i = 0; i < sizeof(ATTR_DOCS) / sizeof(ATTR_DOCS[0]); i++)
		if (strcmp(ATTR_DOCS[i].name, name) == 0)
			return ATTR_DOCS[i].description;
	return "";
}

/* The arguments the read fills in when the configuration leaves them out: the region queried,
   and in the singular data source those that are the found image's attributes too. */
static int also_computed(prov_images_ds_kind kind, const char *name)
{
	if (strcmp(name, "region") == 0)
		return 1;
	if (kind != PROV_DS_ONE)
		return 0;
	if (strcmp(name, "image_id") == 0)
		return 1;
	size_t n;
	const hwims_query_attr *qa = hwims_query_attrs(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(qa[i].name, name) == 0)
			return 1;
	return 0;
}

int prov_images_ds_block(prov_block_schema *b, prov_images_ds_kind kind, const prov_attr_def *extra,
                         size_t n_extra, const char *description)
{
	size_t n;
	const prov_images_ds_field *a = arguments(kind, &n);
	prov_attr_def *defs = calloc(n + n_extra, sizeof(*defs));
	if (!defs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned flags = PROV_A_OPTIONAL;
		if (also_computed(kind, a[i].name))
			flags |= PROV_A_COMPUTED;
		defs[i] = (prov_attr_def){a[i].name, a[i].kind, flags, a[i].description};
	}
	memcpy(defs + n, extra, n_extra * sizeof(*extra));
	int rc = prov_block_build(b, defs, n + n_extra, description);
	free(defs);
	return rc;
}

/* ---- the query ---- */

/* The text of a known string argument; NULL when null or unknown. */
static const char *arg_str(const prov_value *config, const char *name)
{
	return prov_value_str(prov_value_attr(config, name));
}

static int arg_bool(const prov_value *config, const char *name)
{
	const prov_value *v = prov_value_attr(config, name);
	return v && v->state == PROV_KNOWN && v->u.b;
}

/* The query options of config, borrowing its strings; unknown arguments count as unset (a
   check on them waits until they are known). */
static hwims_image_query_options options_of(const prov_value *config, const char *region)
{
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.region = arg_str(config, "region") ? arg_str(config, "region") : region;
	o.image_id = arg_str(config, "image_id");
	o.name = arg_str(config, "name");
	o.name_regex = arg_str(config, "name_regex");
	o.visibility = arg_str(config, "visibility");
	o.image_type = arg_str(config, "image_type");
	o.is_whole_image = arg_bool(config, "is_whole_image");
	o.owner = arg_str(config, "owner");
	o.flavor_id = arg_str(config, "flavor_id");
	o.os = arg_str(config, "os");
	o.architecture = arg_str(config, "architecture");
	o.tag = arg_str(config, "tag");
	o.enterprise_project_id = arg_str(config, "enterprise_project_id");
	o.support_agent_list = arg_str(config, "__support_agent_list");
	o.sort_key = arg_str(config, "sort_key");
	o.sort_direction = arg_str(config, "sort_direction");
	o.most_recent = arg_bool(config, "most_recent");
	return o;
}

void prov_images_ds_validate(const prov_op *op, const prov_value *config)
{
	hwims_image_query_options o = options_of(config, NULL);
	hwims_error err;
	if (hwims_image_query_validate(&o, &err) != 0)
		prov_diag_from_error(op->d, "Invalid argument", &err,
		                     err.attribute[0] ? err.attribute : NULL);
}

hwims_image_results *prov_images_ds_query(const prov_op *op, const prov_value *config,
                                          prov_images_ds_kind kind)
{
	if (!prov_value_wholly_known(config)) {
		/* Terraform defers the read of a configuration with unknowns to apply. */
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Configuration not known yet",
		              "The data source was read with values that are not known yet.", NULL);
		return NULL;
	}
	if (prov_op_no_client(op))
		return NULL;
	hwims_image_query_options o = options_of(config, prov_provider_region(op->p));
	if (kind == PROV_DS_MANY)
		o.most_recent = 0;
	hwims_image_results *r = NULL;
	hwims_error err;
	if (hwims_image_query(op->client, &o, op->p->stop, &r, &err) != 0) {
		prov_diag_from_error(op->d, "Cannot query the images", &err,
		                     err.attribute[0] ? err.attribute : NULL);
		return NULL;
	}
	return r;
}

prov_value *prov_images_ds_value(const hwims_image_results *r, size_t i, const char *name)
{
	hwims_value hv;
	hwims_error err;
	if (hwims_image_results_attr(r, i, name, &hv, &err) != 0)
		return NULL;
	prov_type *t = hv.type == HWIMS_ATTR_BOOL  ? &prov_type_bool
	               : hv.type == HWIMS_ATTR_INT ? &prov_type_number
	                                           : &prov_type_string;
	if (hv.is_null)
		return prov_value_null(t);
	if (hv.type == HWIMS_ATTR_BOOL)
		return prov_value_bool(hv.b);
	if (hv.type == HWIMS_ATTR_INT)
		return prov_value_int(hv.i);
	return prov_value_string(hv.s);
}
