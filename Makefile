# Tracebench: the two commands of the README are `make run` and `make test`.
# Both do all the set-up on a fresh Debian 12 machine (scripts/setup.sh) before they build.

SHELL := /bin/bash
# A cargo target dir outside the clone keeps repeat builds fast (CI reuses it too).
export CARGO_TARGET_DIR ?= /var/tmp/tb-target
CARGO ?= cargo
APP := $(CARGO_TARGET_DIR)/debug/tracebench-app

.PHONY: setup ui app build run demo lint test test-rust test-ui e2e bench clean-demo

setup:
	bash scripts/setup.sh

ui:
	cd ui && npm run build

app: ui
	$(CARGO) build -p tracebench-app

build: app
	$(CARGO) build --workspace

## Opens the desktop app on its built-in demo case (a synthetic ransomware scenario).
run: setup build
	$(APP) --demo

## Runs the whole flow headless and leaves the case and its PDF in ./demo-out.
demo: setup
	$(CARGO) run -p tracebench-cli -- demo --out demo-out

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd ui && npm run typecheck

test-rust:
	$(CARGO) test --workspace

test-ui:
	cd ui && npm test

## The WebDriver tests of the real app, under a virtual X server.
e2e: app
	xvfb-run -a -s "-screen 0 1600x900x24" bash tests/webdriver/run.sh

## Release-build benchmarks; writes BENCHMARKS.md.
bench:
	bash scripts/bench.sh

## Everything CI runs.
test: setup build lint test-rust test-ui e2e
