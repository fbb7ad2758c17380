# expect: error source_image_id source_image_id
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = ""
  name            = "ok"
}
