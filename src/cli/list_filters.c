/* list_filters.c - the filters of `hwims list` and the query behind it, in one region or in
 * all of them at once (see list_filters.h). */
#include "list_filters.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/regions.h"

void cli_list_args_init(cli_list_args *a)
{
	memset(a, 0, sizeof(*a));
	a->q = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	a->q.visibility = "private";
	a->q.status = "*"; /* copies still being made are listed too */
	a->q.sort_key = "created_at";
	a->q.sort_direction = "desc";
}

int cli_list_option(cli_list_args *a, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_LIST_NAME:
		a->q.name = arg;
		return 1;
	case CLI_OPT_LIST_REGEX:
		a->q.name_regex = arg;
		return 1;
	case CLI_OPT_LIST_TAG:
		a->q.tag = arg;
		return 1;
	case CLI_OPT_LIST_OS:
		a->q.os = arg;
		return 1;
	case CLI_OPT_LIST_ARCH:
		a->q.architecture = arg;
		return 1;
	case CLI_OPT_LIST_VISIBILITY:
		a->q.visibility = arg;
		return 1;
	case CLI_OPT_LIST_TYPE:
		a->q.image_type = arg;
		return 1;
	case CLI_OPT_LIST_SOURCE:
		a->q.source_image_id = arg;
		return 1;
	case CLI_OPT_LIST_ALL_REGIONS:
		a->all_regions = 1;
		return 1;
	case CLI_OPT_LIST_ALL_ATTRIBUTES:
		a->all_attributes = 1;
		return 1;
	default:
		return 0;
	}
}

/* The flag of each argument the library names in its errors. */
static const char *flag_of(const char *attribute)
{
	static const struct {
		const char *attribute, *flag;
	} map[] = {{"name_regex", "--name-regex"},
	           {"tag", "--tag"},
	           {"architecture", "--architecture"},
	           {"visibility", "--visibility"},
	           {"image_type", "--image-type"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(attribute, map[i].attribute) == 0)
			return map[i].flag;
	return attribute;
}

int cli_list_check(const cli_ctx *ctx, cli_list_args *a)
{
	hwims_error err;

	if (a->q.visibility && strcmp(a->q.visibility, "all") == 0)
		a->q.visibility = NULL;
	if (a->all_regions && ctx->region)
		return cli_usage_error(ctx, "--all-regions and --region cannot be used together");
	if (hwims_image_query_validate(&a->q, &err) != 0)
		return cli_usage_error(ctx, "%s: %s", flag_of(err.attribute), err.message);
	return 0;
}

/* One region's query, run on its own thread with --all-regions. */
typedef struct region_job {
	cli_ctx *ctx;
	hwims_image_query_options q;
	hwims_image_results *found;
	hwims_error err;
	int rc;
} region_job;

static void *region_main(void *p)
{
	region_job *j = p;
	j->rc = hwims_image_query(j->ctx->client, &j->q, j->ctx->cancel, &j->found, &j->err);
	return NULL;
}

/* Run every job, one thread each (a thread that cannot start runs inline). */
static void run_jobs(region_job *jobs, size_t n)
{
	pthread_t *t = calloc(n, sizeof(*t));
	int *started = calloc(n, sizeof(*started));

	for (size_t i = 0; i < n; i++) {
		started[i] =
		    t && started && pthread_create(&t[i], NULL, region_main, &jobs[i]) == 0;
		if (!started[i])
			region_main(&jobs[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (started && started[i])
			pthread_join(t[i], NULL);
	free(t);
	free(started);
}

void cli_list_found_free(cli_list_found *found)
{
	for (size_t i = 0; i < found->n_regions; i++)
		hwims_image_results_free(found->per_region[i]);
	free(found->per_region);
	memset(found, 0, sizeof(*found));
}

/* The regions to query: ctx's (NULL: the client's), or every visible one. */
static int regions_to_query(cli_ctx *ctx, const cli_list_args *a, char ***names, size_t *n,
                            hwims_error *err)
{
	if (a->all_regions)
		return hwims_client_regions(ctx->client, ctx->cancel, names, n, err);
	*names = calloc(1, sizeof(char *));
	const char *r = ctx->region ? ctx->region : hwims_client_region(ctx->client);
	if (!*names || !r || !((*names)[0] = strdup(r))) {
		free(*names);
		*names = NULL;
		return hwims_error_set(err, r ? HWIMS_ERR_INTERNAL : HWIMS_ERR_USAGE,
		                       r ? "out of memory"
		                         : "no region: set --region or HW_REGION_NAME");
	}
	*n = 1;
	return 0;
}

int cli_list_run(cli_ctx *ctx, const cli_list_args *a, cli_list_found *found)
{
	char **names = NULL;
	size_t n = 0;
	hwims_error err;
	int rc = 0;

	memset(found, 0, sizeof(*found));
	if (regions_to_query(ctx, a, &names, &n, &err) != 0)
		return cli_report_error(ctx, &err);
	region_job *jobs = calloc(n + 1, sizeof(*jobs));
	found->per_region = calloc(n + 1, sizeof(*found->per_region));
	if (!jobs || !found->per_region) {
		free(jobs);
		hwims_regions_free(names, n);
		hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		return cli_report_error(ctx, &err);
	}
	for (size_t i = 0; i < n; i++) {
		jobs[i] = (region_job){.ctx = ctx, .q = a->q};
		jobs[i].q.region = names[i];
	}
	run_jobs(jobs, n);
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].rc != 0 && rc == 0) {
			hwims_error_prefix(&jobs[i].err, "%s: ", names[i]);
			rc = cli_report_error(ctx, &jobs[i].err);
		}
		found->per_region[found->n_regions++] = jobs[i].found;
	}
	free(jobs);
	hwims_regions_free(names, n);
	if (rc != 0)
		cli_list_found_free(found);
	return rc;
}

int cli_take_all_attributes(int *argc, char **argv)
{
	int found = 0, k = 0;

	for (int i = 0; i < *argc; i++) {
		/* after "--" everything is an operand */
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--all-attributes") == 0)
			found = 1;
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	argv[k] = NULL;
	return found;
}
