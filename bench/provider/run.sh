#!/usr/bin/env bash
# Provider benchmark (see bench/RESULTS.md, section "provider"): cold start to the handshake
# line with AutoMTLS, GetProviderSchema round trips, peak RSS (VmHWM), Shutdown to exit.
#
# Usage: bench/provider/run.sh [RUNS]   (env: BUILD=build dir, default build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
runs=${1:-20}
if [ ! -x "$build/bin/terraform-provider-huaweicloud" ] || [ ! -x "$build/bin/provider_bench" ]; then
  cmake -S . -B "$build" -DHWIMS_WERROR=ON -DHWIMS_BENCH=ON >/dev/null
  cmake --build "$build" --target terraform-provider-huaweicloud provider_bench -j2 >/dev/null
fi
"$build/bin/provider_bench" "$build/bin/terraform-provider-huaweicloud" "$runs"
# The peak of a process that only loaded its shared libraries, for comparison.
if command -v /usr/bin/time >/dev/null 2>&1; then
  /usr/bin/time -f "--version: max RSS %M kB (exec + dynamic linking only)" \
    "$build/bin/terraform-provider-huaweicloud" --version >/dev/null
fi
