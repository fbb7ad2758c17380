# expect: error tags Invalid argument
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  tags = {
    "k0" = "v"
    "k1" = "v"
    "k2" = "v"
    "k3" = "v"
    "k4" = "v"
    "k5" = "v"
    "k6" = "v"
    "k7" = "v"
    "k8" = "v"
    "k9" = "v"
    "k10" = "v"
    "k11" = "v"
    "k12" = "v"
    "k13" = "v"
    "k14" = "v"
    "k15" = "v"
    "k16" = "v"
    "k17" = "v"
    "k18" = "v"
    "k19" = "v"
    "k20" = "v"
  }
}
