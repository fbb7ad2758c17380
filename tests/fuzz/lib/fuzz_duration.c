/*
 * fuzz_duration.c - Go-style duration parsing and formatting (hwims/duration.h).
 *
 * The whole input is the text to parse. What must hold:
 *  - a failed parse leaves the output untouched and says why (HWIMS_ERR_USAGE);
 *  - a parsed value formats into fewer than 32 bytes (the header's promise), and
 *    the formatted text parses back to the same value;
 *  - formatting into a short buffer gives a NUL-terminated prefix of the full text;
 *  - the first 8 bytes read as any int64 also survive format -> parse.
 */
#include <string.h>

#include "fuzz.h"
#include "hwims/duration.h"
#include "hwims/error.h"

#define SENTINEL INT64_C(0x5a5a5a5a5a5a5a5a)

static void check_round_trip(int64_t ns)
{
	char text[64];
	int64_t back = SENTINEL;
	hwims_error err;

	memset(text, 'x', sizeof(text));
	hwims_duration_format(ns, text, sizeof(text));
	FUZZ_CHECK(strlen(text) < 32);
	if (hwims_duration_parse(text, &back, &err) != 0) {
		fprintf(stderr, "format(%lld) = \"%s\" does not parse: %s\n", (long long)ns, text,
		        err.message);
		FUZZ_CHECK(!"a formatted duration parses");
	}
	FUZZ_CHECK(back == ns);

	/* Truncation: every shorter buffer holds a terminated prefix. */
	size_t full = strlen(text);
	for (size_t cap = 1; cap <= full; cap++) {
		char small[64];
		memset(small, 'x', sizeof(small));
		hwims_duration_format(ns, small, cap);
		FUZZ_CHECK(small[cap - 1] == '\0');
		FUZZ_CHECK(strncmp(small, text, cap - 1) == 0);
		FUZZ_CHECK(small[cap] == 'x'); /* nothing written past buflen */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	int64_t ns = SENTINEL;
	hwims_error err;

	hwims_error_clear(&err);
	if (hwims_duration_parse(text, &ns, &err) == 0) {
		FUZZ_CHECK(err.kind == HWIMS_ERR_NONE || err.kind == HWIMS_ERR_USAGE);
		check_round_trip(ns);
	} else {
		FUZZ_CHECK(ns == SENTINEL);
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
		FUZZ_CHECK(err.message[0] != '\0');
		FUZZ_CHECK(strnlen(err.message, sizeof(err.message)) < sizeof(err.message));
	}

	if (size >= 8) {
		uint64_t raw = 0;
		for (int i = 0; i < 8; i++)
			raw = (raw << 8) | data[i];
		check_round_trip((int64_t)raw);
	}
	free(text);
	return 0;
}
