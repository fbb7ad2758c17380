# A number beyond int64: cty sends it as a decimal string.
# expect: error max_ram must be from 0 to 1048576 MB
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  max_ram         = 100000000000000000000000000000
}
