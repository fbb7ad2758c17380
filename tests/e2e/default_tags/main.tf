# Configuration driven by tests/e2e/default_tags.sh: the provider's default_tags and
# ignore_tags, and one copy whose own tags the test changes through a variable.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "imsd_url" {}
variable "default_tags" {
  type    = map(string)
  default = { team = "core", env = "dev" }
}
variable "tags" {
  type    = map(string)
  default = { env = "prod" }
}

provider "huaweicloud" {
  region       = "cn-north-4"
  access_key   = "HWIMSDEMOACCESSKEY01"
  secret_key   = "hwimsDemoSecretKey0123456789abcdefghijklm"
  default_tags = var.default_tags
  ignore_tags  = ["owner"]
  endpoints = {
    ims = "${var.imsd_url}/{region}/"
    iam = "${var.imsd_url}/iam/"
    eps = "${var.imsd_url}/eps/"
  }
}

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "e2e-default-tags"
  tags            = var.tags
}

output "id" { value = huaweicloud_images_image_copy.test.id }
output "tags" { value = huaweicloud_images_image_copy.test.tags }
