# expect: error kms_key_id kms_key_id
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  region          = "cn-north-4"
  target_region   = "cn-south-1"
  agency_name     = "ims_admin_agency"
  kms_key_id      = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01"
}
