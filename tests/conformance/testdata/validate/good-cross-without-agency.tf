# A cross-region copy without agency_name validates: an existing copy (one imported, or the
# configuration generated for it) need not name the agency it was made with. Planning a new
# copy without one is refused (TestPlanNewCrossRegionCopyNeedsAgency).
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  region          = "cn-north-4"
  target_region   = "cn-south-1"
}
