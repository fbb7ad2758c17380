#!/usr/bin/env bash
# End-to-end test of the data sources huaweicloud_images_image and huaweicloud_images_images with
# a real client: the schema it loads lists both with every documented name and type; a public
# image is found by name; the fan-out example looks the golden image up by name, copies it to two
# regions and lists the copies with huaweicloud_images_images filtered by their tag (a read
# deferred to apply); apply, an empty re-plan, destroy; and the other examples, which look their
# source up by name. (IMS replicates only images the project owns, IMG.0047, so the copied
# golden image is a private one; the public lookup is checked on its own.) Prints
# cmocka-style lines so the test runner counts each case.
#
# Usage: tests/e2e/datasources.sh BIN_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(schema_json public_image_by_name fan_out_apply copies_found_by_tag fan_out_noop_plan fan_out_destroy
       within_region_example cross_region_example)
source "$here/lib/e2e.bash"

cp "$e2e_root/examples/fan-out/"*.tf "$work/"
cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/tfrc"
cd "$work"

vars=(-var "imsd_url=$base")
run() { "$tf" "$@" -no-color >"$work/last.log" 2>&1; }

# The schema as the client loaded it: both data sources, every documented name and type.
t_schema_json() {
  "$tf" providers schema -json >"$work/schema.json" 2>"$work/last.log" || return 1
  python3 - "$work/schema.json" "$registry" >"$work/last.log" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
p = next(v for k, v in doc["provider_schemas"].items() if k.endswith("huaweicloud/huaweicloud"))
ds = p["data_source_schemas"]
args = dict.fromkeys("region image_id name name_regex image_type visibility owner flavor_id "
                     "sort_key sort_direction os architecture tag enterprise_project_id".split(),
                     "string")
args["is_whole_image"] = "bool"
image = dict.fromkeys("os_version file schema status description container_format disk_format "
                      "data_origin backup_id active_at created_at updated_at".split(), "string")
image.update(protected="bool", min_ram_mb="number", max_ram_mb="number", min_disk_gb="number",
             size_bytes="number")
one = dict(args, most_recent="bool", id="string", **image)
elem = dict(image, id="string", name="string", image_type="string", visibility="string",
            owner="string", os="string", architecture="string", enterprise_project_id="string",
            __support_agent_list="string")
many = dict(args, __support_agent_list="string", id="string",
            images=["list", ["object", elem]])
bad = []
for name, want in (("huaweicloud_images_image", one), ("huaweicloud_images_images", many)):
    got = {k: v["type"] for k, v in ds[name]["block"]["attributes"].items()}
    if got != want:
        bad.append("%s: got %s, want %s" % (name, got, want))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}
check schema_json t_schema_json

# A public image found by name, as the official pages' examples look one up.
t_public() {
  local dir="$work/public"
  mkdir -p "$dir" && cp "$work/provider.tf" "$dir/" || return 1
  cat >"$dir/main.tf" <<'TF'
data "huaweicloud_images_image" "ubuntu" {
  name        = "Ubuntu 22.04 server 64bit"
  visibility  = "public"
  most_recent = true
}
output "id" {
  value = data.huaweicloud_images_image.ubuntu.id
}
output "os_version" {
  value = data.huaweicloud_images_image.ubuntu.os_version
}
TF
  (cd "$dir" && run apply -auto-approve -var "imsd_url=$base" &&
    [ "$("$tf" output -raw id)" = 6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c06 ] &&
    [ "$("$tf" output -raw os_version)" = "Ubuntu 22.04 server 64bit" ])
}
check public_image_by_name t_public

# The fan-out: the golden image found by name, one copy per region, each where it should be.
t_apply() {
  run apply -auto-approve "${vars[@]}" || return 1
  "$tf" output -json copies >"$work/copies.json" 2>>"$work/last.log" || return 1
  python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
sys.exit(0 if sorted(c) == ["ap-southeast-1", "cn-south-1"] and all(c.values()) else 1)
' "$work/copies.json"
}
check fan_out_apply t_apply

# huaweicloud_images_images filtered by the release tag finds exactly each region's copy.
t_found() {
  "$tf" output -json found_by_tag >"$work/found.json" 2>"$work/last.log" || return 1
  python3 -c '
import json, sys
c = json.load(open(sys.argv[1])); f = json.load(open(sys.argv[2]))
sys.exit(0 if all(f.get(r) == [i] for r, i in c.items()) and len(f) == len(c) else 1)
' "$work/copies.json" "$work/found.json" || { cat "$work/copies.json" "$work/found.json" >>"$work/last.log"; return 1; }
}
check copies_found_by_tag t_found

t_noop() {
  run plan -detailed-exitcode "${vars[@]}"
}
check fan_out_noop_plan t_noop

t_destroy() {
  run destroy -auto-approve "${vars[@]}"
}
check fan_out_destroy t_destroy

# The other examples that look their source up by name: apply, empty re-plan, destroy.
t_example() {
  local dir="$work/$1"
  mkdir -p "$dir" && cp "$e2e_root/examples/$1/"*.tf "$dir/" || return 1
  (cd "$dir" && run apply -auto-approve -var "imsd_url=$base" &&
    run plan -detailed-exitcode -var "imsd_url=$base" &&
    run destroy -auto-approve -var "imsd_url=$base")
}
check within_region_example t_example within-region
check cross_region_example t_example cross-region

e2e_finish
