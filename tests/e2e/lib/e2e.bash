# Shared by the e2e case scripts (tests/e2e/*.sh): the client, a private imsd, and the
# cmocka-style case lines the test runner counts. A case script sets `cases` (its case names),
# sources this file with BIN_DIR as $1, then calls `check NAME COMMAND...` per case and
# `e2e_finish` at the end. It may set e2e_time_scale and e2e_imsd_args first (imsd's clock and
# extra flags).
#
# Environment (set by tests/e2e/run-matrix, once per client of the matrix):
#   HWIMS_E2E_TERRAFORM  the client binary (default: terraform, else tofu, on PATH)
#   HWIMS_E2E_CLIENT     its label, appended to every case name: "apply [tofu 1.12.6]"
# With no usable client every case fails: a missing client is never a skip.
bin=$(cd "${1:?usage: $(basename "$0") BIN_DIR}" && pwd)
e2e_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
tf=${HWIMS_E2E_TERRAFORM:-$(command -v terraform || command -v tofu || true)}
suffix=${HWIMS_E2E_CLIENT:+ [$HWIMS_E2E_CLIENT]}

e2e_fail_all() {
  echo "$1"
  echo "[  FAILED  ] ${#cases[@]} test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${cases[@]/%/$suffix}"
  exit 1
}
if [ -z "$tf" ] || ! "$tf" version >/dev/null 2>&1; then
  e2e_fail_all "no usable terraform/tofu (HWIMS_E2E_TERRAFORM='${HWIMS_E2E_TERRAFORM:-}')"
fi
for b in imsd hwims terraform-provider-huaweicloud; do
  [ -x "$bin/$b" ] || e2e_fail_all "missing $bin/$b"
done

# What differs between clients: the default registry host of a short provider source such as
# "huaweicloud/huaweicloud", and the version a feature arrived in.
# (tofu prints CLI configuration warnings on stdout, before its version line.)
client_line=$("$tf" version 2>/dev/null | grep -m 1 -E '^(Terraform|OpenTofu) v')
if [[ $client_line == OpenTofu* ]]; then
  registry=registry.opentofu.org
else
  registry=registry.terraform.io
fi
version=$("$e2e_root/scripts/install-clients" --version-of "$tf")
at_least() { printf '%s\n%s\n' "$1" "$version" | sort -V -C; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hwims-e2e.XXXXXX")
imsd_pid=
e2e_cleanup() {
  [ -n "$imsd_pid" ] && kill "$imsd_pid" 2>/dev/null && wait "$imsd_pid" 2>/dev/null
  rm -rf "$work"
}
trap e2e_cleanup EXIT

# imsd on a free loopback port, its clock e2e_time_scale (default 200) times faster, with the
# case script's e2e_imsd_args (e.g. --admin for faults); $base is its URL.
mkfifo "$work/ready"
"$bin/imsd" --listen 127.0.0.1:0 --data "$work/data" --time-scale "${e2e_time_scale:-200}" --quiet \
  ${e2e_imsd_args[@]+"${e2e_imsd_args[@]}"} >"$work/ready" 2>"$work/imsd.log" &
imsd_pid=$!
read -r line <"$work/ready"
base=${line##* }
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

passed=0 failed=()
check() { # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "[       OK ] $name$suffix"
  else
    failed+=("$name$suffix")
    echo "[  FAILED  ] $name$suffix"
    sed -n '1,60p' "$work/last.log"
  fi
}

e2e_finish() {
  echo "$client_line ($tf) against imsd at $base"
  echo "[  PASSED  ] $passed test(s)."
  if [ ${#failed[@]} -gt 0 ]; then
    echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
    printf '[  FAILED  ] %s\n' "${failed[@]}"
    exit 1
  fi
  exit 0
}
