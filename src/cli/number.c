/* number.c - integers read from flags and the environment, below every other file of the CLI
 * (the terminal code reads COLUMNS and LINES with it). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli.h"

int cli_parse_int64(const char *text, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}
