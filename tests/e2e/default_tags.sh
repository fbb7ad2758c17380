#!/usr/bin/env bash
# End-to-end test of the provider's default_tags and ignore_tags with a real client: the copy
# gets the defaults besides its own tags (its own win), a tag added outside Terraform under an
# ignored key is never a change, a changed default is moved by one update, unset tags plan the
# defaults, and every step re-plans empty. The copy's real tags are read with hwims. Prints
# cmocka-style lines so the test runner counts each case.
#
# Usage: tests/e2e/default_tags.sh BIN_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(defaults_applied ignored_tag_no_change default_changed tags_unset_plan_defaults destroy)
source "$here/lib/e2e.bash"

cp "$here/default_tags/main.tf" "$work/"
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
out_json() { "$tf" output -json "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }
# The copy's tags as the API has them, as sorted JSON.
image_tags() {
  "$bin/hwims" show "cn-north-4/$(out id)" --output json 2>>"$work/last.log" |
    python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["tags"], sort_keys=True))'
}
empty_plan() { run plan -detailed-exitcode "${vars[@]}" "$@"; }
tags_are() { # tags_are WANT_JSON: the copy's real tags
  local got
  got=$(image_tags)
  [ "$got" = "$1" ] || { echo "the copy has tags $got, want $1" >>"$work/last.log"; return 1; }
}

t_defaults() {
  run apply -auto-approve "${vars[@]}" || return 1
  [ "$(out_json tags)" = '{"env": "prod"}' ] && tags_are '{"env": "prod", "team": "core"}' && empty_plan
}
check defaults_applied t_defaults

t_ignored() {
  "$bin/hwims" update "cn-north-4/$(out id)" --tag owner=ops >"$work/last.log" 2>&1 || return 1
  empty_plan && tags_are '{"env": "prod", "owner": "ops", "team": "core"}'
}
check ignored_tag_no_change t_ignored

t_default_changed() {
  local v=(-var 'default_tags={team="platform",env="dev"}')
  run apply -auto-approve "${vars[@]}" "${v[@]}" || return 1
  grep -q "0 added, 1 changed, 0 destroyed" "$work/last.log" || return 1
  empty_plan "${v[@]}" && tags_are '{"env": "prod", "owner": "ops", "team": "platform"}'
}
check default_changed t_default_changed

t_unset() {
  local v=(-var 'default_tags={team="platform",env="dev"}' -var 'tags=null')
  run apply -auto-approve "${vars[@]}" "${v[@]}" || return 1
  [ "$(out_json tags)" = '{"env": "dev", "team": "platform"}' ] && empty_plan "${v[@]}" &&
    tags_are '{"env": "dev", "owner": "ops", "team": "platform"}'
}
check tags_unset_plan_defaults t_unset

t_destroy() {
  local id
  id=$(out id)
  run destroy -auto-approve "${vars[@]}" -var 'default_tags={team="platform",env="dev"}' \
    -var 'tags=null' || return 1
  ! "$bin/hwims" list --output json 2>/dev/null | grep -q "$id"
}
check destroy t_destroy

e2e_finish
