# The spec's second example: copy an image to another region through an IAM agency. The
# source image is looked up by name, not pasted as an ID.
variable "source_image_name" {
  default = "ubuntu-2204-golden" # a private image in imsd's default seed
}

data "huaweicloud_images_image" "source" {
  name        = var.source_image_name
  most_recent = true
}
variable "name" {
  default = "ubuntu-2204-south"
}
variable "target_region" {
  default = "cn-south-1"
}
variable "agency_name" {
  default = "ims_admin_agency"
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = data.huaweicloud_images_image.source.id
  name            = var.name
  target_region   = var.target_region
  agency_name     = var.agency_name
}

output "image_id" {
  value = huaweicloud_images_image_copy.test.id
}
