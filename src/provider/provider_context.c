/* provider_context.c - the provider of one plugin process: set up, torn down (prov_provider.h). */
#include <stdlib.h>
#include <string.h>

#include "prov_ops.h"
#include "prov_provider.h"

/* The data sources' schemas, built once from the table in its order. */
static int add_data_sources(prov_schemas *s, hwims_error *err)
{
	size_t n;
	const prov_data_source_ops *const *ds = prov_data_sources(&n);
	for (size_t i = 0; i < n; i++) {
		if (prov_schemas_add_data_source(s, ds[i]->type_name, ds[i]->build_schema, err) !=
		    0)
			return -1;
	}
	return 0;
}

int prov_provider_init(prov_provider *p, prov_log *log, char *const *envp, hwims_error *err)
{
	memset(p, 0, sizeof(*p));
	p->log = log;
	p->envp = envp;
	p->copts.log = log ? &log->bridge : NULL;
	if (prov_schemas_build(&p->schemas, err) != 0)
		return -1;
	if (add_data_sources(&p->schemas, err) != 0 || hwims_cancel_new(&p->stop, err) != 0) {
		prov_schemas_free(&p->schemas);
		return -1;
	}
	pthread_mutex_init(&p->mu, NULL);
	return 0;
}

void prov_provider_destroy(prov_provider *p)
{
	if (!p)
		return;
	prov_provider_free_clients(p);
	prov_tag_rules_free(&p->tag_rules);
	hwims_cancel_free(p->stop);
	prov_schemas_free(&p->schemas);
	pthread_mutex_destroy(&p->mu);
	memset(p, 0, sizeof(*p));
}

void prov_provider_on_shutdown(void *app)
{
	prov_provider *p = app;
	hwims_cancel_trigger(p->stop);
}
