#!/usr/bin/env bash
# Fan-out benchmark: one `terraform apply` of 30 cross-region copies (3 source images to 2
# target regions) plus 20 within-region copies (bench/fanout/main.tf) against imsd with its
# default quota of 5 concurrent cross-region copies, at several -parallelism values and with
# imsd answering a share of all requests with 429. For each run it checks what a user needs
# (every copy in state, none tainted, each made exactly once, an empty re-plan, nothing left
# after destroy) and prints wall time, API calls, the IMG.0060 refusals waited out and the 429s
# ridden out. Results go into bench/RESULTS.md by hand.
#
# Usage: bench/fanout/run.sh [PARALLELISM:THROTTLE_RATE ...]   (default: 30:0 10:0 30:0.5)
#        env: BUILD=build, SCALE=100 (imsd time scale), TF=terraform or tofu
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${BUILD:-build}
scale=${SCALE:-100}
tf=${TF:-$(command -v terraform || command -v tofu || true)}
[ -n "$tf" ] || { echo "bench/fanout: neither terraform nor tofu is installed"; exit 1; }
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(30:0 10:0 30:0.5)
if [ ! -x "$build/bin/imsd" ] || [ ! -x "$build/bin/terraform-provider-huaweicloud" ] ||
   [ ! -x "$build/bin/hwims" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd terraform-provider-huaweicloud hwims -j2 >/dev/null
fi
bin=$(cd "$build/bin" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-fanout.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/tfrc" <<EOT
provider_installation {
  dev_overrides {
    "huaweicloud/huaweicloud" = "$bin"
  }
  direct {}
}
EOT
export TF_CLI_CONFIG_FILE="$work/tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

now() { date +%s.%N; }
lines() { wc -l <"$work/imsd.log"; }
# Requests logged since line $1 whose line matches the extended regexp $2.
count_since() { tail -n +"$(($1 + 1))" "$work/imsd.log" | grep -cE "$2" || true; }
fail() { echo "bench/fanout: $*" >&2; exit 1; }

printf '%s, imsd --time-scale %s, quota 5 concurrent cross-region copies\n' \
  "$("$tf" version | head -n 1)" "$scale"
printf '| -parallelism | 429 rate | wall time (s) | API calls | IMG.0060 waited out | 429 ridden out | copies made | in state | tainted | re-plan |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for run in "${runs[@]}"; do
  par=${run%%:*} rate=${run##*:}
  rm -rf "$work/data" "$work/cfg"
  mkdir -p "$work/cfg"
  cp "$root/bench/fanout/main.tf" "$work/cfg/main.tf"
  mkfifo "$work/ready"
  "$bin/imsd" --listen 127.0.0.1:0 --data "$work/data" --time-scale "$scale" --admin \
    >"$work/ready" 2>"$work/imsd.log" &
  pid=$!
  read -r line <"$work/ready"
  rm -f "$work/ready"
  base=${line##* }
  curl -sf -X PUT -d "{\"throttle_rate\":$rate,\"retry_after_s\":1}" "$base/_admin/faults" >/dev/null
  cd "$work/cfg"
  l0=$(lines); t0=$(now)
  "$tf" apply -auto-approve -no-color -parallelism="$par" -var "imsd_url=$base" >"$work/apply.log" 2>&1 ||
    { tail -n 40 "$work/apply.log"; fail "apply failed (parallelism $par, 429 rate $rate)"; }
  t1=$(now)
  calls=$(($(lines) - l0))
  refusals=$(count_since "$l0" ' POST /[a-z0-9-]+/v1/cloudimages/[^ ]+/cross_region_copy 400 ')
  throttled=$(count_since "$l0" ' 429 ')
  made=$(count_since "$l0" ' POST /[a-z0-9-]+/v1/cloudimages/[^ ]+/(cross_region_)?copy 200 ')
  in_state=$("$tf" state list | grep -c '^huaweicloud_images_image_copy\.' || true)
  tainted=$("$tf" show -no-color | grep -c 'tainted' || true)
  # Re-plan and verify with the faults off: a refresh under the same storm is not what is
  # measured here.
  curl -sf -X DELETE "$base/_admin/faults" >/dev/null
  set +e
  "$tf" plan -detailed-exitcode -no-color -parallelism="$par" -var "imsd_url=$base" >"$work/plan.log" 2>&1
  prc=$?
  set -e
  case $prc in 0) replan=empty ;; 2) replan=CHANGES ;; *) replan=FAILED ;; esac
  awk -v p="$par" -v r="$rate" -v t0="$t0" -v t1="$t1" -v c="$calls" -v w="$refusals" \
    -v q="$throttled" -v m="$made" -v s="$in_state" -v x="$tainted" -v rp="$replan" \
    'BEGIN { printf "| %d | %s | %.1f | %d | %d | %d | %d | %d | %d | %s |\n", p, r, t1 - t0, c, w, q, m, s, x, rp }'
  [ "$made" -eq 50 ] && [ "$in_state" -eq 50 ] && [ "$tainted" -eq 0 ] && [ "$prc" -eq 0 ] ||
    fail "parallelism $par, 429 rate $rate: $made made, $in_state in state, $tainted tainted, re-plan $replan"
  "$tf" destroy -auto-approve -no-color -parallelism="$par" -var "imsd_url=$base" >"$work/destroy.log" 2>&1 ||
    { tail -n 20 "$work/destroy.log"; fail "destroy failed"; }
  left=0
  for region in cn-north-4 cn-south-1 ap-southeast-1; do
    n=$(HW_REGION_NAME=cn-north-4 HW_ACCESS_KEY=HWIMSDEMOACCESSKEY01 \
        HW_SECRET_KEY=hwimsDemoSecretKey0123456789abcdefghijklm \
        HW_IMS_ENDPOINT="$base/{region}/" HW_IAM_ENDPOINT="$base/iam/" HW_EPS_ENDPOINT="$base/eps/" \
        "$bin/hwims" list --region "$region" --output json | grep -c '"name": "fan-' || true)
    left=$((left + n))
  done
  [ "$left" -eq 0 ] || fail "$left copies left in imsd after destroy"
  cd "$root"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
echo "every run: 50 copies made once, all in state, none tainted, empty re-plan, none left after destroy"
