#!/usr/bin/env bash
# Build and run the conformance driver: a Go module (go.mod/go.sum here pin go-plugin, grpc-go,
# go-cty, hcl/v2 and the protoc plugins), fetched through the Go module proxy and built with the
# machine's Go 1.26. Generates Go code from the provider's tfplugin6 proto, vets, then
# `go test -v` (its --- PASS/FAIL/SKIP lines are what the runner counts).
#
# Usage: tests/conformance/run.sh OUTDIR [go test args...]
# Environment: HWIMS_PROVIDER (provider binary), HWIMS_IMSD (imsd binary),
#              HWIMS_PROTO_DIR (defaults to src/provider), HWIMS_CONF_RUN (-run regexp).
# Exits non-zero when the build or any test fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: run.sh OUTDIR}
shift
out=$(mkdir -p "$out" && cd "$out" && pwd)

# Go 1.26 as the machines ship it (Debian's golang-go is too old for these modules).
export PATH=/usr/local/go/bin:$PATH
if ! command -v go >/dev/null 2>&1 || ! command -v protoc >/dev/null 2>&1; then
  echo "--- FAIL: TestConformance (go or protoc not installed: run scripts/install-deps)"
  exit 1
fi

proto_dir=${HWIMS_PROTO_DIR:-$root/src/provider}
proto=$proto_dir/tfplugin6.proto
if [ ! -f "$proto" ]; then
  echo "--- FAIL: TestConformance ($proto not found)"
  exit 1
fi

# Modules come from the module proxy into the usual module cache, checked against go.sum;
# -mod=readonly refuses any change to go.mod/go.sum at build time.
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
pkg=$out/mod
rm -rf "$pkg"
mkdir -p "$pkg/tfplugin6" "$out/bin"
cp "$here/go.mod" "$here/go.sum" "$pkg/"
for d in driver suite fakeprovider; do
  mkdir -p "$pkg/$d"
  cp "$here/$d"/*.go "$pkg/$d/"
done
cd "$pkg"

# protoc-gen-go and protoc-gen-go-grpc at the versions go.mod pins (its tool directives).
go build -o "$out/bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
go build -o "$out/bin/protoc-gen-go-grpc" google.golang.org/grpc/cmd/protoc-gen-go-grpc
# The M options place the generated code in our package whatever go_package says.
m=Mtfplugin6.proto=hwims/conformance/tfplugin6
protoc -I "$proto_dir" -I /usr/include \
  --plugin=protoc-gen-go="$out/bin/protoc-gen-go" \
  --plugin=protoc-gen-go-grpc="$out/bin/protoc-gen-go-grpc" \
  --go_out="$pkg/tfplugin6" --go_opt=paths=source_relative,$m \
  --go-grpc_out="$pkg/tfplugin6" --go-grpc_opt=paths=source_relative,$m \
  "$proto"

go vet ./driver/ ./suite/ ./fakeprovider/
# A small, correct provider written with go-plugin's server: the driver's
# own tests run against it (and against its deliberate bugs).
go build -o "$out/bin/terraform-provider-fake" ./fakeprovider/
export HWIMS_FAKE_PROVIDER=$out/bin/terraform-provider-fake
run=()
[ -n "${HWIMS_CONF_RUN:-}" ] && run=(-run "$HWIMS_CONF_RUN")
export HWIMS_CONF_TESTDATA=$here/testdata
export HWIMS_CONF_TMP=$out/tmp
mkdir -p "$HWIMS_CONF_TMP"
# -parallel 4: the subtests that call t.Parallel spend their time waiting on imsd, not the CPU
go test -v -count=1 -timeout 25m -parallel 4 "${run[@]}" ./driver/ ./suite/ "$@"
