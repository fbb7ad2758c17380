# The fan-out workload of bench/fanout/run.sh: 3 golden images copied to 2 other regions, 5
# copies of each pair (30 cross-region copies, six times imsd's quota of 5 at once), plus 20
# copies within the region.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "imsd_url" {}

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

locals {
  sources = {
    ubuntu = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01" # 2 GiB
    data   = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02" # 10 GiB
    centos = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c07" # 100 GiB
  }
  targets = ["cn-south-1", "ap-southeast-1"]
  cross = {
    for p in setproduct(keys(local.sources), local.targets, range(5)) :
    "${p[0]}-${p[1]}-${p[2]}" => { source = local.sources[p[0]], target = p[1] }
  }
}

resource "huaweicloud_images_image_copy" "cross" {
  for_each        = local.cross
  source_image_id = each.value.source
  name            = "fan-${each.key}"
  target_region   = each.value.target
  agency_name     = "ims_admin_agency"
  tags            = { bench = "fanout" }
}

resource "huaweicloud_images_image_copy" "within" {
  count           = 20
  source_image_id = local.sources.ubuntu
  name            = "fan-within-${count.index}"
  tags            = { bench = "fanout" }
}
