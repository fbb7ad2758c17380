# Thin front door over CMake; see README.md.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# make install-provider ADDRESS=[host/]namespace/type VERSION=x.y.z
ADDRESS ?=
VERSION ?=

.PHONY: all demo test bench fuzz install install-provider dist clean deps format

# A plain build: the library, the provider, imsd and the CLI, without tests or benchmarks, so it
# needs only the build profile of scripts/install-deps.
all: deps
	cmake -S . -B $(BUILD) -DHWIMS_WERROR=ON -DHWIMS_TESTS=OFF -DHWIMS_BENCH=OFF >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@scripts/install-deps build

demo: all
	@scripts/demo

test:
	@scripts/run-tests

bench:
	@scripts/install-deps bench
	cmake -S . -B $(BUILD) -DHWIMS_WERROR=ON -DHWIMS_TESTS=OFF -DHWIMS_BENCH=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)
	@scripts/bench

fuzz:
	@scripts/install-deps fuzz
	@scripts/fuzz

install: all
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

# The provider where terraform and tofu look without configuration (~/.terraform.d/plugins).
install-provider: all
	@scripts/install-provider --bin $(BUILD)/bin $(if $(ADDRESS),--address $(ADDRESS)) $(if $(VERSION),--version $(VERSION))

# The release layout a provider registry serves, in dist/.
dist: all
	@scripts/dist --bin $(BUILD)/bin $(if $(VERSION),--version $(VERSION))

format:
	@scripts/check-format --fix

clean:
	rm -rf build build-asan build-asan.log build-tsan build-tsan.log build-fuzz dist
