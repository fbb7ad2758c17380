#!/usr/bin/env bash
# The README's install section followed as written, with the client under test: its
# "Install" and "Development overrides" shell blocks are taken from README.md and run
# from a directory laid out like the project (build/bin is BIN_DIR), with a HOME of their own.
# The client commands of a block run in a copy of examples/within-region; for tofu the test
# runs the block's "or tofu ..." alternative, so the README must name one.
#
# Usage: tests/e2e/readme_install.sh BIN_DIR
# HWIMS_E2E_TERRAFORM and HWIMS_E2E_CLIENT choose and name the client (see lib/e2e.bash).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cases=(readme_dev_overrides readme_install)
source "$here/lib/e2e.bash"

readme=$e2e_root/README.md
mkdir -p "$work/root/build" "$work/shim"
ln -s "$bin" "$work/root/build/bin"
# `terraform` and `tofu` in the README's commands both mean the client under test.
ln -s "$tf" "$work/shim/terraform"
ln -s "$tf" "$work/shim/tofu"
# `make install-provider` is `make all` (the build: BIN_DIR is its result) followed by
# scripts/install-provider --bin build/bin; tests/scripts/test_install_targets.sh checks that
# the target runs exactly that. Here make runs only that second half, in the project-like root.
cat >"$work/shim/make" <<EOT
#!/bin/sh
[ "\$1" = install-provider ] || { echo "make shim: only install-provider" >&2; exit 1; }
exec "$e2e_root/scripts/install-provider" --bin build/bin
EOT
chmod +x "$work/shim/make"
export PATH="$work/shim:$PATH" TF_VAR_imsd_url=$base

# block HEADING: the first ```sh block after the line starting with HEADING.
block() {
  awk -v h="$1" 'index($0, h) == 1 { found = 1; next }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' "$readme"
}

# command LINE: the client command a README line gives, for this client: the line without its
# comment, or for tofu the comment's "or tofu ..." / "or: tofu ..." alternative.
command_for() {
  local line=$1 alt
  if [ "$registry" = registry.opentofu.org ]; then
    alt=$(sed -n 's/.*# or:\{0,1\} \(tofu [^;]*\).*/\1/p' <<<"$line")
    [ -n "$alt" ] || return 1
    printf '%s\n' "$alt"
  else
    printf '%s\n' "${line%%#*}"
  fi
}

# follow HEADING CONFIG_DIR: run the block's set-up lines in the project-like root and its
# client commands in CONFIG_DIR, in one shell, as a user would type them.
follow() {
  local heading=$1 cfg=$2 text setup=() cmds=() line c
  text=$(block "$heading")
  [ -n "$text" ] || { echo "README.md has no sh block after '$heading'" >"$work/last.log"; return 1; }
  while IFS= read -r line; do
    if [[ $line == terraform\ * ]]; then
      c=$(command_for "$line") || { echo "no tofu alternative in: $line" >"$work/last.log"; return 1; }
      cmds+=("$c")
    else
      setup+=("$line")
    fi
  done <<<"$text"
  [ ${#cmds[@]} -gt 0 ] || { echo "no client command in the '$heading' block" >"$work/last.log"; return 1; }
  mkdir -p "$cfg" "$work/home-$(basename "$cfg")"
  cp "$e2e_root"/examples/within-region/*.tf "$cfg/"
  {
    echo "set -e"
    echo "cd '$work/root'"
    printf '%s\n' "${setup[@]}"
    echo "cd '$cfg'"
    printf '%s -no-color\n' "${cmds[@]}"
  } >"$work/steps.sh"
  (cd "$work/root" && env -u TF_CLI_CONFIG_FILE HOME="$work/home-$(basename "$cfg")" \
    bash "$work/steps.sh") >"$work/last.log" 2>&1
}

# Development overrides: the plan works without init and says the overrides are in effect.
t_dev_overrides() {
  follow "**Development overrides**" "$work/dev" || return 1
  grep -q "Provider development overrides are in effect" "$work/last.log" &&
    grep -q "1 to add, 0 to change, 0 to destroy" "$work/last.log"
}
check readme_dev_overrides t_dev_overrides

# Install: a plain init installs the version make install-provider put in ~/.terraform.d/plugins,
# under the client's own registry host, and locks it; apply and destroy then work.
t_install() {
  local cfg=$work/install
  follow "**Install**" "$cfg" || return 1
  grep -q "Installing huaweicloud/huaweicloud v0.1.0" "$work/last.log" &&
    grep -qF "provider \"$registry/huaweicloud/huaweicloud\"" "$cfg/.terraform.lock.hcl" || return 1
  (cd "$cfg" && HOME="$work/home-install" "$tf" apply -auto-approve -no-color &&
    HOME="$work/home-install" "$tf" destroy -auto-approve -no-color) >"$work/last.log" 2>&1 &&
    grep -q "Destroy complete! Resources: 1 destroyed." "$work/last.log"
}
check readme_install t_install

e2e_finish
