#!/usr/bin/env bash
# Self-test of scripts/check-layers: small objects laid out as CMake builds them, each case a
# call the declared layers allow or forbid. Prints cmocka-style summary lines for run-tests.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 failed=()

# obj PART TARGET FILE CODE: compile CODE as the object of src/PART/FILE in target TARGET.
obj() {
  local dir=$tmp/build/src/$1/CMakeFiles/$2.dir
  mkdir -p "$dir"
  printf '%s\n' "$4" >"$tmp/$1_$3"
  "$cc" -x c -c -o "$dir/$3.o" "$tmp/$1_$3"
}

# expect NAME STATUS PATTERN: run the check on the objects built so far; its exit status must be
# STATUS and its output must match PATTERN (an extended regular expression).
expect() {
  local out rc
  out=$("$root/scripts/check-layers" "$tmp/build" 2>&1)
  rc=$?
  if [ "$rc" -eq "$2" ] && grep -qE -- "$3" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); failed+=("$1")
    echo "[  ERROR   ] $1: exit $rc (wanted $2), output:"; echo "$out"
  fi
  rm -rf "$tmp/build"
}

# A workflow file calling the client: down, allowed.
obj lib hwims client.c 'int hwims_client_thing(void) { return 1; }'
obj lib hwims image_copy.c 'int hwims_client_thing(void); int hwims_copy(void) { return hwims_client_thing(); }'
expect downward_call_passes 0 'every call follows'

# The client calling the workflow: up, refused, with both files and the symbol named.
obj lib hwims image_copy.c 'int hwims_copy(void) { return 2; }'
obj lib hwims client.c 'int hwims_copy(void); int hwims_client_thing(void) { return hwims_copy(); }'
expect upward_call_fails 1 'src/lib/client.c -> src/lib/image_copy.c \(hwims_copy\): client .* calls up into workflow'

# Two files of one layer calling each other: a cycle.
obj lib hwims config.c 'int b(void); int a(void) { return b(); }'
obj lib hwims client.c 'int a(void); int b(void) { return a(); }'
expect cycle_fails 1 'cycle: src/lib/(client|config)\.c -> '

# A source file no layer declares.
obj lib hwims mystery.c 'int mystery(void) { return 3; }'
expect undeclared_file_fails 1 'src/lib/mystery\.c: no layer'

# libhwims calling into a front end.
obj provider prov_core log.c 'int prov_log_thing(void) { return 4; }'
obj lib hwims client.c 'int prov_log_thing(void); int hwims_client_thing(void) { return prov_log_thing(); }'
expect library_calling_front_end_fails 1 'libhwims calls into provider'

# A front end calling a library function no public header declares.
obj lib hwims client.c 'int hwims_not_in_any_header_xyz(void) { return 5; }'
obj cli cli_core cmd_show.c 'int hwims_not_in_any_header_xyz(void); int cli_show(void) { return hwims_not_in_any_header_xyz(); }'
expect private_library_call_fails 1 'no public header declares'

# A stale object (its source or target gone) that a target's build.make no longer lists is not
# read: the upward call it holds is not reported.
obj lib hwims image_copy.c 'int hwims_copy(void) { return 2; }'
obj lib hwims client.c 'int hwims_copy(void); int hwims_client_thing(void) { return hwims_copy(); }'
obj lib hwims_objects client.c 'int hwims_client_thing(void) { return 1; }'
obj lib hwims_objects image_copy.c 'int hwims_client_thing(void); int hwims_copy(void) { return hwims_client_thing(); }'
printf 'hwims_objects_OBJECTS = \\\n"CMakeFiles/hwims_objects.dir/client.c.o" \\\n"CMakeFiles/hwims_objects.dir/image_copy.c.o"\n' \
  >"$tmp/build/src/lib/CMakeFiles/hwims_objects.dir/build.make"
expect stale_objects_are_not_read 0 'every call follows'

if [ "$fail" -gt 0 ]; then
  echo "[  FAILED  ] $fail test(s), listed below:"
  printf '[  FAILED  ] %s\n' "${failed[@]}"
fi
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ]
