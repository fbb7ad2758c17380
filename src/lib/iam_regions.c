/* iam_regions.c - the regions of the visible IAM projects (see hwims/regions.h). */
#include "hwims/regions.h"

#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

void hwims_regions_free(char **names, size_t count)
{
	for (size_t i = 0; names && i < count; i++)
		free(names[i]);
	free(names);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the region of project name to set (an object used as a set) unless it is not one. */
static int add_region(json_t *set, const char *name)
{
	size_t n = strcspn(name, "_");

	if (n == 0 || strcmp(name, "MOS") == 0)
		return 0;
	char *region = strndup(name, n);
	int rc = region ? json_object_set_new(set, region, json_true()) : -1;
	free(region);
	return rc;
}

/* The path of the next page, from links.next (absolute URL or path), or NULL at the end. */
static char *next_path(json_t *answer)
{
	const char *next =
	    json_string_value(json_object_get(json_object_get(answer, "links"), "next"));
	const char *v3 = next ? strstr(next, "v3/projects") : NULL;

	return v3 ? strdup(v3) : NULL;
}

/* Every project's region into set, page after page (at most 1000 pages). */
static int collect(hwims_client *c, hwims_cancel *cancel, json_t *set, hwims_error *err)
{
	char *path = strdup("v3/projects");

	for (int page = 0; path && page < 1000; page++) {
		json_t *answer = NULL, *p;
		size_t i;
		int rc = api_call_json(c, HWIMS_SVC_IAM, hwims_client_region(c), "GET", path, NULL,
		                       NULL, API_IDEMPOTENT, cancel, &answer, err);
		free(path);
		path = NULL;
		if (rc != 0)
			return hwims_error_prefix(err, "listing the IAM projects: ");
		json_array_foreach(json_object_get(answer, "projects"), i, p)
		{
			const char *name = json_string_value(json_object_get(p, "name"));
			if (name && add_region(set, name) != 0)
				rc = hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		}
		path = rc == 0 ? next_path(answer) : NULL;
		json_decref(answer);
		if (rc != 0)
			return -1;
	}
	free(path);
	return 0;
}

int hwims_client_regions(hwims_client *c, hwims_cancel *cancel, char ***names, size_t *count,
                         hwims_error *err)
{
	json_t *set = json_object();
	const char *key;
	json_t *v;
	size_t n = 0;

	*names = NULL;
	*count = 0;
	if (!set || collect(c, cancel, set, err) != 0) {
		json_decref(set);
		return set ? -1 : hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	char **out = calloc(json_object_size(set) + 1, sizeof(char *));
	int bad = !out;
	json_object_foreach(set, key, v)
	{
		if (!bad && !(out[n++] = strdup(key)))
			bad = 1;
	}
	json_decref(set);
	if (bad) {
		hwims_regions_free(out, n);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	qsort(out, n, sizeof(char *), by_name);
	*names = out;
	*count = n;
	return 0;
}
