# Thin front door over CMake; see README.md.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all demo test bench fuzz install clean deps format

all: deps
	cmake -S . -B $(BUILD) -DHWIMS_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

deps:
	@scripts/install-deps

demo: all
	@scripts/demo

test:
	@scripts/run-tests

bench: all
	@scripts/bench

fuzz: deps
	@scripts/fuzz

install: all
	cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

format:
	@scripts/check-format --fix

clean:
	rm -rf build build-asan build-asan.log build-tsan build-tsan.log build-fuzz
