# copy.tf without the timeouts block: the configuration an imported copy is
# planned against (an imported state has no timeouts).
variable "instances" {
  default = 1
}
variable "source_image_id" {
  default = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
}
variable "name" {
  default = "scenario-copy"
}
variable "copy_region" {
  default = null
}
variable "target_region" {
  default = null
}
variable "kms_key_id" {
  default = null
}
variable "enterprise_project_id" {
  default = null
}
variable "agency_name" {
  default = null
}
variable "vault_id" {
  default = null
}
variable "min_ram" {
  default = null
}
variable "max_ram" {
  default = null
}
variable "description" {
  default = null
}
variable "tags" {
  default = null
}

resource "huaweicloud_images_image_copy" "test" {
  count = var.instances

  region                = var.copy_region
  source_image_id       = var.source_image_id
  name                  = var.instances > 1 ? "${var.name}-${count.index}" : var.name
  target_region         = var.target_region
  kms_key_id            = var.kms_key_id
  enterprise_project_id = var.enterprise_project_id
  agency_name           = var.agency_name
  vault_id              = var.vault_id
  min_ram               = var.min_ram
  max_ram               = var.max_ram
  description           = var.description
  tags                  = var.tags

}
