/* resource_image_copy_apply.c - ApplyResourceChange of huaweicloud_images_image_copy: which
   change it is, and the private state it leaves. */
#include "prov_image_copy.h"

prov_value *prov_ic_apply(const prov_op *op, const prov_apply_in *in, prov_private *priv)
{
	prov_value *st;
	if (prov_op_no_client(op))
		return prov_value_clone(in->prior);
	if (in->planned->state == PROV_NULL)
		st = prov_ic_delete(op, in->prior, in->planned_private);
	else if (in->prior->state == PROV_NULL)
		st = prov_ic_create(op, in->planned, priv);
	else
		st = prov_ic_update(op, in->prior, in->planned, in->config);
	if (in->prior->state == PROV_KNOWN && in->planned->state == PROV_KNOWN &&
	    op->d->errors == 0 && prov_ic_private_flag(in->planned_private, "imported")) {
		/* the state now holds the configured arguments: no more adopting */
		priv->data.data = NULL;
		priv->data.len = 0;
	}
	return st;
}
