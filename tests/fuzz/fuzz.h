/*
 * fuzz.h - what every fuzz target of the project shares.
 *
 * A target is one function, LLVMFuzzerTestOneInput, that feeds one input to
 * one decoder and checks what must hold whatever the input. The same source
 * builds two programs (see tests/fuzz/CMakeLists.txt): a libFuzzer binary
 * (clang, HWIMS_FUZZ=ON) and a replay driver (replay_main.c, any compiler)
 * that CTest runs over the checked-in corpus and seeded mutations of it.
 *
 * The fuzz_input reader turns the raw bytes into the pieces a target needs
 * (NUL-terminated fields, small integers) without ever reading past the end.
 */
#ifndef HWIMS_FUZZ_H
#define HWIMS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The entry point every target defines (libFuzzer's contract: return 0). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Abort with the failed condition when an invariant does not hold: libFuzzer
 * and the replay driver both report an abort as a crash and keep the input.
 */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A cursor over one input. The bytes are borrowed from the caller. */
typedef struct fuzz_input {
	const uint8_t *data;
	size_t size;
	size_t pos;
} fuzz_input;

void fuzz_input_init(fuzz_input *in, const uint8_t *data, size_t size);

/* 1 when every byte was consumed. */
int fuzz_input_done(const fuzz_input *in);

/*
 * The bytes up to the next sep (not included; consumed) or the end, as a
 * NUL-terminated copy (an embedded NUL ends the C string early, which is
 * what a C caller of the decoder would see too). Returns "" copies once the
 * input is exhausted. *len, when not NULL, receives the byte count before the
 * terminator. Never NULL: aborts when out of memory. Caller frees with free().
 */
char *fuzz_input_field(fuzz_input *in, char sep, size_t *len);

/* Everything not consumed yet, as a NUL-terminated copy (see fuzz_input_field). */
char *fuzz_input_rest(fuzz_input *in, size_t *len);

/* The next byte, or 0 once exhausted. */
uint8_t fuzz_input_byte(fuzz_input *in);

/* A NUL-terminated copy of n bytes (aborts when out of memory). Caller frees with free(). */
char *fuzz_strndup(const void *data, size_t n);

#ifdef __cplusplus
}
#endif

#endif
