#!/usr/bin/env bash
# imsd image-query benchmark: 10,000 images in the store, wrk at 1, 10 and 50 connections on
# the signed GET /cn-north-4/v2/cloudimages?id=... that Terraform's read sends, then imsd's
# resident memory. Results go into bench/RESULTS.md by hand (## imsd).
#
# Usage: bench/imsd/run.sh            (env: BUILD=build DURATION=10s THREADS=2 IMAGES=10000
#                                          IMSD_THREADS=2 QUERY='id=...')
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
duration=${DURATION:-10s}
threads=${THREADS:-2}
images=${IMAGES:-10000}
imsd_threads=${IMSD_THREADS:-2}
query=${QUERY:-id=b0000000-0000-4000-8000-000000004321}

command -v wrk >/dev/null || { echo "bench/imsd: wrk is not installed (scripts/install-deps)"; exit 1; }
if [ ! -x "$build/bin/imsd" ] || [ ! -x "$build/bin/imsd_bench_tool" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target imsd imsd_bench_tool -j2 >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/imsd-bench-XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$build/bin/imsd_bench_tool" seed "$images" >"$work/seed.json"
mkfifo "$work/out"
"$build/bin/imsd" --listen 127.0.0.1:0 --data "$work/data" --seed "$work/seed.json" \
  --threads "$imsd_threads" --quiet <"/dev/null" >"$work/out" 2>"$work/imsd.log" &
pid=$!
read -r line <"$work/out"
base=${line#imsd listening on }
url="$base/cn-north-4/v2/cloudimages?$query"

# One pre-signed request: the signature stays valid for the gateway's 15 minutes.
mapfile -t hdrs < <("$build/bin/imsd_bench_tool" sign GET "$url")
cat >"$work/req.lua" <<LUA
wrk.method = "GET"
wrk.headers["X-Sdk-Date"] = "${hdrs[0]#X-Sdk-Date: }"
wrk.headers["Authorization"] = "${hdrs[1]#Authorization: }"
LUA
status=$(curl -s -o "$work/body" -w '%{http_code}' -H "${hdrs[0]}" -H "${hdrs[1]}" "$url")
[ "$status" = 200 ] || { echo "bench/imsd: probe answered $status: $(cat "$work/body")"; exit 1; }
count=$(grep -o '"id":' "$work/body" | wc -l)

echo "imsd bench: $images images, $imsd_threads imsd threads, wrk -t$threads -d$duration, $(nproc) cores"
echo "query: GET /cn-north-4/v2/cloudimages?$query ($count image(s), $(wc -c <"$work/body") bytes)"
printf '%-12s %12s %12s %12s\n' connections req/s p50 p99
for c in 1 10 50; do
  t=$threads; [ "$c" -lt "$t" ] && t=$c
  out=$(wrk -t"$t" -c"$c" -d"$duration" --latency -s "$work/req.lua" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-12s %12s %12s %12s%s\n' "$c" "$rps" "$p50" "$p99" "${non2xx:+  (non-2xx: $non2xx)}"
done
awk '/^VmRSS|^VmHWM/ {printf "%s %s %s\n", $1, $2, $3}' "/proc/$pid/status"
