# The spec's first example, verbatim, with imsd seed values as defaults.
variable "source_image_id" {
  default = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
}
variable "name" {
  default = "spec-within-copy"
}
variable "kms_key_id" {
  default = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = var.source_image_id
  name            = var.name
  kms_key_id      = var.kms_key_id
}
