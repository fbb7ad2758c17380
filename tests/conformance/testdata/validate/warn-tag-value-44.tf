# expect: warning tags["team"] Tags beyond
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  tags = {
    "team" = "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
  }
}
