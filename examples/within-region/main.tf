# The spec's first example: copy an image within its region, encrypted with a KMS key. The
# source image is looked up by name, not pasted as an ID.
variable "source_image_name" {
  default = "ubuntu-2204-golden" # a private image in imsd's default seed
}

data "huaweicloud_images_image" "source" {
  name        = var.source_image_name
  visibility  = "private"
  most_recent = true
}
variable "name" {
  default = "ubuntu-2204-encrypted"
}
variable "kms_key_id" {
  default = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = data.huaweicloud_images_image.source.id
  name            = var.name
  kms_key_id      = var.kms_key_id
}

output "image_id" {
  value = huaweicloud_images_image_copy.test.id
}
