#!/usr/bin/env bash
# End-to-end test with the real terraform (or tofu) binary: apply, no-op
# plan, in-place update, replacement, import, drift and destroy of
# huaweicloud_images_image_copy against a real imsd. Prints cmocka-style
# summary lines so the test runner counts each case; skips (and says so) when
# neither terraform nor tofu is installed.
#
# Usage: tests/e2e/terraform.sh BIN_DIR
set -uo pipefail
bin=$(cd "${1:?usage: terraform.sh BIN_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tf=${HWIMS_E2E_TERRAFORM:-$(command -v terraform || command -v tofu || true)}
cases=(apply noop_plan update_in_place replace_force_new import drift_recreate cross_region destroy)
if [ -z "$tf" ]; then
  echo "terraform/tofu not installed: skipping"
  echo "[  SKIPPED ] ${#cases[@]} test(s)."
  exit 0
fi
for b in imsd hwims terraform-provider-huaweicloud; do
  [ -x "$bin/$b" ] || { echo "missing $bin/$b"; echo "[  FAILED  ] 1 test(s), listed below:"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-e2e.XXXXXX")
imsd_pid=
cleanup() {
  [ -n "$imsd_pid" ] && kill "$imsd_pid" 2>/dev/null && wait "$imsd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/ready"
"$bin/imsd" --listen 127.0.0.1:0 --data "$work/data" --time-scale 200 --quiet >"$work/ready" 2>"$work/imsd.log" &
imsd_pid=$!
read -r line <"$work/ready"
base=${line##* }

cp "$here/terraform/main.tf" "$work/"
cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export HW_REGION_NAME=cn-north-4 HW_ACCESS_KEY=HWIMSDEMOACCESSKEY01
export HW_SECRET_KEY=hwimsDemoSecretKey0123456789abcdefghijklm
export HW_IMS_ENDPOINT="$base/{region}/" HW_IAM_ENDPOINT="$base/iam/" HW_EPS_ENDPOINT="$base/eps/"
cd "$work"

passed=0 failed=()
vars=(-var "imsd_url=$base")
run() { "$tf" "$@" -no-color >"$work/last.log" 2>&1; }
out() { "$tf" output -raw "$1" 2>/dev/null; }
# plan_is SUMMARY: the plan's summary line (or "No changes") must contain SUMMARY.
plan_is() {
  run plan "${vars[@]}" "${extra[@]}"
  grep -q -- "$1" "$work/last.log"
}
check() { # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "[       OK ] $name"
  else
    failed+=("$name")
    echo "[  FAILED  ] $name"
    sed -n '1,60p' "$work/last.log"
  fi
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

echo "$("$tf" version | head -n 1) against imsd at $base"
if [ ${#failed[@]} -gt 0 ]; then
  echo "[  PASSED  ] $passed test(s)."
  echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${failed[@]}"
  exit 1
fi
echo "[  PASSED  ] $passed test(s)."
