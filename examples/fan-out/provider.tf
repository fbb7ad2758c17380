# Provider settings for running this example against a local imsd
# (see examples/README.md). Against Huawei Cloud, drop `endpoints` and set
# HW_REGION_NAME, HW_ACCESS_KEY and HW_SECRET_KEY instead.
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "imsd_url" {
  description = "Base URL of a running imsd, as printed on its first line."
  default     = "http://127.0.0.1:8086"
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
