#!/usr/bin/env bash
# Workflow polling benchmark (see bench/RESULTS.md, section "workflow").
#
# For a copy within a region whose job takes T seconds on imsd (T = 5, 30, 120 by default), it
# measures how long after the job succeeded the workflow noticed (detection delay) and returned
# (return delay: detection plus setting up and reading back the copy), and how many API calls
# one create made, for the library's adaptive polling and for fixed 10 s polling. The two run
# side by side against the same imsd.
#
# Usage: bench/workflow/run.sh [T...]      (env: BUILD=build dir with libhwims and imsd, REPS=3)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
reps=${REPS:-3}
durations=("$@")
[ ${#durations[@]} -gt 0 ] || durations=(5 30 120)
work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-bench.XXXXXX")
imsd_pid=
cleanup() {
  [ -n "$imsd_pid" ] && kill "$imsd_pid" 2>/dev/null && wait "$imsd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$build/bin/imsd" ] || [ ! -x "$build/bin/workflow_bench_wait" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd workflow_bench_wait -j2 >/dev/null
fi
bench_wait=$build/bin/workflow_bench_wait

# ubuntu-2204-golden is 2 GiB: 1 s of INIT plus 20.48 s at 100 MiB/s at time scale 1.
job_s=21.48
printf '| T (s) | polling | job took (s) | detected after (s) | returned after (s) | API calls | job polls |\n'
printf '|---|---|---|---|---|---|---|\n'
for t in "${durations[@]}"; do
  scale=$(awk -v j=$job_s -v t="$t" 'BEGIN { printf "%.4f", j / t }')
  mkfifo "$work/ready.$t"
  "$build/bin/imsd" --listen 127.0.0.1:0 --data "$work/data.$t" --time-scale "$scale" --quiet \
    >"$work/ready.$t" 2>/dev/null &
  imsd_pid=$!
  read -r line <"$work/ready.$t"
  base=${line##* }
  n=$reps
  [ "$t" -ge 60 ] && n=1
  for rep in $(seq 1 "$n"); do
    "$bench_wait" "$base" adaptive "bench-a-$t-$rep" >"$work/a" &
    a=$!
    "$bench_wait" "$base" fixed "bench-f-$t-$rep" >"$work/f" &
    f=$!
    wait $a $f
    for file in "$work/a" "$work/f"; do
      read -r policy took detect ret calls polls <"$file"
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" "$policy" "$took" "$detect" "$ret" \
        "$calls" "$polls"
    done
  done
  kill "$imsd_pid"; wait "$imsd_pid" 2>/dev/null || true
  imsd_pid=
done
