# The spec's second example, verbatim, with imsd seed values as defaults.
variable "source_image_id" {
  default = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
}
variable "name" {
  default = "spec-cross-copy"
}
variable "target_region" {
  default = "cn-south-1"
}
variable "agency_name" {
  default = "ims_admin_agency"
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = var.source_image_id
  name            = var.name
  target_region   = var.target_region
  agency_name     = var.agency_name
}
