#!/usr/bin/env bash
# Canvas renderer benchmark (issue #3, the frame aim): Cytoscape's experimental WebGL renderer
# against its 2D canvas renderer, in the app's own webview on the app's own graph
# (tests/webdriver/bench/renderer.bench.mjs). Prints one JSON line per gesture: first what WebGL
# the webview offers, then per renderer the idle, pan and zoom frame times (p50/p95/max, ms);
# saves a screenshot of each renderer's picture beside them (the path is printed).
#
# Needs what tests/webdriver/run.sh needs. The webview draws the same whatever the app's build
# profile, so the debug app does: BENCH_RENDERER_APP (default: the debug app; build it after
# `npm run build` in ui/). Env: BENCH_RENDERER_NODES (canvas nodes, default 5000),
# BENCH_RENDERER_RUNS (pairs of gestures, WebGL and 2D alternating, default 2),
# BENCH_RENDERER_ZOOM (saved zoom of the case, default 1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tb-target}"
nodes="${BENCH_RENDERER_NODES:-5000}"
bench_dir=/var/tmp/tb-bench
mkdir -p "$bench_dir"
# The case maker of scripts/bench_canvas.sh, built (release) only when missing.
maker="$CARGO_TARGET_DIR/release/examples/bench_canvas_case"
[[ -x "$maker" ]] || cargo build --release -q -p tracebench-sim --example bench_canvas_case
source_case="$bench_dir/50k.tbcase"
if [[ ! -s "$source_case" ]]; then
  echo "bench_renderer.sh: $source_case is missing (scripts/bench_canvas.sh writes it)" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench-renderer.XXXXXX")
case_file="$bench_dir/renderer-$nodes.$$.tbcase"
trap 'rm -f "$case_file" "$case_file-shm" "$case_file-wal"' EXIT
"$maker" --from "$source_case" --nodes "$nodes" \
  --out "$case_file" --zoom "${BENCH_RENDERER_ZOOM:-1}" > "$work/case.json"
echo '{}' > "$work/truth.json"
TRACEBENCH_APP="${BENCH_RENDERER_APP:-$CARGO_TARGET_DIR/debug/tracebench-app}" \
  TRACEBENCH_CLI=/bin/true \
  DEMO_TRUTH="$work/truth.json" \
  TRACEBENCH_SPECS=bench/renderer.bench.mjs \
  TB_BENCH_CASE="$case_file" TB_BENCH_NODES="$nodes" TB_BENCH_RUNS="${BENCH_RENDERER_RUNS:-2}" \
  TB_BENCH_OUT="$work/runs.jsonl" \
  xvfb-run -a -s "-screen 0 1600x900x24" tests/webdriver/run.sh >&2
cat "$work/runs.jsonl"
echo "screenshots: $work/renderer-2d.png $work/renderer-webgl.png" >&2
