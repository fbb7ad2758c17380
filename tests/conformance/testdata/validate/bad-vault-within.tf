# expect: error vault_id vault_id
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  vault_id        = "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11"
}
