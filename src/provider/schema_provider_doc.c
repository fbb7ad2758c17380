/*
 * schema_provider_doc.c - the provider page, docs/index.md, in the Registry's layout, written
 * from the provider-argument table (schema_provider.c) so that every argument, its environment
 * variable and whether this provider implements it are listed exactly as the schema has them.
 * tests/unit/provider/test_provider_doc.c checks the checked-in page against it.
 */
#include <stdlib.h>
#include <string.h>

#include "hwims/buf.h"
#include "prov_schema.h"

static const char head[] =
    "---\n"
    "layout: \"huaweicloud\"\n"
    "page_title: \"Provider: HuaweiCloud (image copies)\"\n"
    "description: |-\n"
    "  A provider for IMS image copies that accepts the official huaweicloud provider's "
    "block.\n"
    "---\n\n"
    "<!-- Generated from the provider-argument table in src/provider/schema_provider.c by "
    "scripts/gen-docs; do not edit. -->\n\n"
    "# HuaweiCloud Provider (image copies)\n\n"
    "This provider serves `huaweicloud_images_image_copy` and the data sources "
    "`huaweicloud_images_image` and `huaweicloud_images_images`. Its provider block takes every "
    "argument of the official `huaweicloud/huaweicloud` provider, with the same names, types and "
    "environment variables, so a block written for the official provider loads unchanged. The "
    "arguments it does not implement are refused when the configuration is validated, with what "
    "to use instead; see the Configuration Reference.\n\n"
    "## Example Usage\n\n"
    "```hcl\n"
    "terraform {\n"
    "  required_providers {\n"
    "    huaweicloud = {\n"
    "      source = \"huaweicloud/huaweicloud\"\n"
    "    }\n"
    "  }\n"
    "}\n\n"
    "provider \"huaweicloud\" {\n"
    "  region     = \"cn-north-4\"\n"
    "  access_key = \"my-access-key\"\n"
    "  secret_key = \"my-secret-key\"\n"
    "}\n"
    "```\n\n";

static const char auth[] =
    "## Authentication\n\n"
    "Credentials are taken from the first of these that is set: the provider block, the "
    "environment, the shared configuration file, the ECS metadata service. Any of them may be "
    "combined with `assume_role`.\n\n"
    "### Static credentials\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {\n"
    "  region     = \"cn-north-4\"\n"
    "  access_key = \"my-access-key\"\n"
    "  secret_key = \"my-secret-key\"\n"
    "}\n"
    "```\n\n"
    "Temporary credentials add their security token:\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {\n"
    "  region         = \"cn-north-4\"\n"
    "  access_key     = \"my-access-key\"\n"
    "  secret_key     = \"my-secret-key\"\n"
    "  security_token = \"my-security-token\"\n"
    "}\n"
    "```\n\n"
    "### Environment variables\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {}\n"
    "```\n\n"
    "```sh\n"
    "export HW_ACCESS_KEY=\"my-access-key\"\n"
    "export HW_SECRET_KEY=\"my-secret-key\"\n"
    "export HW_SECURITY_TOKEN=\"my-security-token\"   # temporary credentials only\n"
    "export HW_REGION_NAME=\"cn-north-4\"\n"
    "terraform plan\n"
    "```\n\n"
    "### Shared configuration file\n\n"
    "The Huawei Cloud CLI's configuration file, saved unencrypted "
    "(`hcloud configure set --cli-auth-encrypt=false`). Its profiles may hold an access key, "
    "temporary credentials or an agency to assume. Without `profile`, the file's current "
    "profile is used.\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {\n"
    "  shared_config_file = \"/home/tf_user/.hcloud/config.json\"\n"
    "  profile            = \"customprofile\"\n"
    "}\n"
    "```\n\n"
    "### ECS metadata service\n\n"
    "On an ECS instance with an agency attached, a block without credentials gets temporary "
    "credentials from the instance's metadata service and renews them before they expire.\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {\n"
    "  region = \"cn-north-4\"\n"
    "}\n"
    "```\n\n"
    "### Assume role\n\n"
    "With an IAM agency, every call is made with temporary credentials for the agency, obtained "
    "from IAM with the credentials found as above and renewed before they expire, so a copy "
    "that outlasts them keeps going.\n\n"
    "```hcl\n"
    "provider \"huaweicloud\" {\n"
    "  region     = \"cn-north-4\"\n"
    "  access_key = \"my-access-key\"\n"
    "  secret_key = \"my-secret-key\"\n\n"
    "  assume_role {\n"
    "    agency_name = \"agency\"\n"
    "    domain_name = \"agency_domain\"\n"
    "  }\n"
    "}\n"
    "```\n\n"
    "### Beside the official provider\n\n"
    "Installed under a second address, this provider serves the image copies while the "
    "official one serves every other resource; see the project README.\n\n";

static const char *kind_name(int kind)
{
	switch (kind) {
	case 'b':
		return "Bool";
	case 'n':
		return "Number";
	case 'm':
		return "Map";
	case 'L':
		return "List";
	case 'l':
		return "List, at most 1";
	default:
		return "String";
	}
}

/* " If omitted, `A` is read." (or "`A`, `B` are read"): the fallbacks, space separated. Each
   writer returns 0, or -1 when out of memory (accumulated with |=). */
static int put_env(hwims_buf *b, const char *env, int nested)
{
	if (!env)
		return 0;
	/* a nested block's variables also stand in for the block itself when it is absent */
	int rc = hwims_buf_puts(b, nested ? " When the block or this argument is absent, "
	                                  : " If omitted, ");
	for (const char *p = env; *p;) {
		size_t len = strcspn(p, " ");
		rc |= hwims_buf_printf(b, "%s`%.*s`", p == env ? "" : ", ", (int)len, p);
		p += len;
		p += strspn(p, " ");
	}
	return rc | hwims_buf_puts(b, strchr(env, ' ') ? " are read." : " is read.");
}

static int put_arg(hwims_buf *b, const prov_provider_arg *a, int nested)
{
	int rc = hwims_buf_printf(
	    b, "* `%s` - (%s, %s%s) %s", a->name,
	    (a->flags & PROV_A_REQUIRED) ? "Required" : "Optional", kind_name(a->kind),
	    (a->flags & PROV_A_SENSITIVE) ? ", Sensitive" : "", a->description);
	rc |= put_env(b, a->env, nested);
	if (a->support == PROV_ARG_REJECTED && a->instead)
		rc |= hwims_buf_printf(b, " **Not implemented**: setting it is an error; %s.",
		                       a->instead);
	else if (a->support == PROV_ARG_NO_EFFECT)
		rc |= hwims_buf_printf(b, " Accepted, with no effect: %s.", a->instead);
	return rc | hwims_buf_puts(b, "\n\n");
}

static int put_args(hwims_buf *b, const prov_provider_arg *args, size_t n, int nested)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		rc |= put_arg(b, &args[i], nested);
	return rc;
}

char *prov_provider_doc(void)
{
	size_t n;
	const prov_provider_arg *args = prov_provider_args(&n);
	hwims_buf b = HWIMS_BUF_INIT;
	int rc = hwims_buf_puts(&b, head);
	rc |= hwims_buf_puts(&b, auth);
	rc |= hwims_buf_puts(
	    &b, "## Configuration Reference\n\n"
	        "Every argument of the block is optional. An argument set to an empty string "
	        "counts as omitted. The `OS_*` variables the official provider also "
	        "reads are not read, nor are `HW_USER_NAME`, `HW_USER_ID`, "
	        "`HW_USER_PASSWORD`, `HW_AUTH_TOKEN` and `HW_SIGNING_ALGORITHM`: "
	        "configuring the provider warns when one of them is set.\n\n");
	rc |= put_args(&b, args, n, 0);
	for (size_t i = 0; i < n; i++) {
		if (args[i].kind != 'l')
			continue;
		rc |= hwims_buf_printf(&b, "The `%s` block supports:\n\n", args[i].name);
		rc |= put_args(&b, args[i].block, args[i].n_block, 1);
	}
	if (rc != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	return hwims_buf_detach(&b);
}
