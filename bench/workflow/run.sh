#!/usr/bin/env bash
# Workflow polling benchmark (see bench/RESULTS.md, section "workflow").
#
# For copies whose job takes T seconds on imsd, it measures how long after the job succeeded
# the workflow noticed (detection delay) and returned (return delay: detection plus reading back
# the copy), and how many API calls one create made, for the library's paced polling beside
# fixed 10 s polling (the Go provider's). The matrix is T x copy kind (within a region, across
# regions) x image kind (system: ubuntu-2204-golden, 2 GiB; data: data-disk-golden, 10 GiB),
# plus rows where the job progress endpoint fails every time (paced polling only: the workflow
# then uses the project-scoped job API, which reports no percentage). Every configuration gets
# its own imsd, whose --time-scale makes the job take T seconds, and all of them run at once, so
# the whole matrix takes about as long as its longest T.
#
# Usage: bench/workflow/run.sh [T...]   (default T: 5 30 60 120 600 1800)
# env: BUILD=build dir (built with -DHWIMS_BENCH=ON if missing), KINDS="within cross",
#      IMAGES="system data", PROGRESS="ok failing"
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
durations=("$@")
[ ${#durations[@]} -gt 0 ] || durations=(5 30 60 120 600 1800)
read -r -a kinds <<<"${KINDS:-within cross}"
read -r -a images <<<"${IMAGES:-system data}"
read -r -a progress <<<"${PROGRESS:-ok failing}"
work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-bench.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$build/bin/imsd" ] || [ ! -x "$build/bin/workflow_bench_wait" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd workflow_bench_wait -j2 >/dev/null
fi
bench_wait=$build/bin/workflow_bench_wait

# imsd copies at 100 MiB/s, twice as long across regions, after 1 s of INIT (at time scale 1).
image_id() { [ "$1" = system ] && echo 6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01 ||
  echo 6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c02; }
job_seconds() { # image kind, copy kind
  local mib=2048
  [ "$1" = data ] && mib=10240
  awk -v m="$mib" -v x="$([ "$2" = cross ] && echo 2 || echo 1)" 'BEGIN { print 1 + m / 100 * x }'
}

# One configuration: its imsd, then the bench processes side by side; each writes one row.
run_one() { # T kind image progress
  local t=$1 kind=$2 image=$3 prog=$4 tag="$1-$2-$3-$4"
  local scale faults=() target=()
  scale=$(awk -v j="$(job_seconds "$image" "$kind")" -v t="$t" 'BEGIN { printf "%.5f", j / t }')
  [ "$prog" = failing ] && faults=(--fault-error-rate 1 --fault-error-status 500
    --fault-path '*/v1/cloudimages/job/*')
  [ "$kind" = cross ] && target=(cn-south-1)
  mkfifo "$work/ready.$tag"
  "$build/bin/imsd" --listen 127.0.0.1:0 --data "$work/data.$tag" --time-scale "$scale" \
    --quiet "${faults[@]}" >"$work/ready.$tag" 2>/dev/null &
  local imsd=$!
  local line
  read -r line <"$work/ready.$tag"
  local base=${line##* } policies=(adaptive fixed) bp=()
  [ "$prog" = failing ] && policies=(adaptive)
  for policy in "${policies[@]}"; do
    "$bench_wait" "$base" "$policy" "bench-$policy-$tag" "$(image_id "$image")" "${target[@]}" \
      >"$work/out.$tag.$policy" 2>"$work/err.$tag.$policy" &
    bp+=($!)
  done
  wait "${bp[@]}" || true
  kill "$imsd" 2>/dev/null; wait "$imsd" 2>/dev/null || true
  for policy in "${policies[@]}"; do
    local took detect ret calls polls p
    if read -r p took detect ret calls polls <"$work/out.$tag.$policy"; then
      local aim
      aim=$(awk -v t="$took" 'BEGIN { a = t / 10; if (a < 1) a = 1; if (a > 10) a = 10; print a }')
      printf '%s\t| %s | %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s | %s |\n' \
        "$(printf '%05d-%s-%s-%s-%s' "$t" "$kind" "$image" "$prog" "$policy")" "$t" "$kind" \
        "$image" "$prog" "$policy" "$took" "$aim" "$detect" "$ret" "$calls" "$polls" \
        "$(awk -v d="$detect" -v a="$aim" 'BEGIN { print (d <= a ? "yes" : "NO") }')"
    else
      printf '%s\t| %s | %s | %s | %s | %s | failed: %s |\n' "$tag-$policy" "$t" "$kind" \
        "$image" "$prog" "$policy" "$(tr '\n|' ' /' <"$work/err.$tag.$policy")"
    fi
  done >"$work/row.$tag"
}

for t in "${durations[@]}"; do
  for kind in "${kinds[@]}"; do
    for image in "${images[@]}"; do
      for prog in "${progress[@]}"; do
        run_one "$t" "$kind" "$image" "$prog" &
        pids+=($!)
      done
    done
  done
done
wait "${pids[@]}" || true
pids=()
printf '| T (s) | copy | image | progress endpoint | polling | job took (s) | aim (s) |'
printf ' detected after (s) | returned after (s) | API calls | job polls | within aim |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
cat "$work"/row.* | sort | cut -f2-
