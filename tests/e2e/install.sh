#!/usr/bin/env bash
# The provider installed as users install it, with the client under test: `make install-provider`'s
# script into a HOME of its own followed by a plain init (no -plugin-dir, no dev_overrides, no CLI
# configuration), under the official address and beside it under a second one in one
# configuration, a copy moved from one address to the other with an empty plan, and the release
# zip of `make dist` installed from a packed mirror.
#
# Usage: tests/e2e/install.sh BIN_DIR
# HWIMS_E2E_TERRAFORM and HWIMS_E2E_CLIENT choose and name the client (see lib/e2e.bash).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(install_provider_plain_init install_provider_two_addresses move_between_addresses
       dist_packed_mirror)
source "$here/lib/e2e.bash"

# Nothing of the matrix's own CLI configuration: only what a user's machine would have.
unset TF_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR
export HOME=$work/home TF_VAR_imsd_url=$base
mkdir -p "$HOME"
version=$("$bin/terraform-provider-huaweicloud" --version | awk '{print $2; exit}')
run() { "$tf" "$@" -no-color >>"$work/last.log" 2>&1; }

# A configuration dir holding the within-region example, its provider block as written.
example() {
  mkdir -p "$1"
  cp "$e2e_root"/examples/within-region/*.tf "$1/"
}

t_plain_init() {
  local cfg=$work/plain
  : >"$work/last.log"
  "$e2e_root/scripts/install-provider" --bin "$bin" >>"$work/last.log" 2>&1 || return 1
  example "$cfg"
  (cd "$cfg" && run init && run apply -auto-approve && run plan -detailed-exitcode &&
    run destroy -auto-approve) || return 1
  grep -q "Installing huaweicloud/huaweicloud v$version" "$work/last.log" &&
    grep -q "Apply complete! Resources: 1 added" "$work/last.log" &&
    grep -q "No changes" "$work/last.log" &&
    grep -q "Destroy complete! Resources: 1 destroyed." "$work/last.log" &&
    grep -qF "provider \"$registry/huaweicloud/huaweicloud\"" "$cfg/.terraform.lock.hcl"
}
check install_provider_plain_init t_plain_init

# Both addresses in one configuration: "huaweicloud" stands for the official provider (this
# binary under its address, as no registry is reachable here) and "hwims" for this one under a
# second address; each serves one copy.
two_addresses() { # two_addresses DIR PROVIDER_OF_SECOND_COPY
  mkdir -p "$1"
  cat >"$1/main.tf" <<EOT
terraform {
  required_providers {
    huaweicloud = { source = "huaweicloud/huaweicloud" }
    hwims       = { source = "hwims/huaweicloud", version = "$version" }
  }
}
variable "imsd_url" {}
locals {
  settings = {
    ims = "\${var.imsd_url}/{region}/"
    iam = "\${var.imsd_url}/iam/"
    eps = "\${var.imsd_url}/eps/"
  }
}
provider "huaweicloud" {
  region     = "cn-north-4"
  access_key = "HWIMSDEMOACCESSKEY01"
  secret_key = "hwimsDemoSecretKey0123456789abcdefghijklm"
  endpoints  = local.settings
}
provider "hwims" {
  region     = "cn-north-4"
  access_key = "HWIMSDEMOACCESSKEY01"
  secret_key = "hwimsDemoSecretKey0123456789abcdefghijklm"
  endpoints  = local.settings
}
resource "huaweicloud_images_image_copy" "official" {
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "copy-under-official-address"
}
resource "huaweicloud_images_image_copy" "second" {
  provider        = $2
  source_image_id = "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"
  name            = "copy-under-second-address"
}
EOT
}

t_two_addresses() {
  local cfg=$work/two
  : >"$work/last.log"
  "$e2e_root/scripts/install-provider" --bin "$bin" --address hwims/huaweicloud >>"$work/last.log" 2>&1 ||
    return 1
  two_addresses "$cfg" hwims
  (cd "$cfg" && run init && run apply -auto-approve && run plan -detailed-exitcode) || return 1
  grep -q "Installing hwims/huaweicloud v$version" "$work/last.log" &&
    grep -q "Apply complete! Resources: 2 added" "$work/last.log" &&
    grep -q "No changes" "$work/last.log" &&
    grep -qF "provider \"$registry/hwims/huaweicloud\"" "$cfg/.terraform.lock.hcl" &&
    (cd "$cfg" && "$tf" state show -no-color huaweicloud_images_image_copy.second) >"$work/show.txt" &&
    grep -q 'copy-under-second-address' "$work/show.txt"
}
check install_provider_two_addresses t_two_addresses

# The copy the official address made moves to the second one: only the provider meta-argument
# changes, the plan is empty, and after apply the state records the new address.
t_move() {
  local cfg=$work/move
  : >"$work/last.log"
  two_addresses "$cfg" huaweicloud
  (cd "$cfg" && run init && run apply -auto-approve) || return 1
  two_addresses "$cfg" hwims
  (cd "$cfg" && run plan -detailed-exitcode && run apply -auto-approve) || return 1
  grep -q "No changes" "$work/last.log" &&
    awk '/"name": "second"/ { f = 1 } f && /"provider"/ { print; exit }' "$cfg/terraform.tfstate" >"$work/moved.txt" &&
    grep -qF "provider[\\\"$registry/hwims/huaweicloud\\\"]" "$work/moved.txt" &&
    (cd "$cfg" && run plan -detailed-exitcode && run destroy -auto-approve) &&
    grep -q "Destroy complete! Resources: 2 destroyed." "$work/last.log"
}
check move_between_addresses t_move

# make dist's zip is what a registry or a packed mirror serves: its checksums hold, and init
# installs it from MIRROR/HOST/NAMESPACE/TYPE/.
t_dist() {
  local cfg=$work/dist-cfg mirror=$work/mirror/$registry/huaweicloud/huaweicloud
  : >"$work/last.log"
  "$e2e_root/scripts/dist" --bin "$bin" --out "$work/dist" >>"$work/last.log" 2>&1 || return 1
  (cd "$work/dist" && sha256sum -c "terraform-provider-huaweicloud_${version}_SHA256SUMS") \
    >>"$work/last.log" 2>&1 || return 1
  grep -q '"protocol_versions": \["6.0"\]' "$work/dist/terraform-provider-huaweicloud_${version}_manifest.json" ||
    return 1
  mkdir -p "$mirror"
  cp "$work/dist"/*.zip "$mirror/"
  example "$cfg"
  (cd "$cfg" && HOME=$work/empty-home run init -plugin-dir="$work/mirror" &&
    HOME=$work/empty-home run plan) || return 1
  grep -q "Installing huaweicloud/huaweicloud v$version" "$work/last.log" &&
    grep -q "1 to add, 0 to change, 0 to destroy" "$work/last.log"
}
check dist_packed_mirror t_dist

e2e_finish
