#!/usr/bin/env bash
# End-to-end test with a real client (terraform or tofu): apply, no-op plan, in-place update,
# replacement, import (the command, an import block, generated configuration), drift and
# destroy of huaweicloud_images_image_copy against a real imsd, and the provider address the
# client records. Prints cmocka-style lines so the test runner counts each case.
#
# Usage: tests/e2e/terraform.sh BIN_DIR
# HWIMS_E2E_TERRAFORM and HWIMS_E2E_CLIENT choose and name the client (see lib/e2e.bash).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(apply provider_address noop_plan update_in_place replace_force_new import import_block
       generate_config drift_recreate cross_region generate_config_cross destroy)
source "$here/lib/e2e.bash"

cp "$here/terraform/main.tf" "$work/"
cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/tfrc"
export HW_REGION_NAME=cn-north-4 HW_ACCESS_KEY=HWIMSDEMOACCESSKEY01
export HW_SECRET_KEY=hwimsDemoSecretKey0123456789abcdefghijklm
export HW_IMS_ENDPOINT="$base/{region}/" HW_IAM_ENDPOINT="$base/iam/" HW_EPS_ENDPOINT="$base/eps/"
cd "$work"

vars=(-var "imsd_url=$base")
run() { "$tf" "$@" -no-color >"$work/last.log" 2>&1; }
out() { "$tf" output -raw "$1" 2>/dev/null; }
# plan_is SUMMARY: the plan's summary line (or "No changes") must contain SUMMARY.
plan_is() {
  run plan "${vars[@]}" "${extra[@]}"
  grep -q -- "$1" "$work/last.log"
}
extra=()

# 1. apply: the copy is active, encrypted with the key, from the right origin.
t_apply() {
  run apply -auto-approve "${vars[@]}" || return 1
  [ "$(out status)" = active ] && [ "$(out kms_key_id)" = 7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01 ] &&
    [ "$(out data_origin)" = "image,cn-north-4,6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01" ] &&
    [ "$(out tags)" = '{"env":"test"}' ]
}
check apply t_apply

# The state records the provider under the client's own default registry host: the short
# source "huaweicloud/huaweicloud" and the dev_overrides key resolve to it in either client.
t_provider_address() {
  "$tf" state pull >"$work/last.log" 2>&1 &&
    grep -qF "provider[\\\"$registry/huaweicloud/huaweicloud\\\"]" "$work/last.log"
}
check provider_address t_provider_address

# 2. a second plan is empty (no perpetual diff for unset optional+computed attributes).
check noop_plan plan_is "No changes."

# 3. name, description, max_ram and tags change in place, same ID.
t_update() {
  local id
  id=$(out id)
  extra=(-var name=e2e-renamed -var description=updated -var max_ram=4096 -var 'tags={"env":"prod","team":"platform"}')
  plan_is "0 to add, 1 to change, 0 to destroy" || return 1
  run apply -auto-approve "${vars[@]}" "${extra[@]}" || return 1
  [ "$(out id)" = "$id" ] && [ "$(out name)" = e2e-renamed ] && [ "$(out max_ram)" = 4096 ] &&
    [ "$(out tags)" = '{"env":"prod","team":"platform"}' ] && plan_is "No changes."
}
check update_in_place t_update

# 4. a new kms_key_id replaces the copy.
t_replace() {
  local id
  id=$(out id)
  extra+=(-var kms_key_id=7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02)
  plan_is "1 to add, 0 to change, 1 to destroy" || return 1
  grep -q "forces replacement" "$work/last.log" || return 1
  run apply -auto-approve "${vars[@]}" "${extra[@]}" || return 1
  [ "$(out id)" != "$id" ] && [ "$(out kms_key_id)" = 7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02 ]
}
check replace_force_new t_replace

# 5. forget the copy, import it back by region/id: the next plan is empty.
t_import() {
  local id
  id=$(out id)
  run state rm huaweicloud_images_image_copy.test || return 1
  run import "${vars[@]}" "${extra[@]}" huaweicloud_images_image_copy.test "cn-north-4/$id" || return 1
  plan_is "No changes."
}
check import t_import

# 5b. the same through an import block (Terraform 1.5+, every tofu): planned as an import.
t_import_block() {
  local id
  id=$(out id)
  run state rm huaweicloud_images_image_copy.test || return 1
  printf 'import {\n  to = huaweicloud_images_image_copy.test\n  id = "cn-north-4/%s"\n}\n' "$id" >"$work/import.tf"
  plan_is "1 to import, 0 to add, 0 to change, 0 to destroy" || return 1
  run apply -auto-approve "${vars[@]}" "${extra[@]}" || return 1
  rm "$work/import.tf"
  [ "$(out id)" = "$id" ] && plan_is "No changes."
}
if at_least 1.5; then check import_block t_import_block; fi

# 5c. configuration generated for an import block (-generate-config-out) describes the copy
#     exactly: it validates as it is, applying it imports and changes nothing, and the next
#     plan is empty. In a configuration of its own (DIR), so the main one is untouched.
#     Usage: generated_config_round_trip DIR IMPORT_ID SOURCE_IMAGE_ID
generated_config_round_trip() {
  local gen=$work/$1
  mkdir -p "$gen"
  sed '/^resource /,$d' "$work/main.tf" >"$gen/main.tf"
  printf 'import {\n  to = huaweicloud_images_image_copy.imported\n  id = "%s"\n}\n' "$2" >>"$gen/main.tf"
  (
    cd "$gen" || exit 1
    run plan "${vars[@]}" -generate-config-out=generated.tf || exit 1
    grep -q 'resource "huaweicloud_images_image_copy" "imported"' generated.tf &&
      grep -q "source_image_id *= *\"$3\"" generated.tf || {
      cat generated.tf >>"$work/last.log"
      exit 1
    }
    run validate || { cat generated.tf >>"$work/last.log"; exit 1; }
    run apply -auto-approve "${vars[@]}" || { cat generated.tf >>"$work/last.log"; exit 1; }
    grep -q "1 imported, 0 added, 0 changed, 0 destroyed" "$work/last.log" || exit 1
    run plan "${vars[@]}" && grep -q "No changes." "$work/last.log" || {
      cat generated.tf >>"$work/last.log"
      exit 1
    }
  )
}
t_generate_config() {
  generated_config_round_trip gen "cn-north-4/$(out id)" 6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01
}
if at_least 1.5; then check generate_config t_generate_config; fi

# 6. the copy is deleted outside Terraform: the plan recreates it, no error.
t_drift() {
  "$bin/hwims" delete "cn-north-4/$(out id)" >"$work/last.log" 2>&1 || return 1
  plan_is "1 to add, 0 to change, 0 to destroy" || return 1
  run apply -auto-approve "${vars[@]}" "${extra[@]}" || return 1
  [ "$(out status)" = active ]
}
check drift_recreate t_drift

# 7. the cross-region copy lives in cn-south-1 and came from cn-north-4.
t_cross() {
  [ "$(out south_region)" = cn-south-1 ] &&
    [ "$(out south_origin)" = "image,cn-north-4,6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02" ] &&
    "$bin/hwims" show "cn-south-1/$(out south_id)" >"$work/last.log" 2>&1
}
check cross_region t_cross

# 7b. the same round trip for the cross-region copy: no agency and no enterprise project is
#     generated (a read cannot know the one, and the other is only for copies within a region),
#     and the configuration validates without them.
t_generate_config_cross() {
  generated_config_round_trip gen-south "cn-south-1/$(out south_id)" \
    6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02 || return 1
  ! grep -Eq '^ *(enterprise_project_id|agency_name) *= *"' "$work/gen-south/generated.tf" || {
    cat "$work/gen-south/generated.tf" >>"$work/last.log"
    return 1
  }
}
if at_least 1.5; then check generate_config_cross t_generate_config_cross; fi

# 8. destroy removes both copies from imsd.
t_destroy() {
  local id south
  id=$(out id)
  south=$(out south_id)
  run destroy -auto-approve "${vars[@]}" "${extra[@]}" || return 1
  ! "$bin/hwims" list --output json 2>/dev/null | grep -q "$id" &&
    ! "$bin/hwims" list --region cn-south-1 --output json 2>/dev/null | grep -q "$south"
}
check destroy t_destroy

e2e_finish
