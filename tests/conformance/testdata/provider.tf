# Provider block shared by every conformance configuration: imsd's endpoints
# (the driver sets imsd_url to the running imsd) and its seed credentials.
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

provider "huaweicloud" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key
  endpoints = {
    ims = "${var.imsd_url}/{region}/"
    iam = "${var.imsd_url}/iam/"
    eps = "${var.imsd_url}/eps/"
  }
}
