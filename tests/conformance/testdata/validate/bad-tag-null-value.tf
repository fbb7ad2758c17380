# A null tag value (a variable with a null default) is refused on its key: the API would
# store "" and the plan would never converge.
# expect: error tags["team"] The value of tag "team" is null
variable "team" {
  default = null
}
resource "huaweicloud_images_image_copy" "test" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "ok"
  tags = {
    env  = "dev"
    team = var.team
  }
}
