# provider.tf with the official provider's default_tags and ignore_tags.
variable "imsd_url" {}
variable "access_key" {
  default = "HWIMSDEMOACCESSKEY01"
}
variable "secret_key" {
  default = "hwimsDemoSecretKey0123456789abcdefghijklm"
}
variable "region" {
  default = "cn-north-4"
}
variable "default_tags" {
  default = null
}
variable "ignore_tags" {
  default = null
}

provider "huaweicloud" {
  region       = var.region
  access_key   = var.access_key
  secret_key   = var.secret_key
  default_tags = var.default_tags
  ignore_tags  = var.ignore_tags
  endpoints = {
    ims = "${var.imsd_url}/{region}/"
    iam = "${var.imsd_url}/iam/"
    eps = "${var.imsd_url}/eps/"
  }
}
