/* handshake.c - go-plugin launch contract (see prov_handshake.h). */
#include "prov_handshake.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/buf.h"

static int offers_version_6(const char *versions)
{
	if (!versions || !*versions)
		return 1;
	const char *p = versions;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > start && end[-1] == ' ')
			end--;
		if (end - start == 1 && *start == '6')
			return 1;
	}
	return 0;
}

int prov_handshake_check(const char *cookie, const char *versions, hwims_error *err)
{
	if (!cookie || strcmp(cookie, PROV_COOKIE_VALUE) != 0)
		return hwims_error_set(
		    err, HWIMS_ERR_USAGE,
		    "This binary is a plugin. These are not meant to be executed directly.\n"
		    "It is the Terraform/OpenTofu provider for huaweicloud_images_image_copy: "
		    "terraform or tofu start it themselves (see README.md, \"Using the provider "
		    "with terraform and tofu\").\n"
		    "To run it by hand for debugging, start it with --debug and export the "
		    "TF_REATTACH_PROVIDERS value it prints.");
	if (!offers_version_6(versions))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "the client offers plugin protocol versions %s, but this "
		                       "provider speaks only protocol 6 (Terraform 1.0 or later, "
		                       "any OpenTofu)",
		                       versions);
	return 0;
}

char *prov_handshake_line(const char *network, const char *address, const char *cert_b64)
{
	hwims_buf b = HWIMS_BUF_INIT;
	if (hwims_buf_printf(&b, "1|%d|%s|%s|grpc|%s\n", PROV_PROTOCOL_VERSION, network, address,
	                     cert_b64 ? cert_b64 : "") != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	return hwims_buf_detach(&b);
}

char *prov_reattach_json(const char *network, const char *address, long pid)
{
	json_t *root =
	    json_pack("{s:{s:s,s:i,s:I,s:b,s:{s:s,s:s}}}", PROV_PROVIDER_ADDRESS, "Protocol",
	              "grpc", "ProtocolVersion", PROV_PROTOCOL_VERSION, "Pid", (json_int_t)pid,
	              "Test", 1, "Addr", "Network", network, "String", address);
	if (!root)
		return NULL;
	char *s = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	return s;
}
