#!/usr/bin/env bash
# Build and run the conformance driver: generate Go code from the provider's
# tfplugin6 proto, build offline in GOPATH mode from Debian's Go packages, vet,
# then `go test -v` (its --- PASS/FAIL/SKIP lines are what the runner counts).
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

if ! command -v go >/dev/null 2>&1 || ! command -v protoc >/dev/null 2>&1 ||
   ! command -v protoc-gen-go-grpc >/dev/null 2>&1; then
  echo "--- SKIP: TestConformance (go, protoc or protoc-gen-go-grpc not installed)"
  exit 0
fi

proto_dir=${HWIMS_PROTO_DIR:-$root/src/provider}
proto=$proto_dir/tfplugin6.proto
if [ ! -f "$proto" ]; then
  echo "--- SKIP: TestConformance ($proto not found)"
  exit 0
fi

export GO111MODULE=off
export GOPATH=$out/gopath:/usr/share/gocode
export GOCACHE=$out/gocache
export GOFLAGS=
export GOPROXY=off
export CGO_ENABLED=0
pkg=$out/gopath/src/hwims/conformance
rm -rf "$pkg"
mkdir -p "$pkg/tfplugin6" "$out/bin"
for d in driver suite fakeprovider; do
  mkdir -p "$pkg/$d"
  cp "$here/$d"/*.go "$pkg/$d/"
done

# protoc-gen-go ships as source in golang-google-protobuf-dev: build it here.
go build -o "$out/bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go
# The M options place the generated code in our package whatever go_package says.
m=Mtfplugin6.proto=hwims/conformance/tfplugin6
protoc -I "$proto_dir" -I /usr/include \
  --plugin=protoc-gen-go="$out/bin/protoc-gen-go" \
  --go_out="$pkg/tfplugin6" --go_opt=paths=source_relative,$m \
  --go-grpc_out="$pkg/tfplugin6" --go-grpc_opt=paths=source_relative,$m \
  "$proto"

cd "$pkg"
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
go test -v -count=1 -timeout 25m "${run[@]}" ./driver/ ./suite/ "$@"
