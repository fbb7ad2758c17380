/* provider_client.c - the configured client and what operations take from the provider to
   call the workflow (see prov_provider.h). */
#include <stdlib.h>
#include <string.h>

#include "prov_ops.h"
#include "prov_provider.h"

struct prov_retired {
	hwims_client *client;
	prov_retired *next;
};

hwims_client *prov_provider_client(prov_provider *p)
{
	pthread_mutex_lock(&p->mu);
	hwims_client *c = p->client;
	pthread_mutex_unlock(&p->mu);
	return c;
}

int prov_provider_set_client(prov_provider *p, hwims_client *client)
{
	/*
	 * A client being replaced may still be in use: other calls took it through
	 * prov_provider_client and use it without the lock until they finish. So it is kept (on
	 * the retired list) until prov_provider_destroy, never freed here; its list node is
	 * allocated first so running out of memory fails this call rather than forcing a free.
	 */
	prov_retired *r = malloc(sizeof(*r));
	if (!r)
		return -1;
	pthread_mutex_lock(&p->mu);
	if (p->client) {
		r->client = p->client;
		r->next = p->retired;
		p->retired = r;
		r = NULL;
	}
	p->client = client;
	pthread_mutex_unlock(&p->mu);
	free(r); /* unused: there was no client to retire */
	return 0;
}

hwims_copy_options prov_provider_copy_options(const prov_provider *p)
{
	hwims_copy_options opts = HWIMS_COPY_OPTIONS_INIT;
	opts.cancel = p->stop;
	return opts;
}

const char *prov_provider_region(prov_provider *p)
{
	hwims_client *c = prov_provider_client(p);
	return c ? hwims_client_region(c) : NULL;
}

void prov_provider_free_clients(prov_provider *p)
{
	hwims_client_free(p->client);
	p->client = NULL;
	while (p->retired) {
		prov_retired *r = p->retired;
		p->retired = r->next;
		hwims_client_free(r->client);
		free(r);
	}
}

int prov_op_no_client(const prov_op *op)
{
	if (op->client)
		return 0;
	prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Provider not configured",
	              "The huaweicloud provider was not configured (ConfigureProvider failed or "
	              "was not called), so it cannot reach the API.",
	              NULL);
	return 1;
}
