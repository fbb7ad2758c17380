/* resource_image_copy.c - huaweicloud_images_image_copy over the protocol (work in progress). */
#include "prov_provider.h"

static void unimplemented(prov_reply *reply)
{
	reply->status = GRPC_STATUS_UNIMPLEMENTED;
	snprintf(reply->message, sizeof(reply->message), "not implemented yet");
}

void prov_validate_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
void prov_upgrade_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
void prov_read_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
void prov_plan_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
void prov_apply_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
void prov_import_resource(void *app, const uint8_t *req, size_t len, prov_reply *reply)
{
	unimplemented(reply);
}
