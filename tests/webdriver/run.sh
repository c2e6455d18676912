#!/usr/bin/env bash
# Runs the WebDriver end-to-end tests against the real app (debug build by default).
#
#   xvfb-run -a -s "-screen 0 1600x900x24" tests/webdriver/run.sh
#
# Needs: target/debug/tracebench-app (cargo build -p tracebench-app, after `npm run build` in ui/),
# tauri-driver (cargo install tauri-driver --version "^2" --locked), WebKitWebDriver
# (Debian: webkit2gtk-driver), and `npm ci` in this directory.
# Env: TRACEBENCH_APP (the binary), DEMO_TRUTH (ground truth JSON of the demo chain; by default
# printed by `cargo run -p tracebench-app --example demo_truth`), TRACEBENCH_SCREENSHOT (where
# to save a screenshot of the demo case; default: in the run's temp dir), TRACEBENCH_CLI (the
# `tracebench` CLI the screening spec imports labels with; built when missing),
# TRACEBENCH_SIM (the `tracebench-sim` the big-case spec makes its case with; built when missing),
# TRACEBENCH_SCREENING_SCREENSHOT (the screening panel and a flagged node; default: temp dir),
# TRACEBENCH_SPECS (run only these specs, e.g. specs/07-*.test.mjs; default: all).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
export TRACEBENCH_APP="${TRACEBENCH_APP:-$target_dir/debug/tracebench-app}"
export TRACEBENCH_CLI="${TRACEBENCH_CLI:-$target_dir/debug/tracebench}"
export TRACEBENCH_SIM="${TRACEBENCH_SIM:-$target_dir/debug/tracebench-sim}"

if [[ -z "${DISPLAY:-}" ]]; then
  echo "run.sh: no DISPLAY; run it under xvfb-run -a" >&2
  exit 2
fi
if [[ ! -x "$TRACEBENCH_APP" ]]; then
  echo "run.sh: $TRACEBENCH_APP is missing; build it with: cargo build -p tracebench-app" >&2
  exit 2
fi
if [[ ! -x "$TRACEBENCH_CLI" ]]; then
  (cd "$repo" && cargo build --quiet -p tracebench-cli)
fi
if [[ ! -x "$TRACEBENCH_SIM" ]]; then
  (cd "$repo" && cargo build --quiet -p tracebench-sim --bin tracebench-sim)
fi
driver_bin="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"

# One run at a time on this machine: tauri-driver listens on a fixed port. A second run waits.
exec 9> "${TMPDIR:-/tmp}/tracebench-webdriver.lock"
flock 9

# Everything the app writes goes into a fresh temp dir (env is inherited through the drivers).
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/tracebench-e2e.XXXXXX")"
export TRACEBENCH_TEST=1
export TRACEBENCH_DATA_DIR="$run_dir/data"
export TRACEBENCH_CONFIG_DIR="$run_dir/config"
export TRACEBENCH_EXPORT_DIR="$run_dir/export"
export TRACEBENCH_SCREENSHOT="${TRACEBENCH_SCREENSHOT:-$run_dir/screenshot.png}"
export TRACEBENCH_SCREENING_SCREENSHOT="${TRACEBENCH_SCREENING_SCREENSHOT:-$run_dir/screenshot-screening.png}"
export TRACEBENCH_ORGANISE_SCREENSHOT="${TRACEBENCH_ORGANISE_SCREENSHOT:-$run_dir/screenshot-organise.png}"
export DEMO_TRUTH="${DEMO_TRUTH:-$run_dir/demo-truth.json}"
mkdir -p "$TRACEBENCH_DATA_DIR" "$TRACEBENCH_CONFIG_DIR" "$TRACEBENCH_EXPORT_DIR"

if [[ ! -s "$DEMO_TRUTH" ]]; then
  (cd "$repo" && cargo run --quiet -p tracebench-app --example demo_truth) > "$DEMO_TRUTH"
fi

port=4444
"$driver_bin" --port "$port" --native-port 4445 > "$run_dir/tauri-driver.log" 2>&1 &
driver_pid=$!
cleanup() {
  kill "$driver_pid" 2>/dev/null || true
  wait "$driver_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/status" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$driver_pid" 2>/dev/null; then
    echo "run.sh: tauri-driver exited; its log:" >&2
    cat "$run_dir/tauri-driver.log" >&2
    exit 1
  fi
  sleep 0.1
done

echo "run.sh: app $TRACEBENCH_APP, artifacts in $run_dir"
cd "$here"
# One app at a time: tauri-driver drives one session, and the specs share the demo case.
# TRACEBENCH_SPECS narrows the run to some specs (a glob relative to this directory).
# shellcheck disable=SC2086
node --test --test-concurrency=1 --test-reporter=spec ${TRACEBENCH_SPECS:-specs/*.test.mjs}
