/* fuzz_input.c - the input cursor shared by the fuzz targets (see fuzz.h). */
#include "fuzz.h"

#include <string.h>

void fuzz_input_init(fuzz_input *in, const uint8_t *data, size_t size)
{
	/* Never NULL, so that pointer arithmetic on an empty input stays defined. */
	static const uint8_t empty[1] = {0};

	in->data = data ? data : empty;
	in->size = data ? size : 0;
	in->pos = 0;
}

int fuzz_input_done(const fuzz_input *in)
{
	return in->pos >= in->size;
}

char *fuzz_strndup(const void *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s) {
		/* A harness that silently skipped inputs on ENOMEM would hide bugs: stop loudly. */
		fprintf(stderr, "fuzz: out of memory copying %zu bytes\n", n);
		abort();
	}
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

char *fuzz_input_field(fuzz_input *in, char sep, size_t *len)
{
	size_t start = in->pos;
	size_t avail = in->size - start;
	const uint8_t *p = avail ? memchr(in->data + start, (unsigned char)sep, avail) : NULL;
	size_t n = p ? (size_t)(p - (in->data + start)) : avail;

	in->pos = start + n + (p ? 1 : 0);
	if (len)
		*len = n;
	return fuzz_strndup(in->data + start, n);
}

char *fuzz_input_rest(fuzz_input *in, size_t *len)
{
	size_t start = in->pos;
	size_t n = in->size - start;

	in->pos = in->size;
	if (len)
		*len = n;
	return fuzz_strndup(in->data + start, n);
}

uint8_t fuzz_input_byte(fuzz_input *in)
{
	if (in->pos >= in->size)
		return 0;
	return in->data[in->pos++];
}
