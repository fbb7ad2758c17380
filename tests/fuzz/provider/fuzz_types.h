/*
 * fuzz_types.h - the types the value fuzzers decode against, picked by the first input byte:
 * primitives, collections, dynamic, an object with every kind inside, and the resource's own
 * implied type (what Terraform really sends).
 */
#ifndef PROV_FUZZ_TYPES_H
#define PROV_FUZZ_TYPES_H

#include <string.h>

#include "fuzz.h"
#include "prov_schema.h"
#include "prov_value.h"

#define FUZZ_TYPE_COUNT 10

/* Returns a new reference (prov_type_unref it) for index % FUZZ_TYPE_COUNT. *schemas is built
   on first use and kept for the process (the fuzzer calls the target millions of times). */
static prov_type *fuzz_type(unsigned index, prov_schemas *schemas, int *built)
{
	static const char *const json[] = {
	    "\"string\"",
	    "\"number\"",
	    "\"bool\"",
	    "\"dynamic\"",
	    "[\"list\",\"string\"]",
	    "[\"set\",\"number\"]",
	    "[\"map\",[\"list\",\"bool\"]]",
	    "[\"tuple\",[\"string\",\"number\",\"dynamic\"]]",
	    "[\"object\",{\"a\":\"string\",\"b\":[\"set\",[\"object\",{\"c\":\"number\"}]],"
	    "\"d\":\"dynamic\",\"e\":[\"map\",\"string\"]}]",
	};
	index %= FUZZ_TYPE_COUNT;
	if (index == FUZZ_TYPE_COUNT - 1) {
		if (!*built) {
			hwims_error err;
			FUZZ_CHECK(prov_schemas_build(schemas, &err) == 0);
			*built = 1;
		}
		return prov_type_ref(schemas->resource.implied);
	}
	prov_type *t = NULL;
	hwims_error err;
	FUZZ_CHECK(prov_type_from_json(json[index], strlen(json[index]), &t, &err) == 0);
	return t;
}

#endif
