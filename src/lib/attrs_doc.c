/*
 * attrs_doc.c - the resource's Registry-layout documentation, generated from
 * the attribute table so that the docs cannot drift from the schema.
 */
#include "hwims/attrs.h"
#include "hwims/buf.h"

#include <stdlib.h>

static const char doc_head[] =
    "---\n"
    "subcategory: \"Image Management Service (IMS)\"\n"
    "layout: \"huaweicloud\"\n"
    "page_title: \"HuaweiCloud: huaweicloud_images_image_copy\"\n"
    "description: |-\n"
    "  Manages an IMS image copy resource within HuaweiCloud.\n"
    "---\n"
    "\n"
    "<!-- Generated from the attribute table in src/lib/attrs.c by scripts/gen-docs; do not "
    "edit. -->\n"
    "\n"
    "# huaweicloud_images_image_copy\n"
    "\n"
    "Manages an IMS image copy resource within HuaweiCloud: a copy of an image within its region "
    "(optionally encrypted with a KMS key, into an enterprise project) or in another region "
    "(through an IAM agency, optionally into a CBR vault).\n"
    "\n"
    "## Example Usage\n"
    "\n"
    "### Copy image within region\n"
    "\n"
    "```hcl\n"
    "variable \"source_image_id\" {}\n"
    "variable \"name\" {}\n"
    "variable \"kms_key_id\" {}\n"
    "\n"
    "resource \"huaweicloud_images_image_copy\" \"test\" {\n"
    "  source_image_id = var.source_image_id\n"
    "  name            = var.name\n"
    "  kms_key_id      = var.kms_key_id\n"
    "}\n"
    "```\n"
    "\n"
    "### Copy image cross region\n"
    "\n"
    "```hcl\n"
    "variable \"source_image_id\" {}\n"
    "variable \"name\" {}\n"
    "variable \"target_region\" {}\n"
    "variable \"agency_name\" {}\n"
    "\n"
    "resource \"huaweicloud_images_image_copy\" \"test\" {\n"
    "  source_image_id = var.source_image_id\n"
    "  name            = var.name\n"
    "  target_region   = var.target_region\n"
    "  agency_name     = var.agency_name\n"
    "}\n"
    "```\n"
    "\n"
    "## Argument Reference\n"
    "\n"
    "The following arguments are supported:\n"
    "\n";

static const char doc_tail[] =
    "## Timeouts\n"
    "\n"
    "This resource provides the following timeouts configuration options:\n"
    "\n"
    "* `create` - Default is 60 minutes.\n"
    "* `delete` - Default is 3 minutes.\n"
    "\n"
    "Values are durations such as `30m`, `1h30m` or `90s`.\n"
    "\n"
    "Each timeout bounds the whole operation: every request, retry and wait fits inside it. "
    "Within the create timeout:\n"
    "\n"
    "* A copy that IMS refuses as one too many at once (`IMG.0060`, at most 5 cross-region "
    "copies per tenant run at a time) made nothing, so it is submitted again, at growing "
    "intervals of 1 to 15 seconds, until a slot frees up; Terraform shows the resource still "
    "creating, and `TF_LOG_PROVIDER=info` logs each wait. If the timeout runs out first, the "
    "error says so and that no copy was made.\n"
    "* A busy service (HTTP 429 or 503) is waited out rather than failed. Once the copy job was "
    "accepted, every later call (job polls, setting RAM bounds and tags, the read-back) retries "
    "throttling, server errors and lost connections until the timeout, so a throttled apply "
    "costs time, never a tainted copy. Delete does the same within its timeout.\n"
    "* Refusals that waiting cannot fix (the private image quota `IMG.0015`, a missing source "
    "image, ...) fail at once with the service's code and what to do.\n"
    "\n"
    "## Import\n"
    "\n"
    "The image copy can be imported by its ID, or by `<region>/<id>` when the copy lives in a "
    "region other than the provider's (a cross-region copy lives in its target region), e.g.\n"
    "\n"
    "```bash\n"
    "$ terraform import huaweicloud_images_image_copy.test 6f3d2c1e-0a4b-4c5d-8e9f-0123456789ab\n"
    "$ terraform import huaweicloud_images_image_copy.test "
    "cn-south-1/6f3d2c1e-0a4b-4c5d-8e9f-0123456789ab\n"
    "```\n"
    "\n"
    "`source_image_id`, `region` and `target_region` are recovered from the image's data origin. "
    "The API cannot return the following arguments, so after an import they are empty in state:";

static int append_kind(hwims_buf *b, const hwims_attr *a)
{
	const char *req = (a->flags & HWIMS_ATTR_REQUIRED) ? "Required" : "Optional";
	const char *type = "String";

	if (a->type == HWIMS_ATTR_INT)
		type = "Int";
	else if (a->type == HWIMS_ATTR_BOOL)
		type = "Bool";
	else if (a->type == HWIMS_ATTR_STRING_MAP)
		type = "Map";
	return hwims_buf_printf(b, "* `%s` - (%s, %s%s) %s\n\n", a->name, req, type,
	                        (a->flags & HWIMS_ATTR_FORCE_NEW) ? ", ForceNew" : "",
	                        a->description);
}

char *hwims_attrs_resource_doc(void)
{
	hwims_buf b = HWIMS_BUF_INIT;
	size_t n;
	const hwims_attr *t = hwims_attrs(&n);
	int rc = hwims_buf_puts(&b, doc_head);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (t[i].flags & (HWIMS_ATTR_REQUIRED | HWIMS_ATTR_OPTIONAL))
			rc = append_kind(&b, &t[i]);
	}
	if (rc == 0)
		rc =
		    hwims_buf_puts(&b, "## Attribute Reference\n\n"
		                       "In addition to all arguments above, the following "
		                       "attributes are exported:\n\n"
		                       "* `id` - The resource ID: the ID of the copied image.\n\n");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned f = t[i].flags;
		if ((f & (HWIMS_ATTR_REQUIRED | HWIMS_ATTR_OPTIONAL)) ||
		    (f & HWIMS_ATTR_DEPRECATED))
			continue;
		rc = hwims_buf_printf(&b, "* `%s` - %s\n\n", t[i].name, t[i].description);
	}
	if (rc == 0)
		rc = hwims_buf_puts(&b, doc_tail);
	const char *sep = " ";
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (t[i].flags & HWIMS_ATTR_NOT_READ) {
			rc = hwims_buf_printf(&b, "%s`%s`", sep, t[i].name);
			sep = ", ";
		}
	}
	if (rc == 0)
		rc = hwims_buf_puts(
		    &b, ". When the configuration sets them, the next apply adopts the "
		        "configured values in place: no request is sent and the copy is not "
		        "replaced (a later change of them does replace it). A configuration "
		        "generated for an imported copy (`terraform plan "
		        "-generate-config-out`) leaves them null, and the enterprise project "
		        "of a cross-region copy too (it is only an argument within a region); "
		        "it validates and plans no change as it is.\n");
	if (rc != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	return hwims_buf_detach(&b);
}
