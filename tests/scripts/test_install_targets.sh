#!/usr/bin/env bash
# The make targets a user installs with: what `make demo`, `make install-provider` and
# `make dist` run (make -n), the package profiles of scripts/install-deps, and
# scripts/install-provider's refusals of a bad address or version before it writes anything.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 failed=()
check() { # check NAME COMMAND...
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$name"); echo "[  ERROR   ] $name"; fi
}
dry() { make -s -n -C "$root" "$@" 2>&1; }

# make demo builds without tests or benchmarks and installs only the build profile.
t_demo_is_lean() {
  local out
  out=$(dry demo)
  grep -q 'scripts/install-deps build' <<<"$out" && ! grep -q 'install-deps test' <<<"$out" &&
    grep -q -- '-DHWIMS_TESTS=OFF -DHWIMS_BENCH=OFF' <<<"$out" && grep -q 'scripts/demo' <<<"$out"
}
check demo_installs_and_builds_only_what_running_needs t_demo_is_lean

# The build profile is a strict subset of the test profile, without the test tools.
t_profiles() {
  "$root/scripts/install-deps" --list build | sort >"$tmp/build"
  "$root/scripts/install-deps" --list test | sort >"$tmp/test"
  "$root/scripts/install-deps" --list bench | sort >"$tmp/bench"
  [ -z "$(comm -23 "$tmp/build" "$tmp/test")" ] && [ -z "$(comm -23 "$tmp/build" "$tmp/bench")" ] &&
    [ "$(wc -l <"$tmp/build")" -lt "$(wc -l <"$tmp/test")" ] &&
    ! grep -qE '^(libcmocka-dev|valgrind|clang|wrk|hyperfine)$' "$tmp/build" &&
    grep -qx libcmocka-dev "$tmp/test" && grep -qx wrk "$tmp/bench"
}
check install_deps_profiles_nest t_profiles

t_unknown_profile() { ! "$root/scripts/install-deps" nonsense 2>"$tmp/err" && grep -q "unknown profile 'nonsense'" "$tmp/err"; }
check install_deps_refuses_unknown_profile t_unknown_profile

# make install-provider builds, then hands the address and version to scripts/install-provider.
t_install_provider_target() {
  local out
  out=$(dry install-provider BUILD=/somewhere ADDRESS=acme/huaweicloud VERSION=1.2.3)
  grep -q -- 'scripts/install-provider --bin /somewhere/bin --address acme/huaweicloud --version 1.2.3' <<<"$out" &&
    grep -q 'scripts/install-deps build' <<<"$out"
}
check make_install_provider_passes_address_and_version t_install_provider_target

t_dist_target() { dry dist BUILD=/somewhere | grep -q -- 'scripts/dist --bin /somewhere/bin'; }
check make_dist_runs_the_dist_script t_dist_target

# Refusals come before anything is written under HOME.
t_refusals() {
  mkdir -p "$tmp/bin" "$tmp/home"
  printf '#!/bin/sh\necho "terraform-provider-huaweicloud 0.1.0 (plugin protocol 6)"\n' >"$tmp/bin/terraform-provider-huaweicloud"
  chmod +x "$tmp/bin/terraform-provider-huaweicloud"
  HOME=$tmp/home "$root/scripts/install-provider" --bin "$tmp/bin" --address 'Acme/../x' 2>"$tmp/err"
  [ $? -eq 2 ] && grep -q "is not \[HOST/\]NAMESPACE/TYPE" "$tmp/err" || return 1
  HOME=$tmp/home "$root/scripts/install-provider" --bin "$tmp/bin" --version '1.2' 2>"$tmp/err"
  [ $? -eq 2 ] && grep -q "is not a semantic version" "$tmp/err" || return 1
  [ -z "$(ls -A "$tmp/home")" ]
}
check install_provider_refuses_bad_address_and_version t_refusals

# A good install lays the binary out as terraform's implied mirror expects, for both hosts.
t_layout() {
  HOME=$tmp/home2 "$root/scripts/install-provider" --bin "$tmp/bin" >/dev/null || return 1
  local d=$tmp/home2/.terraform.d/plugins f
  for h in registry.terraform.io registry.opentofu.org; do
    f=$(echo "$d/$h/huaweicloud/huaweicloud/0.1.0/"*_*/terraform-provider-huaweicloud_v0.1.0)
    [ -x "$f" ] || return 1
  done
}
check install_provider_lays_out_the_implied_mirror t_layout

if [ "$fail" -gt 0 ]; then
  echo "[  FAILED  ] $fail test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${failed[@]}"
fi
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ]
