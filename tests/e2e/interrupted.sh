#!/usr/bin/env bash
# End-to-end: creates interrupted the hard way, with the real terraform (or tofu) binary against
# a real imsd. kill -9 of terraform, kill -9 of the provider, Ctrl-C then destroy, and a copy
# request whose answer is lost: after each, exactly one copy exists and it is in the state (or,
# after destroy, none is left). Prints cmocka-style summary lines so the test runner counts each
# case; a case name ends in " [CLIENT]" when HWIMS_E2E_CLIENT names the client.
#
# Usage: tests/e2e/interrupted.sh BIN_DIR     (client: HWIMS_E2E_TERRAFORM, else terraform/tofu)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(kill_terraform_mid_create kill_provider_mid_create destroy_right_after_interrupted_create
       kill_terraform_mid_destroy lost_answer_to_the_copy_request)
# Time scale 150: the 100 GiB copy's job runs about 7 s, long enough to be killed in; the admin
# API sets the lost-answer fault.
e2e_time_scale=150
e2e_imsd_args=(--admin)
source "$here/lib/e2e.bash"

cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
# The provider keeps the records of copies in flight under XDG_STATE_HOME (its default place).
export TF_CLI_CONFIG_FILE="$work/tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export XDG_STATE_HOME="$work/state" HWIMS_STATE_DIR=
export HW_REGION_NAME=cn-north-4 HW_ACCESS_KEY=HWIMSDEMOACCESSKEY01
export HW_SECRET_KEY=hwimsDemoSecretKey0123456789abcdefghijklm
export HW_IMS_ENDPOINT="$base/{region}/" HW_IAM_ENDPOINT="$base/iam/" HW_EPS_ENDPOINT="$base/eps/"
records=$work/state/hwims

log=$work/last.log

# tfin CASE ARGS...: run the client in the case's own directory (own configuration and state).
tfin() {
  local dir=$work/$1
  shift
  (cd "$dir" && "$tf" "$@" -no-color) >>"$log" 2>&1
}
setup() {
  : >"$log"
  mkdir -p "$work/$1"
  cp "$here/interrupted/main.tf" "$work/$1/" # no init: dev_overrides need none
}
args() { echo -auto-approve -input=false -var "imsd_url=$base" -var "name=$1"; }
# The IDs of the images named NAME in cn-north-4, one per line.
images() {
  "$bin/hwims" list --name "$1" --output json 2>>"$log" |
    python3 -c 'import json,sys; [print(i["id"]) for i in json.load(sys.stdin)]'
}
# wait_for SECONDS COMMAND...: poll every 0.1 s.
wait_for() {
  local n=$(($1 * 10))
  shift
  while [ "$n" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}
job_recorded() { grep -qs '"job_id"' "$records"/*.rec; }
gone() { ! kill -0 "$1" 2>/dev/null; }
provider_of() {
  local p
  p=$(pgrep -P "$1" -f terraform-provider-huaweicloud | head -n 1)
  [ -n "$p" ] && echo "$p"
}
# Exactly one image named NAME, and it is the one in CASE's state, active and not tainted.
one_copy_in_state() {
  local ids id
  ids=$(images "$2")
  id=$(cd "$work/$1" && "$tf" output -raw id 2>>"$log")
  echo "images named $2: [$ids]; in state: [$id]" >>"$log"
  [ "$ids" = "$id" ] && [ -n "$id" ] &&
    [ "$(cd "$work/$1" && "$tf" output -raw status 2>>"$log")" = active ] &&
    (cd "$work/$1" && "$tf" plan -input=false -no-color -detailed-exitcode -var "imsd_url=$base" \
      -var "name=$2") >>"$log" 2>&1
}

# Start an apply of CASE in the background, wait until the copy job was accepted; sets $apply.
start_apply() {
  setup "$1" || return 1
  (cd "$work/$1" && exec "$tf" apply $(args "$2") -no-color) >>"$log" 2>&1 &
  apply=$!
  wait_for 60 job_recorded || { echo "no copy job was recorded" >>"$log"; return 1; }
}

# 1. kill -9 terraform mid-create: the provider ends by itself within seconds, and the next
#    apply resumes the copy instead of making a second one.
t_kill_terraform() {
  local prov
  start_apply "$1" golden-kill-tf || return 1
  prov=$(provider_of "$apply")
  [ -n "$prov" ] || { echo "no provider process under terraform" >>"$log"; return 1; }
  kill -9 "$apply"
  wait "$apply" 2>/dev/null
  wait_for 5 gone "$prov" || { echo "provider $prov still running after terraform died" >>"$log"; return 1; }
  TF_LOG_PROVIDER=WARN tfin "$1" apply $(args golden-kill-tf) || return 1
  grep -q "resuming the copy an interrupted create requested" "$log" || return 1
  one_copy_in_state "$1" golden-kill-tf
}
check kill_terraform_mid_create t_kill_terraform kill_terraform_mid_create

# 2. kill -9 of the provider mid-create: terraform fails, the next apply resumes the copy.
t_kill_provider() {
  local prov
  start_apply "$1" golden-kill-provider || return 1
  prov=$(provider_of "$apply")
  [ -n "$prov" ] || { echo "no provider process under terraform" >>"$log"; return 1; }
  kill -9 "$prov"
  wait "$apply" && { echo "apply succeeded although its provider was killed" >>"$log"; return 1; }
  tfin "$1" apply $(args golden-kill-provider) || return 1
  one_copy_in_state "$1" golden-kill-provider
}
check kill_provider_mid_create t_kill_provider kill_provider_mid_create

# 3. Ctrl-C mid-create, then destroy at once: the destroy waits for the running job and deletes
#    the copy (it failed with IMG.0090, "being created", before).
t_destroy_after_interrupt() {
  start_apply "$1" golden-interrupted || return 1
  kill -INT "$apply"
  wait "$apply" && { echo "apply succeeded although interrupted" >>"$log"; return 1; }
  [ -n "$(images golden-interrupted)" ] || { echo "no copy was made" >>"$log"; return 1; }
  tfin "$1" destroy $(args golden-interrupted) || return 1
  [ -z "$(images golden-interrupted)" ]
}
check destroy_right_after_interrupted_create t_destroy_after_interrupt destroy_right_after_interrupted_create

# 4. kill -9 of terraform while a destroy waits for the running job: the copy stays in the
#    state, and the next destroy removes it.
t_kill_terraform_mid_destroy() {
  local destroy prov
  start_apply "$1" golden-kill-destroy || return 1
  kill -INT "$apply"
  wait "$apply"
  (cd "$work/$1" && exec "$tf" destroy $(args golden-kill-destroy) -no-color) >>"$log" 2>&1 &
  destroy=$!
  wait_for 30 provider_of "$destroy" >/dev/null || return 1
  prov=$(provider_of "$destroy")
  sleep 1 # the delete is waiting for the copy job now
  kill -9 "$destroy"
  wait "$destroy" 2>/dev/null
  wait_for 5 gone "$prov" || { echo "provider $prov still running after terraform died" >>"$log"; return 1; }
  [ -n "$(images golden-kill-destroy)" ] || { echo "the copy went although destroy was killed" >>"$log"; }
  tfin "$1" destroy $(args golden-kill-destroy) || return 1
  [ -z "$(images golden-kill-destroy)" ]
}
check kill_terraform_mid_destroy t_kill_terraform_mid_destroy kill_terraform_mid_destroy

# 5. The answer to the copy request is lost after imsd made the copy: the apply finds that copy
#    and ends in success with it, no second copy, nothing tainted.
t_lost_answer() {
  setup "$1" || return 1
  curl -sf -X PUT -d '{"lost_answer_rate":1,"budget":1,"path_pattern":"*/copy"}' \
    "$base/_admin/faults" >>"$log" || return 1
  tfin "$1" apply $(args golden-lost-answer)
  local rc=$?
  curl -sf -X DELETE "$base/_admin/faults" >>"$log"
  [ "$rc" = 0 ] && one_copy_in_state "$1" golden-lost-answer
}
check lost_answer_to_the_copy_request t_lost_answer lost_answer_to_the_copy_request

e2e_finish
