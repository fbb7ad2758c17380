/* attrs.c - the attribute table (see include/hwims/attrs.h). */
#include "hwims/attrs.h"

#include <string.h>

/* Rows follow the spec's argument and attribute reference order; `id` is the image ID and lives
 * outside the table. */
static const hwims_attr attrs[] = {
    {"region", NULL, HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_FORCE_NEW, HWIMS_SRC_DERIVED,
     "The region the source image belongs to. Defaults to the provider region. Changing it creates "
     "a new resource."},
    {"source_image_id", NULL, HWIMS_ATTR_STRING, HWIMS_ATTR_REQUIRED | HWIMS_ATTR_FORCE_NEW,
     HWIMS_SRC_DERIVED, "The ID of the image to copy. Changing it creates a new resource."},
    {"name", "name", HWIMS_ATTR_STRING, HWIMS_ATTR_REQUIRED | HWIMS_ATTR_UPDATABLE, HWIMS_SRC_IMAGE,
     "The name of the copy: 1 to 128 characters, only Chinese and English letters, digits, "
     "underscores (_), hyphens (-), dots (.) and spaces, not starting or ending with a space."},
    {"target_region", NULL, HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_FORCE_NEW, HWIMS_SRC_DERIVED,
     "The region to copy the image to. Setting a region other than `region` makes a cross-region "
     "copy. Changing it creates a new resource."},
    {"kms_key_id", "__system__cmkid", HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_FORCE_NEW, HWIMS_SRC_IMAGE,
     "The KMS master key used to encrypt the copy. Only for copies within a region. Changing it "
     "creates a new resource."},
    {"enterprise_project_id", "enterprise_project_id", HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_UPDATABLE, HWIMS_SRC_IMAGE,
     "The enterprise project of the copy. Only for copies within a region; if omitted, the default "
     "enterprise project is used."},
    {"agency_name", NULL, HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_FORCE_NEW | HWIMS_ATTR_NOT_READ,
     HWIMS_SRC_ARGUMENT,
     "The IAM agency that lets IMS copy across regions. Required for cross-region copies. Changing "
     "it creates a new resource."},
    {"vault_id", NULL, HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_FORCE_NEW | HWIMS_ATTR_NOT_READ,
     HWIMS_SRC_ARGUMENT,
     "The CBR vault that receives a cross-region copy of a full-ECS image (required for those); it "
     "must be in `target_region`. Changing it creates a new resource."},
    {"min_ram", "min_ram", HWIMS_ATTR_INT,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_UPDATABLE | HWIMS_ATTR_ZERO_DEFAULT,
     HWIMS_SRC_IMAGE,
     "The minimum memory of the copy, in MB. `0` (the default) means no restriction."},
    {"max_ram", "max_ram", HWIMS_ATTR_INT,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_UPDATABLE | HWIMS_ATTR_ZERO_DEFAULT,
     HWIMS_SRC_IMAGE, "The maximum memory of the copy, in MB."},
    {"description", "__description", HWIMS_ATTR_STRING,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_UPDATABLE, HWIMS_SRC_IMAGE,
     "The description of the copy, at most 1024 characters, without line breaks, other control "
     "characters (U+0000-U+001F, U+007F-U+009F) or angle brackets."},
    {"tags", NULL, HWIMS_ATTR_STRING_MAP,
     HWIMS_ATTR_OPTIONAL | HWIMS_ATTR_COMPUTED | HWIMS_ATTR_UPDATABLE, HWIMS_SRC_TAGS,
     "Key/value pairs to associate with the copy."},
    {"instance_id", NULL, HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_DERIVED,
     "The ID of the ECS the image was created from, when its data origin is an instance (empty for "
     "copies)."},
    {"file", "file", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image file download and upload link."},
    {"self", "self", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image link information."},
    {"schema", "schema", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image view."},
    {"status", "status", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image status: `queued`, `saving`, `deleted`, `killed` or `active`."},
    {"visibility", "visibility", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether other tenants can see the image: `private`, `public` or `shared`."},
    {"protected", "protected", HWIMS_ATTR_BOOL, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image is protected; a protected image cannot be deleted."},
    {"container_format", "container_format", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The container format."},
    {"updated_at", "updated_at", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The last update time, in UTC."},
    {"__os_bit", "__os_bit", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The bitness of the operating system, usually `32` or `64`."},
    {"os_version", "__os_version", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The operating system version of the image."},
    {"disk_format", "disk_format", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image format: `zvhd2`, `vhd`, `zvhd`, `raw`, `qcow2` or `iso`."},
    {"__isregistered", "__isregistered", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image is registered: `true` or `false`."},
    {"__platform", "__platform", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image platform, such as `Windows`, `Ubuntu`, `CentOS`, `Debian`, `Euler OS` or `Other`."},
    {"__os_type", "__os_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The operating system type: `Linux`, `Windows` or `Other`."},
    {"min_disk", "min_disk", HWIMS_ATTR_INT, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The minimum disk space needed to run the image, in GB."},
    {"virtual_env_type", "virtual_env_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "The environment the image is for: `FusionCompute` (cloud server), `DataImage` (data disk), "
     "`Ironic` (bare metal) or `IsoImage` (ISO)."},
    {"__image_source_type", "__image_source_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The image backend storage type, currently `uds`."},
    {"__imagetype", "__imagetype", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The image type: `gold`, `private`, `shared` or `market`."},
    {"created_at", "created_at", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The creation time, in UTC."},
    {"__originalimagename", "__originalimagename", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "The ID of the parent image; empty for public images and images created from files."},
    {"__backup_id", "__backup_id", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The backup ID; empty unless the image was created from a backup."},
    {"__productcode", "__productcode", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The product ID of a KooGallery (market) image."},
    {"image_size", "__image_size", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The size of the image file, in bytes."},
    {"data_origin", "__data_origin", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Where the image came from, as `image,<region>,<source_image_id>` for copies."},
    {"__lazyloading", "__lazyloading", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image supports lazy loading: `true`, `false`, `True` or `False`."},
    {"active_at", "active_at", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "When the image became active."},
    {"__image_displayname", "__image_displayname", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The name shown externally."},
    {"__os_feature_list", "__os_feature_list", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "Additional features the image supports, as a JSON document."},
    {"__support_kvm", "__support_kvm", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "`true` if the image supports KVM."},
    {"__support_xen", "__support_xen", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "`true` if the image supports Xen."},
    {"__support_largememory", "__support_largememory", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "`true` if the image supports large-memory ECSs."},
    {"__support_diskintensive", "__support_diskintensive", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "`true` if the image supports disk-intensive ECSs."},
    {"__support_highperformance", "__support_highperformance", HWIMS_ATTR_STRING,
     HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE, "`true` if the image supports high-performance ECSs."},
    {"__support_xen_gpu_type", "__support_xen_gpu_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "The GPU-accelerated ECS type the image supports on Xen. Cannot co-exist with `__support_xen` "
     "and `__support_kvm`."},
    {"__support_kvm_gpu_type", "__support_kvm_gpu_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "The GPU-accelerated ECS type the image supports on KVM. Cannot co-exist with `__support_xen` "
     "and `__support_kvm`."},
    {"__support_xen_hana", "__support_xen_hana", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "`true` if the image supports HANA ECSs on Xen. Cannot co-exist with `__support_xen` and "
     "`__support_kvm`."},
    {"__support_kvm_infiniband", "__support_kvm_infiniband", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "`true` if the image supports ECSs with InfiniBand NICs on KVM. Cannot co-exist with "
     "`__support_xen`."},
    {"__system_support_market", "__system_support_market", HWIMS_ATTR_BOOL, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "Whether the image can be published in KooGallery."},
    {"__is_offshelved", "__is_offshelved", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the KooGallery image has been taken offline: `true` or `false`."},
    {"__root_origin", "__root_origin", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "`file` when the image was imported from an external file."},
    {"__sequence_num", "__sequence_num", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The system disk slot of the ECS the image belongs to."},
    {"__support_fc_inject", "__support_fc_inject", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE,
     "`true` if password/private key injection with Cloud-Init is NOT supported (system disk "
     "images only)."},
    {"hw_firmware_type", "hw_firmware_type", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The ECS boot mode: `bios` or `uefi`."},
    {"hw_vif_multiqueue_enabled", "hw_vif_multiqueue_enabled", HWIMS_ATTR_STRING,
     HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image supports NIC multi-queue: `true` or `false`."},
    {"__support_arm", "__support_arm", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image uses the Arm architecture: `true` or `false`."},
    {"__support_agent_list", "__support_agent_list", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The agents configured for the image: `hss`, `ces`, both, or empty."},
    {"__account_code", "__account_code", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "The charging identifier of the image."},
    {"__support_amd", "__support_amd", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE,
     "Whether the image uses the AMD x86 architecture: `true` or `false`."},
    {"__support_kvm_hi1822_hisriov", "__support_kvm_hi1822_hisriov", HWIMS_ATTR_STRING,
     HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE, "`true` if SR-IOV is supported."},
    {"__support_kvm_hi1822_hivirtionet", "__support_kvm_hi1822_hivirtionet", HWIMS_ATTR_STRING,
     HWIMS_ATTR_COMPUTED, HWIMS_SRC_IMAGE, "`true` if Virtio-Net is supported."},
    {"os_shutdown_timeout", "os_shutdown_timeout", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED,
     HWIMS_SRC_IMAGE, "The graceful shutdown timeout, 60 to 300 seconds (default 60)."},
    {"checksum", "checksum", HWIMS_ATTR_STRING, HWIMS_ATTR_COMPUTED | HWIMS_ATTR_DEPRECATED,
     HWIMS_SRC_IMAGE, "Deprecated; kept for state compatibility and always empty."},
};

const hwims_attr *hwims_attrs(size_t *count)
{
	if (count)
		*count = sizeof(attrs) / sizeof(attrs[0]);
	return attrs;
}

const hwims_attr *hwims_attr_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (strcmp(attrs[i].name, name) == 0)
			return &attrs[i];
	}
	return NULL;
}

const char *hwims_attr_type_name(hwims_attr_type type)
{
	switch (type) {
	case HWIMS_ATTR_STRING:
		return "string";
	case HWIMS_ATTR_BOOL:
		return "bool";
	case HWIMS_ATTR_INT:
		return "number";
	case HWIMS_ATTR_STRING_MAP:
		return "map(string)";
	}
	return "unknown";
}
