# Every cross-region argument: a full-ECS image into a CBR vault.
resource "huaweicloud_images_image_copy" "test" {
  region          = "cn-north-4"
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c03"
  name            = "web-full-south"
  description     = "whole image"
  target_region   = "cn-south-1"
  agency_name     = "ims_admin_agency"
  vault_id        = "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11"
  min_ram         = 0
  max_ram         = 0
  tags            = {}
}
