#!/usr/bin/env bash
# Terraform-level benchmark: wall time and API calls of `terraform apply`
# (plan + apply) creating N copies of huaweicloud_images_image_copy against a
# local imsd, for N = 1, 10, 50, and of a refresh (`terraform plan
# -refresh-only`) of 50 copies. API calls are the requests imsd logs (one
# stderr line per request). Results go into bench/RESULTS.md by hand.
#
# Usage: bench/terraform/run.sh [N...]   (env: BUILD=build, SCALE=100 imsd time scale,
#                                         TF=terraform or tofu, PARALLELISM=10)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${BUILD:-build}
scale=${SCALE:-100}
par=${PARALLELISM:-10}
tf=${TF:-$(command -v terraform || command -v tofu || true)}
[ -n "$tf" ] || { echo "bench/terraform: neither terraform nor tofu is installed"; exit 1; }
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 10 50)
if [ ! -x "$build/bin/imsd" ] || [ ! -x "$build/bin/terraform-provider-huaweicloud" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd terraform-provider-huaweicloud -j2 >/dev/null
fi
bin=$(cd "$build/bin" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-tfbench.XXXXXX")
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
calls() { wc -l <"$work/imsd.log"; }

printf '%s, imsd --time-scale %s, -parallelism=%s\n' "$("$tf" version | head -n 1)" "$scale" "$par"
printf '| operation | copies | wall time (s) | API calls | calls per copy |\n|---|---|---|---|---|\n'
for n in "${counts[@]}"; do
  rm -rf "$work/data" "$work/cfg"
  mkdir -p "$work/cfg"
  mkfifo "$work/ready"
  "$bin/imsd" --listen 127.0.0.1:0 --data "$work/data" --time-scale "$scale" \
    >"$work/ready" 2>"$work/imsd.log" &
  pid=$!
  read -r line <"$work/ready"
  rm -f "$work/ready"
  base=${line##* }
  sed "s/COUNT/$n/" "$root/bench/terraform/main.tf.in" >"$work/cfg/main.tf"
  cd "$work/cfg"
  c0=$(calls); t0=$(now)
  "$tf" apply -auto-approve -no-color -parallelism="$par" -var "imsd_url=$base" >"$work/apply.log" 2>&1 ||
    { tail -n 30 "$work/apply.log"; exit 1; }
  t1=$(now); c1=$(calls)
  awk -v n="$n" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" \
    'BEGIN { printf "| plan+apply | %d | %.2f | %d | %.1f |\n", n, t1 - t0, c, c / n }'
  if [ "$n" -eq "${counts[${#counts[@]}-1]}" ]; then
    c0=$(calls); t0=$(now)
    "$tf" plan -refresh-only -no-color -parallelism="$par" -var "imsd_url=$base" >"$work/refresh.log" 2>&1 ||
      { tail -n 30 "$work/refresh.log"; exit 1; }
    t1=$(now); c1=$(calls)
    awk -v n="$n" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" \
      'BEGIN { printf "| refresh | %d | %.2f | %d | %.1f |\n", n, t1 - t0, c, c / n }'
  fi
  "$tf" destroy -auto-approve -no-color -parallelism="$par" -var "imsd_url=$base" >/dev/null 2>&1
  cd "$root"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
