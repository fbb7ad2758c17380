/*
 * imsd_bench_tool.c - helper of bench/imsd/run.sh.
 *
 *   imsd_bench_tool seed N          the default seed plus N private images in cn-north-4
 *   imsd_bench_tool sign METHOD URL the X-Sdk-Date and Authorization headers (one per line)
 *                                   for a GET of URL with the default seed's first credential,
 *                                   valid for the gateway's 15 minutes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include <hwims/sign.h>

#include "seed.h"

static int make_seed(long n)
{
	json_t *seed = json_loads(imsd_default_seed_json, 0, NULL);
	json_t *images = json_object_get(seed, "images");
	char id[64], name[64];

	if (!seed || !json_is_array(images))
		return 1;
	for (long i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "b0000000-0000-4000-8000-%012ld", i);
		snprintf(name, sizeof(name), "bench-image-%05ld", i);
		json_array_append_new(
		    images,
		    json_pack(
		        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
		        "region", "cn-north-4", "id", id, "name", name, "__description",
		        "benchmark image", "__os_type", "Linux", "__platform", "Ubuntu",
		        "__os_version", "Ubuntu 22.04 server 64bit", "virtual_env_type",
		        "FusionCompute", "min_disk", 40, "min_ram", 0, "max_ram", "0",
		        "__image_size", "2147483648", "__support_kvm", "true", "hw_firmware_type",
		        "bios", "created_at", "2026-02-01T00:00:00Z", "updated_at",
		        "2026-02-01T00:00:00Z", "active_at", "2026-02-01T00:00:00Z"));
	}
	json_object_set_new(seed, "quotas",
	                    json_pack("{s:i,s:i}", "private_images_per_region", 1000000,
	                              "concurrent_cross_region_copies", 5));
	json_dumpf(seed, stdout, JSON_INDENT(1));
	json_decref(seed);
	return 0;
}

static int sign(const char *method, const char *url)
{
	char host[256], path[4096], date[20];
	const char *p = strstr(url, "://"), *slash, *q;
	hwims_signature sig;
	hwims_error err;

	if (!p)
		return 1;
	p += 3;
	slash = strchr(p, '/');
	if (!slash)
		return 1;
	snprintf(host, sizeof(host), "%.*s", (int)(slash - p), p);
	q = strchr(slash, '?');
	snprintf(path, sizeof(path), "%.*s", (int)(q ? q - slash : (long)strlen(slash)), slash);
	hwims_sign_date(time(NULL), date, sizeof(date));
	hwims_header hs[2] = {{"Host", host}, {"X-Sdk-Date", date}};
	hwims_sign_request sr = {method, path, q ? q + 1 : NULL, hs, 2, NULL, 0};
	if (hwims_sign(&sr, "HWIMSDEMOACCESSKEY01", "hwimsDemoSecretKey0123456789abcdefghijklm",
	               &sig, &err)) {
		fprintf(stderr, "sign: %s\n", err.message);
		return 1;
	}
	printf("X-Sdk-Date: %s\nAuthorization: %s\n", date, sig.authorization);
	hwims_signature_free(&sig);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "seed") == 0)
		return make_seed(atol(argv[2]));
	if (argc == 4 && strcmp(argv[1], "sign") == 0)
		return sign(argv[2], argv[3]);
	fprintf(stderr, "usage: imsd_bench_tool seed N | sign METHOD URL\n");
	return 2;
}
