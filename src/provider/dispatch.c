/* dispatch.c - the routing table: method path -> RPC handler (see prov_rpc.h). */
#include "prov_rpc.h"

/* Everything not listed here (GetResourceIdentitySchemas, GRPCStdio/StreamStdio,
   GRPCBroker/StartStream, functions, ephemeral resources, ...) is answered UNIMPLEMENTED by the
   server, which is what terraform and go-plugin expect from a provider without them. */
static const prov_route routes[] = {
    {"/tfplugin6.Provider/GetProviderSchema", prov_rpc_get_provider_schema},
    {"/tfplugin6.Provider/GetMetadata", prov_rpc_get_metadata},
    {"/tfplugin6.Provider/ValidateProviderConfig", prov_rpc_validate_provider_config},
    {"/tfplugin6.Provider/ConfigureProvider", prov_rpc_configure_provider},
    {"/tfplugin6.Provider/ValidateResourceConfig", prov_rpc_validate_resource_config},
    {"/tfplugin6.Provider/ValidateDataResourceConfig", prov_rpc_validate_data_resource_config},
    {"/tfplugin6.Provider/UpgradeResourceState", prov_rpc_upgrade_resource_state},
    {"/tfplugin6.Provider/ReadResource", prov_rpc_read_resource},
    {"/tfplugin6.Provider/PlanResourceChange", prov_rpc_plan_resource_change},
    {"/tfplugin6.Provider/ApplyResourceChange", prov_rpc_apply_resource_change},
    {"/tfplugin6.Provider/ImportResourceState", prov_rpc_import_resource_state},
    {"/tfplugin6.Provider/ReadDataSource", prov_rpc_read_data_source},
    {"/tfplugin6.Provider/StopProvider", prov_rpc_stop_provider},
    {"/plugin.GRPCController/Shutdown", prov_rpc_shutdown},
    {"/grpc.health.v1.Health/Check", prov_rpc_health_check},
};

const prov_route *prov_routes(size_t *count)
{
	*count = sizeof(routes) / sizeof(routes[0]);
	return routes;
}
