# A copy whose source image is the one huaweicloud_images_image found by name; the lookup's
# result comes in as the variable (the driver has no cross-block references).
variable "source_image_id" {
  default = null
}
variable "name" {
  default = "copy-of-lookup"
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = var.source_image_id
  name            = var.name
}
