/* str.c - the string helpers libhwims shares between its files (see base.h). */
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "hwims/hex.h"

char *str_dup_set(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

int hwims_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
