/* dynamic_value.c - DynamicValue codec over the cty msgpack and JSON codecs (see prov_dv.h). */
#include "prov_dv.h"

int prov_dv_decode(const Tfplugin6__DynamicValue *dv, const prov_type *t, prov_value **out,
                   hwims_error *err)
{
	if (dv && dv->msgpack.len)
		return prov_value_from_msgpack(t, dv->msgpack.data, dv->msgpack.len, out, err);
	if (dv && dv->json.len)
		return prov_value_from_json(t, (const char *)dv->json.data, dv->json.len, out, err);
	*out = prov_value_null((prov_type *)t);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

int prov_dv_encode(const prov_value *v, const prov_type *t, Tfplugin6__DynamicValue *dv,
                   hwims_buf *storage, hwims_error *err)
{
	tfplugin6__dynamic_value__init(dv);
	if (prov_value_to_msgpack(v, t, storage, err) != 0)
		return -1;
	dv->msgpack.data = (uint8_t *)storage->data;
	dv->msgpack.len = storage->len;
	return 0;
}
