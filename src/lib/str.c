/* str.c - the string helpers libhwims shares between its files (see base.h). */
#include <stdlib.h>
#include <string.h>

#include "base.h"

char *str_dup_set(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}
