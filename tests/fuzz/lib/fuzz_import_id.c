/*
 * fuzz_import_id.c - the import ID of `terraform import` (hwims_image_copy_import).
 *
 * Input, line by line:
 *   REGION          the client's default region (empty: none configured)
 *   IMPORT_ID       the rest: "<image_id>" or "<region>/<image_id>" or anything else
 *
 * The client points at a closed loopback port and the cancel token is triggered
 * before the call, so the import parses the ID, expands the endpoint for the region,
 * looks up the project, builds the request and stops before sending anything.
 *
 * What must hold:
 *  - a default region that is not a region name is refused by the configuration;
 *  - the call fails (nothing was read), with the spec zeroed and no image;
 *  - an ID the header calls malformed (empty, with a space, a '/' first or last, two
 *    '/', or no region when none is configured) is HWIMS_ERR_USAGE on attribute "id";
 *  - a well-formed ID is never refused as malformed: it gets as far as the request
 *    (HWIMS_ERR_CANCELLED), or is refused because the region makes no valid URL;
 *  - no error message holds the secret key (unless the input itself does).
 */
#include <string.h>

#include "fuzz.h"
#include "hwims/cancel.h"
#include "hwims/client.h"
#include "hwims/config.h"
#include "hwims/error.h"
#include "hwims/image_copy.h"

#define FUZZ_SK "fuzz-secret-key-0123456789abcdef"

/* The header's grammar, written independently of the parser under test. */
static int well_formed(const char *id, int have_default_region)
{
	if (!*id || strchr(id, ' '))
		return 0;
	const char *slash = strchr(id, '/');
	if (!slash)
		return have_default_region;
	return slash != id && slash[1] != '\0' && !strchr(slash + 1, '/');
}

static int spec_is_zero(const hwims_copy_spec *s)
{
	return !s->source_image_id && !s->name && !s->description && !s->region &&
	       !s->target_region && !s->kms_key_id && !s->enterprise_project_id &&
	       !s->agency_name && !s->vault_id && !s->has_min_ram && !s->has_max_ram &&
	       s->tags.count == 0 && s->tags.items == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in;
	hwims_config_args args;
	hwims_config cfg;
	hwims_client *client = NULL;
	hwims_cancel *cancel = NULL;
	hwims_error err;

	fuzz_input_init(&in, data, size);
	char *region = fuzz_input_field(&in, '\n', NULL);
	char *id = fuzz_input_rest(&in, NULL);

	hwims_config_args_init(&args);
	args.region = region;
	args.access_key = "AKFUZZ";
	args.secret_key = FUZZ_SK;
	args.project_id = "0123456789abcdef0123456789abcdef";
	/* Port 9 (discard) on loopback: nothing is ever sent there, the token is triggered. */
	args.endpoints[HWIMS_SVC_IMS] = "http://127.0.0.1:9/{region}/";
	args.endpoints[HWIMS_SVC_IAM] = "http://127.0.0.1:9/iam/";
	args.endpoints[HWIMS_SVC_EPS] = "http://127.0.0.1:9/eps/";
	args.max_retries = 0;
	char *const env[] = {NULL};
	if (hwims_config_load(&cfg, &args, env, &err) != 0) {
		/* Only a default region that is not a region name is refused. */
		FUZZ_CHECK(region[0] && !hwims_region_name_valid(region));
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE && strcmp(err.attribute, "region") == 0);
		free(id);
		free(region);
		return 0;
	}
	FUZZ_CHECK(hwims_client_new(&client, &cfg, NULL, &err) == 0);
	FUZZ_CHECK(hwims_cancel_new(&cancel, &err) == 0);
	hwims_cancel_trigger(cancel);

	hwims_copy_options opts;
	memset(&opts, 0, sizeof(opts));
	opts.cancel = cancel;
	hwims_copy_spec spec;
	memset(&spec, 0x5a, sizeof(spec)); /* must be reset whatever happens */
	hwims_image *img = (hwims_image *)&in;

	hwims_error_clear(&err);
	int rc = hwims_image_copy_import(client, id, &opts, &spec, &img, &err);
	FUZZ_CHECK(rc == -1);
	FUZZ_CHECK(img == NULL);
	FUZZ_CHECK(spec_is_zero(&spec));
	/* (The ID is echoed in messages: an input holding the key itself proves nothing.) */
	if (!strstr(id, FUZZ_SK) && !strstr(region, FUZZ_SK))
		FUZZ_CHECK(strstr(err.message, FUZZ_SK) == NULL);
	int have_region = region[0] != '\0';
	if (!well_formed(id, have_region)) {
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
		FUZZ_CHECK(strcmp(err.attribute, "id") == 0);
	} else if (err.kind != HWIMS_ERR_CANCELLED) {
		if (err.kind != HWIMS_ERR_USAGE || strcmp(err.attribute, "id") == 0) {
			fprintf(stderr, "import of well-formed ID \"%s\": %s: %s\n", id,
			        hwims_error_kind_name(err.kind), err.message);
			FUZZ_CHECK(!"a well-formed ID gets as far as the request");
		}
	}
	/* Also without an error to fill: the workflow must cope with err == NULL. */
	FUZZ_CHECK(hwims_image_copy_import(client, id, &opts, &spec, NULL, NULL) == -1);
	FUZZ_CHECK(spec_is_zero(&spec));

	hwims_cancel_free(cancel);
	hwims_client_free(client);
	hwims_config_free(&cfg);
	free(id);
	free(region);
	return 0;
}
