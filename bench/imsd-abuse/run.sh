#!/usr/bin/env bash
# imsd under abuse: 100,000 hostile requests (a third each: 1,000 query parameters, a bad
# Content-Length, a head trickled in one line every 250 ms) from imsd_abuse_load, and imsd's
# resident memory (VmRSS, VmHWM from /proc) before and after. Results go into
# bench/RESULTS.md by hand (## imsd under abuse).
#
# Usage: bench/imsd-abuse/run.sh     (env: BUILD=build IMSD=$BUILD/bin/imsd N=100000 CONNS=512
#                                          IMSD_THREADS=2 IMSD_ARGS= MAX_SECONDS=600)
# MAX_SECONDS bounds the load: an imsd that stalls gets fewer than N requests, and the load
# tool says how many.
# IMSD may name another imsd binary (an older build) to compare; the load tool comes from
# BUILD either way. IMSD_ARGS are added to imsd's flags (e.g. "--header-timeout 1").
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
imsd=${IMSD:-$build/bin/imsd}
n=${N:-100000}
conns=${CONNS:-512}
max_seconds=${MAX_SECONDS:-600}
imsd_threads=${IMSD_THREADS:-2}
read -r -a imsd_args <<<"${IMSD_ARGS:-}"

if [ ! -x "$imsd" ] || [ ! -x "$build/bin/imsd_abuse_load" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd imsd_abuse_load -j2 >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/imsd-abuse-XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkfifo "$work/out"
"$imsd" --listen 127.0.0.1:0 --data "$work/data" --threads "$imsd_threads" --quiet "${imsd_args[@]}" \
  <"/dev/null" >"$work/out" 2>"$work/imsd.log" &
pid=$!
read -r line <"$work/out"
base=${line#imsd listening on }
port=${base##*:}

mem() {
  awk -v at="$1" '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2}
    END {printf "%-10s VmRSS %6d kB   VmHWM %6d kB\n", at ":", r, h}' "/proc/$pid/status"
}
# Warm up the allocator and the pools with ordinary requests first.
for _ in $(seq 200); do curl -s -o /dev/null "$base/cn-north-4/v2/cloudimages" || true; done

echo "imsd abuse bench: $imsd ${IMSD_ARGS:-}, $n hostile requests, up to $conns connections, $imsd_threads imsd threads, $(nproc) cores"
mem before
"$build/bin/imsd_abuse_load" "$port" "$n" "$conns" "$max_seconds"
mem after
sleep 5
mem "after 5 s"
# Still answering?
status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/cn-north-4/v2/cloudimages" || true)
echo "plain request afterwards: ${status:-none}"
