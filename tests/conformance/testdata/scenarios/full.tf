# Every argument: a within-region copy with key, enterprise project, RAM
# bounds, description, tags and timeouts, and a cross-region copy of a
# full-ECS image into a CBR vault.
resource "huaweicloud_images_image_copy" "within" {
  region                = "cn-north-4"
  source_image_id       = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name                  = "full-within"
  description           = "every argument, within the region"
  kms_key_id            = "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02"
  enterprise_project_id = "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
  min_ram               = 1024
  max_ram               = 8192
  tags = {
    team = "platform"
    env  = "production"
  }
  timeouts {
    create = "30m"
    delete = "5m"
  }
}

resource "huaweicloud_images_image_copy" "cross" {
  region          = "cn-north-4"
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c03"
  name            = "full-cross"
  description     = "whole image into a vault"
  target_region   = "cn-south-1"
  agency_name     = "ims_admin_agency"
  vault_id        = "8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11"
  min_ram         = 2048
  max_ram         = 4096
  tags = {
    kind = "whole"
  }
  timeouts {
    create = "30m"
    delete = "5m"
  }
}
