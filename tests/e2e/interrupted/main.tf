# Configuration driven by tests/e2e/interrupted.sh: one copy of the 100 GiB seed image, whose job
# runs long enough at the test's time scale for terraform or the provider to be killed mid-way.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "imsd_url" {}
variable "name" {}

provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "HWIMSDEMOACCESSKEY01"
  secret_key = "hwimsDemoSecretKey0123456789abcdefghijklm"
  endpoints = {
    ims = "${var.imsd_url}/{region}/"
    iam = "${var.imsd_url}/iam/"
    eps = "${var.imsd_url}/eps/"
  }
}

resource "huaweicloud_images_image_copy" "golden" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07"
  name            = var.name
}

output "id" { value = huaweicloud_images_image_copy.golden.id }
output "status" { value = huaweicloud_images_image_copy.golden.status }
