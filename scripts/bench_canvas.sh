#!/usr/bin/env bash
# Canvas benchmark (issue #3): pan/zoom frame times at 1,000 and 5,000 canvas nodes and the time
# a 50,000-tx case takes to open to its saved view, measured in the real app's webview through
# the WebDriver harness (tests/webdriver/bench/canvas.bench.mjs). Prints a Markdown section for
# BENCHMARKS.md: the medians over the runs, then every run's JSON. Called by scripts/bench.sh.
#
# Needs what tests/webdriver/run.sh needs (tauri-driver, WebKitWebDriver, xvfb-run, npm ci in
# tests/webdriver). Builds the UI and a release build of the app (the app embeds ui/dist).
# Env: BENCH_CANVAS_RUNS (launches per case, default 3), BENCH_CANVAS_NODES (default "1000 5000"),
# BENCH_CANVAS_APP (an app binary already built with the current ui/dist: skips both builds),
# BENCH_CANVAS_OPEN_ONLY=1 (measure opening only: no pan/zoom gesture; prints the open table),
# BENCH_CANVAS_ZOOM (a zoom, e.g. 1: each case gets a saved viewport at that zoom on the grid's
# top-left corner, so it opens on its saved view; unset: no saved view, the whole graph fitted).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tb-target}"
runs="${BENCH_CANVAS_RUNS:-3}"
sizes="${BENCH_CANVAS_NODES:-1000 5000}"
bench_dir=/var/tmp/tb-bench
mkdir -p "$bench_dir"

cargo build --release -q -p tracebench-sim --bin tracebench-sim --example bench_canvas_case
cargo build --release -q -p tracebench-core --example bench_case_open
# The 50,000-tx generated case, shared with the other benchmarks by name: reused when present,
# written under a temporary name and moved into place otherwise (never over another's file).
source_case="$bench_dir/50k.tbcase"
if [[ ! -s "$source_case" ]]; then
  tmp_case="$bench_dir/50k.$$.tbcase"
  "$CARGO_TARGET_DIR/release/tracebench-sim" generate --txs 50000 --seed 1 --out "$tmp_case" >&2
  mv -n "$tmp_case" "$source_case"
  rm -f "$tmp_case"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench-canvas.XXXXXX")
trap 'rm -rf "$work"; rm -f "$bench_dir"/canvas-*.$$.tbcase' EXIT
cases="["
for n in $sizes; do
  case_file="$bench_dir/canvas-$n.$$.tbcase"
  rm -f "$case_file"
  "$CARGO_TARGET_DIR/release/examples/bench_canvas_case" --from "$source_case" --nodes "$n" \
    --out "$case_file" ${BENCH_CANVAS_ZOOM:+--zoom "$BENCH_CANVAS_ZOOM"} > "$work/case-$n.json"
  nodes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["nodes"])' "$work/case-$n.json")
  # The core's share of opening, in parts (open checks, graph view, JSON as the IPC sends it).
  "$CARGO_TARGET_DIR/release/examples/bench_case_open" "$case_file" "$runs" > "$work/core-$n.jsonl"
  [[ "$cases" == "[" ]] || cases+=","
  cases+="{\"label\":\"$n\",\"path\":\"$case_file\",\"nodes\":$nodes}"
done
cases+="]"

app="${BENCH_CANVAS_APP:-}"
if [[ -z "$app" ]]; then
  (cd ui && npm run build >&2)
  cargo build --release -q -p tracebench-app
  app="$CARGO_TARGET_DIR/release/tracebench-app"
fi
echo '{}' > "$work/truth.json"
TRACEBENCH_APP="$app" \
  TRACEBENCH_CLI=/bin/true \
  DEMO_TRUTH="$work/truth.json" \
  TRACEBENCH_SPECS=bench/canvas.bench.mjs \
  TB_BENCH_CASES="$cases" TB_BENCH_RUNS="$runs" TB_BENCH_OUT="$work/runs.jsonl" \
  TB_BENCH_OPEN_ONLY="${BENCH_CANVAS_OPEN_ONLY:-0}" \
  xvfb-run -a -s "-screen 0 1600x900x24" tests/webdriver/run.sh >&2

python3 - "$work" $sizes <<'PY'
import json, os, statistics, sys
work, sizes = sys.argv[1], sys.argv[2:]
runs = [json.loads(l) for l in open(os.path.join(work, "runs.jsonl"))]
cases = {n: json.load(open(os.path.join(work, f"case-{n}.json"))) for n in sizes}
core = {n: [json.loads(l) for l in open(os.path.join(work, f"core-{n}.jsonl"))] for n in sizes}

def open_table():
    """Opening the case: the page's parts (features/canvas/opening.ts) and the core's, medians."""
    parts = ["ipc", "sources", "viewport", "draw", "batch", "add", "view", "labels", "opened",
             "frame-wait", "frame-eleCalcs", "frame-render", "frame-paint", "rest"]
    print("| canvas (saved zoom) | open to first frame | " + " | ".join(parts) + " | first frame | core: open / graph view / JSON (bytes) |")
    print("|---|---|" + "---|" * len(parts) + "---|---|")
    for n in sizes:
        rs = [r for r in runs if r["label"] == n]
        med = lambda f: statistics.median(f(r) for r in rs)
        cmed = lambda k: statistics.median(c[k] for c in core[n])
        rest = med(lambda r: r["open_ms"] - sum(r["open_parts"].get(p, 0) for p in ["ipc", "sources", "viewport", "draw", "opened"]))
        zoom = cases[n].get("saved_zoom")
        print(f"| {rs[0]['nodes']:,} nodes ({'fitted, none saved' if zoom is None else zoom}) | **{med(lambda r: r['open_ms']):.0f} ms** | "
              + " | ".join(f"{med(lambda r: r['open_parts'].get(p, 0)):.0f}" for p in parts)
              + f" | {rest:.0f} | {cmed('open_s') * 1000:.0f} / {cmed('graph_s') * 1000:.0f} / {cmed('json_s') * 1000:.0f} ms "
              f"({cmed('json_bytes'):,.0f}) |")

if all("pan" not in r for r in runs):
    print("### Opening the 50,000-tx case")
    print()
    open_table()
    print()
    print("Raw output (one line per launch, then the core's runs):")
    print()
    print("```")
    for r in runs:
        print(json.dumps(r, sort_keys=True))
    for n in sizes:
        for c in core[n]:
            print(json.dumps(c, sort_keys=True))
    print("```")
    sys.exit(0)
ua = runs[0]["userAgent"]
vp = runs[0]["viewport"]
print("## Canvas in the app's webview (issue #3)")
print()
print(f"`scripts/bench_canvas.sh`: the release app (`tracebench-app --case FILE`) under Xvfb "
      f"(software rendering, {vp['width']:.0f}×{vp['height']:.0f} CSS px canvas, device pixel ratio "
      f"{vp['pixelRatio']}), driven by tests/webdriver/bench/canvas.bench.mjs through tauri-driver; "
      f"{len(runs) // max(1, len(sizes))} launches per case, medians. Each case is a copy of the "
      f"{cases[sizes[0]]['case_txs']:,}-tx generated case (`tracebench-sim generate --txs 50000 --seed 1`) "
      f"with N nodes on its canvas at saved grid positions (crates/tracebench-sim/examples/bench_canvas_case.rs). "
      f"Frame time = time between two requestAnimationFrame timestamps while a scripted drag-pan "
      f"(90 mouse moves, Cytoscape's own handler) and wheel zoom (45 steps in, 45 out, the canvas's "
      f"handler: features/canvas/wheelZoom.ts scales the drawn picture, then Cytoscape draws the "
      f"final view once the wheel has been quiet for 200 ms and two frames: the settle column), "
      f"one event per frame. Open = from the page's open command until the first frame after the canvas "
      f"showed the saved view; \"core\" = the part until the core's answer arrived. Webview: `{ua}`.")
print()
print("| case | target | open (core part) | pan p50 / p95 | zoom p50 / p95 | all frames p50 / p95 | zoom settle: last wheel → drawn (longest frame) |")
print("|---|---|---|---|---|---|---|")
for n in sizes:
    rs = [r for r in runs if r["label"] == n]
    med = lambda f: statistics.median(f(r) for r in rs)
    c = cases[n]
    print(f"| {rs[0]['nodes']:,} nodes, {rs[0]['edges']:,} edges ({c['case_txs']:,}-tx case; performance mode "
          f"{rs[0]['performance_mode']}) | open < 2 s; p95 < 33 ms at 5,000 nodes | "
          f"{med(lambda r: r['open_ms']) / 1000:.2f} s ({med(lambda r: r['open_ipc_ms']) / 1000:.2f} s) | "
          f"{med(lambda r: r['pan']['p50']):.0f} / {med(lambda r: r['pan']['p95']):.0f} ms | "
          f"{med(lambda r: r['zoom']['p50']):.0f} / {med(lambda r: r['zoom']['p95']):.0f} ms | "
          f"{med(lambda r: r['all']['p50']):.0f} / {med(lambda r: r['all']['p95']):.0f} ms | "
          + (f"{med(lambda r: r['settle']['ms']):.0f} ms ({med(lambda r: r['settle']['max'] or 0):.0f} ms) |"
             if all('settle' in r for r in rs) else "– |"))
print()
print("Where the frames went (ms per frame, medians over the runs of each run's median; idle = the webview's "
      "frame interval with nothing moving; handlers = the synthetic events' handlers, Cytoscape's and the app's; "
      "before render = Cytoscape's style and texture-cache callbacks; render = its draw call; rest = painting, "
      "compositing and other work of the page; \"cut\" = the gesture was stopped after 90 s):")
print()
print("| case | idle | gesture | handlers | before render | render | rest | cut |")
print("|---|---|---|---|---|---|---|---|")
for n in sizes:
    rs = [r for r in runs if r["label"] == n and r.get("profile")]
    for g in ["pan", "zoom"]:
        if not rs:
            continue
        med = lambda f: statistics.median(f(r) for r in rs)
        print(f"| {rs[0]['nodes']:,} nodes | {med(lambda r: r['idle']['p50']):.0f} | {g} | "
              f"{med(lambda r: r['profile'][g]['events_p50']):.1f} | {med(lambda r: r['profile'][g]['before_render_p50']):.1f} | "
              f"{med(lambda r: r['profile'][g]['render_p50']):.1f} | {med(lambda r: r['profile'][g]['rest_p50']):.1f} | "
              f"{sum(1 for r in rs if r['truncated'][g])} of {len(rs)} |")
print()
print("Opening, in parts (ms, medians; `bench_case_open` for the core):")
print()
open_table()
print()
print("The core's share measured apart in release (`bench_canvas_case`, no webview): "
      + "; ".join(f"{n} nodes: open {cases[n]['core_open_s']:.2f} s, graph view {cases[n]['core_graph_s']:.2f} s "
                  f"(reading all {cases[n]['core_all_txs']:,} txs alone {cases[n]['core_all_txs_s']:.2f} s)" for n in sizes)
      + ".")
print()
print("Raw output (one line per launch, then each case):")
print()
print("```")
for r in runs:
    print(json.dumps(r, sort_keys=True))
for n in sizes:
    print(json.dumps(cases[n], sort_keys=True))
print("```")
PY
