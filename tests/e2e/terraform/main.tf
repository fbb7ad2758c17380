# Configuration driven by tests/e2e/terraform.sh: one within-region copy whose
# arguments the test changes through variables.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "imsd_url" {}
variable "name" { default = "e2e-copy" }
variable "kms_key_id" { default = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01" }
variable "description" { default = null }
variable "max_ram" { default = null }
variable "tags" {
  type    = map(string)
  default = { env = "test" }
}

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

resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = var.name
  kms_key_id      = var.kms_key_id
  description     = var.description
  max_ram         = var.max_ram
  tags            = var.tags
}

resource "huaweicloud_images_image_copy" "south" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02"
  name            = "e2e-south"
  target_region   = "cn-south-1"
  agency_name     = "ims_admin_agency"
}

output "id" { value = huaweicloud_images_image_copy.test.id }
output "status" { value = huaweicloud_images_image_copy.test.status }
output "name" { value = huaweicloud_images_image_copy.test.name }
output "kms_key_id" { value = huaweicloud_images_image_copy.test.kms_key_id }
output "data_origin" { value = huaweicloud_images_image_copy.test.data_origin }
output "max_ram" { value = huaweicloud_images_image_copy.test.max_ram }
output "tags" { value = jsonencode(huaweicloud_images_image_copy.test.tags) }
output "south_id" { value = huaweicloud_images_image_copy.south.id }
output "south_region" { value = huaweicloud_images_image_copy.south.target_region }
output "south_origin" { value = huaweicloud_images_image_copy.south.data_origin }
