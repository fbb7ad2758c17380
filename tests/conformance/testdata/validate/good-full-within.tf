# Every within-region argument.
resource "huaweicloud_images_image_copy" "test" {
  region                = "cn-north-4"
  source_image_id       = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name                  = "Ubuntu 22.04_prod-copy.v1"
  description           = "Golden image, encrypted"
  kms_key_id            = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02"
  enterprise_project_id = "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
  min_ram               = 1024
  max_ram               = 8192
  tags = {
    team = "platform"
    env  = "prod"
  }
  timeouts {
    create = "30m"
    delete = "5m"
  }
}
