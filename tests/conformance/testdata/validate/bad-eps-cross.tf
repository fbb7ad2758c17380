# expect: error enterprise_project_id enterprise_project_id
resource "huaweicloud_images_image_copy" "test" {
  source_image_id       = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name                  = "ok"
  region                = "cn-north-4"
  target_region         = "cn-south-1"
  agency_name           = "ims_admin_agency"
  enterprise_project_id = "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
}
