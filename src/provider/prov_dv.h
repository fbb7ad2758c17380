/*
 * prov_dv.h - tfplugin6 DynamicValue <-> cty value: the one place that knows
 * a DynamicValue carries msgpack or JSON, and that an absent one means null.
 */
#ifndef PROV_DV_H
#define PROV_DV_H

#include "hwims/buf.h"
#include "hwims/error.h"
#include "prov_value.h"
#include "tfplugin6.pb-c.h"

/* Decode a DynamicValue against t (msgpack preferred, then JSON; absent or empty = null).
   Caller frees *out with prov_value_free. */
int prov_dv_decode(const Tfplugin6__DynamicValue *dv, const prov_type *t, prov_value **out,
                   hwims_error *err);
/* Encode v as msgpack into dv (initialised here); the bytes live in storage, which the caller
   frees with hwims_buf_free once dv has been sent. */
int prov_dv_encode(const prov_value *v, const prov_type *t, Tfplugin6__DynamicValue *dv,
                   hwims_buf *storage, hwims_error *err);

#endif
