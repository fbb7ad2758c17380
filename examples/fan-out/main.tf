# Fan a golden image out to every region in a list: look the newest golden image up by name,
# copy it to each region through the IAM agency, tag every copy, and output where each lives.
# Afterwards huaweicloud_images_images finds the copies of each region by their tag.
variable "golden_name_regex" {
  description = "POSIX extended regular expression the golden image's name matches."
  default     = "^ubuntu-2204-golden$"
}
variable "golden_visibility" {
  default = "private"
}
variable "regions" {
  type    = list(string)
  default = ["cn-south-1", "ap-southeast-1"]
}
variable "agency_name" {
  default = "ims_admin_agency"
}
variable "release" {
  default = "2026-02"
}

data "huaweicloud_images_image" "golden" {
  name_regex  = var.golden_name_regex
  visibility  = var.golden_visibility
  most_recent = true
}

resource "huaweicloud_images_image_copy" "fan_out" {
  for_each = toset(var.regions)

  source_image_id = data.huaweicloud_images_image.golden.id
  name            = "${data.huaweicloud_images_image.golden.name}-${each.key}"
  target_region   = each.key
  agency_name     = var.agency_name
  tags = {
    golden  = data.huaweicloud_images_image.golden.name
    release = var.release
  }
}

# Read after the copies exist (depends_on defers the read to apply).
data "huaweicloud_images_images" "copies" {
  for_each   = toset(var.regions)
  region     = each.key
  tag        = "release=${var.release}"
  depends_on = [huaweicloud_images_image_copy.fan_out]
}

output "copies" {
  description = "Where each copy lives: region => image ID."
  value       = { for r, c in huaweicloud_images_image_copy.fan_out : r => c.id }
}

output "found_by_tag" {
  description = "The images huaweicloud_images_images finds by the release tag, per region."
  value       = { for r, d in data.huaweicloud_images_images.copies : r => d.images[*].id }
}
