/*
 * fuzz_value_msgpack.c - the cty msgpack decoder (prov_value_from_msgpack), which reads every
 * DynamicValue Terraform sends.
 *
 * Input: one byte choosing the type (fuzz_types.h), then the msgpack bytes. What must hold:
 *  - a refused input says why (an error kind and message) and yields no value;
 *  - an accepted value encodes; the encoding decodes to an equal value, and encoding that
 *    again gives the same bytes (the encoder's output is canonical);
 *  - wholly known values also survive the JSON codec.
 */
#include <string.h>

#include "fuzz.h"
#include "fuzz_types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static prov_schemas schemas;
	static int built;
	if (size < 1)
		return 0;
	prov_type *t = fuzz_type(data[0], &schemas, &built);
	prov_value *v = NULL;
	hwims_error err;
	memset(&err, 0, sizeof(err));
	if (prov_value_from_msgpack(t, data + 1, size - 1, &v, &err) != 0) {
		FUZZ_CHECK(v == NULL);
		FUZZ_CHECK(err.kind != HWIMS_ERR_NONE && err.message[0] != '\0');
		prov_type_unref(t);
		return 0;
	}
	FUZZ_CHECK(v != NULL);

	hwims_buf b1 = HWIMS_BUF_INIT, b2 = HWIMS_BUF_INIT;
	FUZZ_CHECK(prov_value_to_msgpack(v, t, &b1, &err) == 0);
	prov_value *w = NULL;
	if (prov_value_from_msgpack(t, b1.data, b1.len, &w, &err) != 0) {
		fprintf(stderr, "re-decoding our own encoding failed: %s\n", err.message);
		FUZZ_CHECK(!"own encoding decodes");
	}
	FUZZ_CHECK(prov_value_equal(v, w));
	FUZZ_CHECK(prov_value_to_msgpack(w, t, &b2, &err) == 0);
	FUZZ_CHECK(b1.len == b2.len && memcmp(b1.data, b2.data, b1.len) == 0);

	if (prov_value_wholly_known(v)) {
		hwims_buf j = HWIMS_BUF_INIT;
		int rc = prov_value_to_json(v, t, &j, &err);
		/* JSON has no infinity; anything else known must encode */
		if (rc == 0) {
			prov_value *x = NULL;
			if (prov_value_from_json(t, j.data, j.len, &x, &err) != 0) {
				fprintf(stderr, "JSON %s does not decode: %s\n", j.data,
				        err.message);
				FUZZ_CHECK(!"own JSON decodes");
			}
			prov_value_free(x);
		} else {
			FUZZ_CHECK(err.kind == HWIMS_ERR_INVALID);
		}
		hwims_buf_free(&j);
	}
	hwims_buf_free(&b1);
	hwims_buf_free(&b2);
	prov_value_free(v);
	prov_value_free(w);
	prov_type_unref(t);
	return 0;
}
