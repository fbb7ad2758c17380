/*
 * image_query_doc.c - the Registry-layout pages of the data sources huaweicloud_images_image and
 * huaweicloud_images_images, generated from the argument and attribute tables of
 * image_query.c (the provider builds the schemas from the same tables), so that the docs
 * cannot drift from the schema.
 */
#include "hwims/buf.h"
#include "hwims/image_query.h"

#include <stdlib.h>
#include <string.h>

static const char one_head[] =
    "---\n"
    "subcategory: \"Image Management Service (IMS)\"\n"
    "layout: \"huaweicloud\"\n"
    "page_title: \"HuaweiCloud: huaweicloud_images_image\"\n"
    "description: |-\n"
    "  Use this data source to get an available IMS image within HuaweiCloud.\n"
    "---\n"
    "\n"
    "<!-- Generated from the tables in src/lib/image_query.c by scripts/gen-docs; do not "
    "edit. -->\n"
    "\n"
    "# huaweicloud_images_image\n"
    "\n"
    "Use this data source to get an available IMS image within HuaweiCloud. The query pages "
    "through every result; when it finds no image, or several without `most_recent = true`, "
    "the read fails and says which.\n"
    "\n"
    "## Example Usage\n"
    "\n"
    "```hcl\n"
    "data \"huaweicloud_images_image\" \"ubuntu\" {\n"
    "  name        = \"Ubuntu 22.04 server 64bit\"\n"
    "  visibility  = \"public\"\n"
    "  most_recent = true\n"
    "}\n"
    "\n"
    "data \"huaweicloud_images_image\" \"centos\" {\n"
    "  architecture = \"x86\"\n"
    "  name_regex   = \"^CentOS 7\\\\.[0-9]\"\n"
    "  visibility   = \"public\"\n"
    "  most_recent  = true\n"
    "}\n"
    "\n"
    "resource \"huaweicloud_images_image_copy\" \"golden\" {\n"
    "  source_image_id = data.huaweicloud_images_image.ubuntu.id\n"
    "  name            = \"golden-ubuntu\"\n"
    "}\n"
    "```\n"
    "\n";

static const char many_head[] =
    "---\n"
    "subcategory: \"Image Management Service (IMS)\"\n"
    "layout: \"huaweicloud\"\n"
    "page_title: \"HuaweiCloud: huaweicloud_images_images\"\n"
    "description: |-\n"
    "  Use this data source to get available IMS images within HuaweiCloud.\n"
    "---\n"
    "\n"
    "<!-- Generated from the tables in src/lib/image_query.c by scripts/gen-docs; do not "
    "edit. -->\n"
    "\n"
    "# huaweicloud_images_images\n"
    "\n"
    "Use this data source to get available IMS images within HuaweiCloud. The query pages "
    "through every result, so `images` is never truncated at one page of the API.\n"
    "\n"
    "## Example Usage\n"
    "\n"
    "```hcl\n"
    "data \"huaweicloud_images_images\" \"centos\" {\n"
    "  architecture = \"x86\"\n"
    "  os           = \"CentOS\"\n"
    "  visibility   = \"public\"\n"
    "}\n"
    "\n"
    "data \"huaweicloud_images_images\" \"golden_copies\" {\n"
    "  tag = \"role=golden\"\n"
    "}\n"
    "\n"
    "output \"golden_copy_ids\" {\n"
    "  value = data.huaweicloud_images_images.golden_copies.images[*].id\n"
    "}\n"
    "```\n"
    "\n";

static const char *type_name(hwims_attr_type t)
{
	return t == HWIMS_ATTR_BOOL ? "Bool" : t == HWIMS_ATTR_INT ? "Int" : "String";
}

static int arguments(hwims_buf *b, unsigned which)
{
	size_t n;
	const hwims_query_arg *a = hwims_query_args(&n);
	int rc = hwims_buf_puts(b, "## Argument Reference\n\n");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (a[i].in & which)
			rc = hwims_buf_printf(b, "* `%s` - (Optional, %s) %s\n\n", a[i].name,
			                      type_name(a[i].type), a[i].description);
	}
	return rc;
}

static int is_argument(const char *name, unsigned which)
{
	size_t n;
	const hwims_query_arg *a = hwims_query_args(&n);
	for (size_t i = 0; i < n; i++)
		if ((a[i].in & which) && strcmp(a[i].name, name) == 0)
			return 1;
	return 0;
}

/* The image attributes of which; with skip_arguments those that are not arguments too. */
static int image_attrs(hwims_buf *b, unsigned which, int skip_arguments)
{
	size_t n;
	const hwims_query_attr *t = hwims_query_attrs(&n);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!(t[i].in & which) || strcmp(t[i].name, "id") == 0 ||
		    (skip_arguments && is_argument(t[i].name, which)))
			continue;
		rc = hwims_buf_printf(b, "* `%s` - %s\n\n", t[i].name, t[i].description);
	}
	return rc;
}

char *hwims_query_data_source_doc(unsigned which)
{
	hwims_buf b = HWIMS_BUF_INIT;
	int one = which == HWIMS_QUERY_IN_ONE;
	int rc = hwims_buf_puts(&b, one ? one_head : many_head);
	if (rc == 0)
		rc = arguments(&b, which);
	if (rc == 0)
		rc = hwims_buf_puts(&b, "## Attribute Reference\n\n"
		                        "In addition to all arguments above, the following "
		                        "attributes are exported:\n\n");
	if (rc == 0 && one)
		rc =
		    hwims_buf_puts(&b, "* `id` - The data source ID, the same as `image_id`.\n\n"
		                       "The arguments `region`, `image_id`, `name`, `image_type`, "
		                       "`visibility`, `owner`, `os`, `architecture` and "
		                       "`enterprise_project_id` hold the found image's values when "
		                       "they are not set.\n\n");
	if (rc == 0 && !one)
		rc = hwims_buf_puts(&b,
		                    "* `id` - The data source ID.\n\n"
		                    "* `images` - All images that match the filter arguments. The "
		                    "[images](#ims_images) structure is documented below.\n\n"
		                    "<a name=\"ims_images\"></a>\n"
		                    "The `images` block supports:\n\n"
		                    "* `id` - The ID of the image.\n\n");
	if (rc == 0)
		rc = image_attrs(&b, which, one);
	if (rc != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	/* one trailing newline, as the checked-in pages end */
	while (b.len > 1 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n')
		b.data[--b.len] = '\0';
	return b.data;
}
