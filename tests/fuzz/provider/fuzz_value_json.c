/*
 * fuzz_value_json.c - the cty JSON decoder (prov_value_from_json), which reads the stored
 * state Terraform hands to UpgradeResourceState (RawState.json) and DynamicValue.json.
 *
 * Input: one byte choosing the type (fuzz_types.h), then the JSON text. What must hold:
 *  - a refused input says why and yields no value;
 *  - an accepted value is wholly known and encodes to JSON that decodes again; from there on
 *    the JSON is a fixed point (decode + encode gives the same text). The first round may
 *    change numbers that need more than double precision: jansson reads such numbers as
 *    doubles (a documented limitation of json.c), so equality is checked from the second round;
 *  - the value round-trips exactly through msgpack.
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
	if (prov_value_from_json(t, (const char *)data + 1, size - 1, &v, &err) != 0) {
		FUZZ_CHECK(v == NULL);
		FUZZ_CHECK(err.kind != HWIMS_ERR_NONE && err.message[0] != '\0');
		prov_type_unref(t);
		return 0;
	}
	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK(prov_value_wholly_known(v));

	hwims_buf j1 = HWIMS_BUF_INIT, j2 = HWIMS_BUF_INIT, m = HWIMS_BUF_INIT;
	FUZZ_CHECK(prov_value_to_json(v, t, &j1, &err) == 0);
	prov_value *w = NULL;
	if (prov_value_from_json(t, j1.data, j1.len, &w, &err) != 0) {
		fprintf(stderr, "our JSON %s does not decode: %s\n", j1.data, err.message);
		FUZZ_CHECK(!"own JSON decodes");
	}
	FUZZ_CHECK(prov_value_to_json(w, t, &j2, &err) == 0);
	prov_value *w2 = NULL;
	FUZZ_CHECK(prov_value_from_json(t, j2.data, j2.len, &w2, &err) == 0);
	FUZZ_CHECK(prov_value_equal(w, w2));
	hwims_buf j3 = HWIMS_BUF_INIT;
	FUZZ_CHECK(prov_value_to_json(w2, t, &j3, &err) == 0);
	FUZZ_CHECK(j2.len == j3.len && memcmp(j2.data, j3.data, j2.len) == 0);
	hwims_buf_free(&j3);
	prov_value_free(w2);

	FUZZ_CHECK(prov_value_to_msgpack(v, t, &m, &err) == 0);
	prov_value *x = NULL;
	FUZZ_CHECK(prov_value_from_msgpack(t, m.data, m.len, &x, &err) == 0);
	FUZZ_CHECK(prov_value_equal(v, x));

	hwims_buf_free(&j1);
	hwims_buf_free(&j2);
	hwims_buf_free(&m);
	prov_value_free(v);
	prov_value_free(w);
	prov_value_free(x);
	prov_type_unref(t);
	return 0;
}
