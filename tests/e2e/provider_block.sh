#!/usr/bin/env bash
# End-to-end test of the provider block with a real client: the official huaweicloud provider's
# documented provider-block examples, one per way to authenticate (static keys, temporary keys,
# environment variables, shared configuration file with a profile, assume_role, the ECS metadata
# service), written as its docs/index.md has them, changed only in values and in the endpoints
# that point them at imsd, load (terraform validate) and plan; each plan reads a public image
# through the data source, so the credentials are really used against imsd. A block copied with
# an argument this provider does not implement fails validate naming it; the arguments that are
# accepted without effect and other services' endpoints plan, with a warning for the endpoints.
# Prints cmocka-style lines so the test runner counts each case.
#
# Usage: tests/e2e/provider_block.sh BIN_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(static_credentials temporary_credentials environment_variables shared_config_file
       assume_role ecs_metadata unimplemented_argument_refused no_effect_arguments_plan)
source "$here/lib/e2e.bash"

cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/tfrc"

ak=HWIMSDEMOACCESSKEY01
sk=hwimsDemoSecretKey0123456789abcdefghijklm
# Where the provider asks for ECS metadata credentials instead of 169.254.169.254 (imsd serves
# /openstack/latest/securitykey).
metadata_env=HWIMS_METADATA_URL

# The endpoints of every case: imsd, given to the provider through the environment so that the
# provider blocks stay as the official documentation writes them.
endpoint_env=(HW_IMS_ENDPOINT="$base/{region}/" HW_IAM_ENDPOINT="$base/iam/"
              HW_EPS_ENDPOINT="$base/eps/")

# case_dir NAME PROVIDER-BLOCK: a configuration of the official provider's required_providers,
# the block, and a public image looked up at plan time.
case_dir() {
  local dir="$work/$1"
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

$2

data "huaweicloud_images_image" "ubuntu" {
  name        = "Ubuntu 22.04 server 64bit"
  visibility  = "public"
  most_recent = true
}

output "image_id" {
  value = data.huaweicloud_images_image.ubuntu.id
}
TF
  echo "$dir"
}

# load_and_plan DIR [ENV...]: validate, then plan, in DIR with the endpoints and ENV set; the
# plan must show the image's ID, which only a read with working credentials gets.
load_and_plan() {
  local dir=$1
  shift
  (cd "$dir" && env "${endpoint_env[@]}" "$@" "$tf" validate -no-color >"$work/last.log" 2>&1 &&
    env "${endpoint_env[@]}" "$@" "$tf" plan -no-color >>"$work/last.log" 2>&1 &&
    grep -q '6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06' "$work/last.log")
}

t_static() {
  load_and_plan "$(case_dir static 'provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "'$ak'"
  secret_key = "'$sk'"
}')"
}
check static_credentials t_static

t_temporary() {
  load_and_plan "$(case_dir temporary 'provider "huaweicloud" {
  region         = "cn-north-4"
  access_key     = "HWIMSTEMPACCESSKEY03"
  secret_key     = "hwimsTempSecretKey0123456789abcdefghijklm"
  security_token = "hwims-demo-security-token-valid-until-2099"
}')"
}
check temporary_credentials t_temporary

t_env() {
  load_and_plan "$(case_dir env 'provider "huaweicloud" {}')" \
    HW_ACCESS_KEY="$ak" HW_SECRET_KEY="$sk" HW_REGION_NAME=cn-north-4
}
check environment_variables t_env

# The Huawei Cloud CLI's configuration file, unencrypted, with the profile the example names
# and another one that is current, so the profile is really chosen.
t_shared() {
  mkdir -p "$work/home/tf_user/.hcloud"
  cat >"$work/home/tf_user/.hcloud/config.json" <<JSON
{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "AKSK", "accessKeyId": "NOSUCHACCESSKEY00000",
     "secretAccessKey": "wrong", "region": "cn-north-4"},
    {"name": "customprofile", "mode": "AKSK", "accessKeyId": "$ak",
     "secretAccessKey": "$sk", "region": "cn-north-4"}
  ]
}
JSON
  load_and_plan "$(case_dir shared 'provider "huaweicloud" {
  shared_config_file = "'"$work"'/home/tf_user/.hcloud/config.json"
  profile            = "customprofile"
}')"
}
check shared_config_file t_shared

t_assume() {
  load_and_plan "$(case_dir assume 'provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "'$ak'"
  secret_key = "'$sk'"

  assume_role {
    agency_name = "ims_admin_agency"
    domain_name = "hwims-demo"
  }
}')"
}
check assume_role t_assume

t_metadata() {
  load_and_plan "$(case_dir metadata 'provider "huaweicloud" {
  region = "cn-north-4"
}')" "$metadata_env=$base"
}
check ecs_metadata t_metadata

# The official documentation's older password example: refused at validate, naming the
# argument and what to use instead, before anything is called.
t_refused() {
  local dir
  dir=$(case_dir refused 'provider "huaweicloud" {
  region      = "cn-north-4"
  user_name   = "tf_user"
  password    = "tf_password"
  domain_name = "my_account"
}')
  (cd "$dir" && ! "$tf" validate -no-color >"$work/last.log" 2>&1) &&
    grep -q 'Unsupported argument user_name' "$work/last.log" &&
    grep -q 'Unsupported argument password' "$work/last.log" &&
    grep -q 'access_key' "$work/last.log"
}
check unimplemented_argument_refused t_refused

# Arguments accepted without effect, and endpoints of services this provider does not call
# (the official page's `ecs` example): the plan works and warns about the endpoint only.
t_no_effect() {
  local dir
  dir=$(case_dir noeffect 'provider "huaweicloud" {
  region                  = "cn-north-4"
  access_key              = "'$ak'"
  secret_key              = "'$sk'"
  regional                = true
  enable_force_new        = true
  skip_check_website_type = true
  skip_check_upgrade      = true
  signing_algorithm       = "HmacSHA256"
  max_retries             = 3

  endpoints = {
    ims = "'"$base"'/{region}/"
    iam = "'"$base"'/iam/"
    eps = "'"$base"'/eps/"
    ecs = "https://ecs-customizing-endpoint.com"
  }
}')
  load_and_plan "$dir" && grep -q 'Endpoint not used by this provider' "$work/last.log"
}
check no_effect_arguments_plan t_no_effect

e2e_finish
