#!/usr/bin/env bash
# Runs the benchmarks (release builds) and writes their block of BENCHMARKS.md (or of
# $BENCH_OUT) with the machine and the date: only the part between the generated block's markers
# is replaced (scripts/bench_splice.py); sections written by hand around it are kept.
# Performance targets are checked here, never by timed assertions in tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tb-target}"

cargo build --release -p tracebench-core --example bench_cache -q
cargo build --release -p tracebench-labels --example bench -q
cache=$("$CARGO_TARGET_DIR/release/examples/bench_cache")
labels=$("$CARGO_TARGET_DIR/release/examples/bench")

# Issue #4 performance: a generated 1,000,000-tx case, analysed on one core by the engine and by
# plain Python + networkx (bench/cluster_networkx.py) on the same file.
cargo build --release -p tracebench-sim --bin tracebench-sim --example bench_analysis -q
bench_txs="${BENCH_TXS:-1000000}"
work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
case_file="$work/generated.tbcase"
/usr/bin/time -f '{"seconds": %e, "peak_rss_kib": %M}' -o "$work/gen.time" \
  taskset -c 0 "$CARGO_TARGET_DIR/release/tracebench-sim" generate --txs "$bench_txs" --seed 1 \
  --out "$case_file" > "$work/gen.json"
/usr/bin/time -f '{"seconds": %e, "peak_rss_kib": %M}' -o "$work/engine.time" \
  taskset -c 0 "$CARGO_TARGET_DIR/release/examples/bench_analysis" "$case_file" > "$work/engine.json"
/usr/bin/time -f '{"seconds": %e, "peak_rss_kib": %M}' -o "$work/networkx.time" \
  taskset -c 0 python3 bench/cluster_networkx.py "$case_file" > "$work/networkx.json"
analysis=$(python3 - "$work" <<'PY'
import json, os, sys
w = sys.argv[1]
read = lambda n: json.load(open(os.path.join(w, n)))
out = {"generate": read("gen.json"), "generate_time": read("gen.time"),
       "engine": read("engine.json"), "engine_time": read("engine.time"),
       "networkx": read("networkx.json"), "networkx_time": read("networkx.time"),
       "case_bytes": os.path.getsize(os.path.join(w, "generated.tbcase"))}
e, n = out["engine"], out["networkx"]
if (e["clusters"], e["skipped_coinjoins"], e["clustered_addresses"]) != (n["clusters"], n["skipped_coinjoins"], n["clustered_addresses"]):
    sys.exit(f"engine and networkx disagree: engine {e['clusters']} clusters / {e['skipped_coinjoins']} CoinJoins, "
             f"networkx {n['clusters']} / {n['skipped_coinjoins']}")
print(json.dumps(out, sort_keys=True))
PY
)

# Issue #6 performance: the court report of a generated 50,000-tx case (every transaction in the
# appendix), rendered by crates/tracebench-core/examples/bench_report.rs on one core; pages,
# bytes and embedded/subset fonts from poppler.
cargo build --release -p tracebench-core --example bench_report -q
report_txs="${BENCH_REPORT_TXS:-50000}"
"$CARGO_TARGET_DIR/release/tracebench-sim" generate --txs "$report_txs" --seed 1 \
  --out "$work/report.tbcase" > /dev/null
/usr/bin/time -f '{"seconds": %e, "user": %U, "sys": %S, "peak_rss_kib": %M}' -o "$work/report.time" \
  taskset -c 0 "$CARGO_TARGET_DIR/release/examples/bench_report" "$work/report.tbcase" \
  "$work/report.pdf" ${BENCH_REPORT_OMIT:-} > "$work/report.json"
# The 200-page exhibit the target means: the same case with 1,000 nodes on its canvas
# (bench_canvas_case), printed without the full transaction table and cluster appendix, so the
# narrative of the canvas's transactions, the story, methodology and the other chapters make
# about 200 pages.
cargo build --release -p tracebench-sim --example bench_canvas_case -q
"$CARGO_TARGET_DIR/release/examples/bench_canvas_case" --from "$work/report.tbcase" \
  --nodes "${BENCH_REPORT_CANVAS_NODES:-1000}" --out "$work/report200.tbcase" > "$work/report200.canvas.json"
/usr/bin/time -f '{"seconds": %e, "user": %U, "sys": %S, "peak_rss_kib": %M}' -o "$work/report200.time" \
  taskset -c 0 "$CARGO_TARGET_DIR/release/examples/bench_report" "$work/report200.tbcase" \
  "$work/report200.pdf" --omit transactions --omit clusters > "$work/report200.json"
for name in report report200; do
  pdfinfo "$work/$name.pdf" > "$work/$name.pdfinfo"
  pdffonts "$work/$name.pdf" > "$work/$name.pdffonts"
done
report_json() {
python3 - "$work" "$1" <<'PY'
import json, os, re, sys
w, name = sys.argv[1], sys.argv[2]
out = json.load(open(os.path.join(w, name + ".json")))
out["time"] = json.load(open(os.path.join(w, name + ".time")))
out["pages"] = int(re.search(r"^Pages:\s+(\d+)", open(os.path.join(w, name + ".pdfinfo")).read(), re.M).group(1))
fonts = open(os.path.join(w, name + ".pdffonts")).read().splitlines()[2:]
out["fonts"] = [f.split()[0] for f in fonts]
out["fonts_embedded_subset"] = all(re.match(r"^[A-Z]{6}\+", f.split()[0]) and " yes yes " in f for f in fonts)
print(json.dumps(out, sort_keys=True))
PY
}
report=$(report_json report)
report200=$(report_json report200)

cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, $mem, $(uname -sr). Release builds."
  echo
  echo "| benchmark | target | result |"
  echo "|---|---|---|"
  python3 - "$cache" "$labels" "$analysis" "$report" "$report200" <<'PY'
import json, sys
cache = json.loads(sys.argv[1])
print(f"| 100,000 cached transaction look-ups from a case file | < 1 s | {cache['cached_lookups_s']:.3f} s ({cache['lookups_per_s']:.0f}/s over {cache['case_txs']} txs) |")
print(f"| Expand the whole sim case over loopback HTTP ({cache['expand_requests']} requests) | — | {cache['expand_whole_case_s']:.2f} s |")
labels = json.loads(sys.argv[2])
tp = labels["tagpack_import"]
print(f"| Import every GraphSense TagPack ({tp['files']} files, {tp['entries']} entries) | < {tp['target_seconds']:g} s | {tp['seconds']:.2f} s |")
sc = labels["screen"]
print(f"| Screen {sc['addresses']:,} addresses against {sc['labels']:,} labels ({sc['hits']} hits) | < {sc['target_seconds']:g} s | {sc['seconds']:.3f} s |")
bi = labels["builtin_install"]
print(f"| First-use install of the built-in label pack ({bi['labels']:,} labels, {bi['packs']} packs) | — | {bi['seconds']:.2f} s |")
a = json.loads(sys.argv[3])
g, e, n = a["generate"], a["engine"], a["networkx"]
txs = f"{e['case_txs']:,}-tx"
print(f"| `tracebench-sim generate --txs {g['txs']:,}` (straight into a case file, {a['case_bytes'] / 2**30:.2f} GiB) | a few minutes | {a['generate_time']['seconds']:.0f} s |")
# Wall time and the CPU time of the benchmark's thread: on a shared machine the wall time also
# counts waiting for the core, the CPU time does not.
both = lambda k: f"{e[k + '_s']:.2f} s wall, {e[k + '_cpu_s']:.2f} s CPU"
print(f"| Load the {txs} generated case (every tx into memory), one core | reported apart | {both('load')} |")
print(f"| Multi-input clustering with CoinJoin detection, {txs} case, one core ({e['clusters']:,} clusters, {e['skipped_coinjoins']:,} CoinJoins) | < 3 s | {both('cluster')} |")
print(f"| The same clustering in Python + networkx {n['networkx']} (load {n['load_s']:.2f} s apart) | — | {n['cluster_s']:.2f} s (engine / networkx = {e['cluster_s'] / n['cluster_s']:.2f}) |")
print(f"| 6-hop haircut trace from one output ({e['trace_txs']} txs reached), one core | < 1 s | {both('trace')} |")
print(f"| The same trace backward ({e['trace_backward_txs']} txs reached), one core | — | {both('trace_backward')} |")
print(f"| Peak memory of load + clustering + trace (`/usr/bin/time`) | < 2 GB | {a['engine_time']['peak_rss_kib'] / 2**20:.2f} GiB |")
r = json.loads(sys.argv[4])
kb = r["bytes"] / r["pages"] / 1000
subset = "fonts embedded and subset" if r["fonts_embedded_subset"] else "fonts NOT all embedded/subset"
print(f"| Court report of the {r['case_txs']:,}-tx generated case ({r['pages']:,} pages, every transaction in the appendix, vector figures, {subset}), one core | — | {r['time']['seconds']:.2f} s wall, {r['time']['user'] + r['time']['sys']:.2f} s CPU (model {r['model_s']:.2f} s of which content hash {r['content_hash_s']:.2f} s, render {r['render_s']:.2f} s) |")
print(f"| Report size per page (full exhibit) | ≤ 40 KB | {kb:.1f} KB ({r['bytes']:,} bytes / {r['pages']:,} pages) |")
r = json.loads(sys.argv[5])
kb = r["bytes"] / r["pages"] / 1000
subset = "fonts embedded and subset" if r["fonts_embedded_subset"] else "fonts NOT all embedded/subset"
# The target is what `tracebench report` does once: open, the model with its one content hash,
# render and seal (`total_s`). The process's wall time adds the second content hash bench_report
# times apart (`content_hash_s`) and its exit, so it is shown beside it, not as the result.
print(f"| Court report of the same case with {r['graph_nodes']:,} canvas nodes ({r['narrative_hops']:,} narrative hops; `--omit transactions --omit clusters`; {r['pages']:,} pages, vector figures, {subset}), one core | < 3 s for 200 pages | {r['total_s']:.2f} s: open, model {r['model_s']:.2f} s (with its content hash), render and seal {r['render_s']:.2f} s (the process: {r['time']['seconds']:.2f} s wall, {r['time']['user'] + r['time']['sys']:.2f} s CPU, with a second content hash of {r['content_hash_s']:.2f} s timed apart) |")
print(f"| Report size per page (that exhibit) | ≤ 40 KB | {kb:.1f} KB ({r['bytes']:,} bytes / {r['pages']:,} pages; manifest {r['manifest_bytes']:,} bytes) |")
PY
  echo
  echo "Analysis on a generated case: \`tracebench-sim generate\` writes a deterministic synthetic chain"
  echo "(seed 1) into a case file; \`bench_analysis\` (crates/tracebench-sim/examples) loads it and times"
  echo "\`cluster::multi_input\` (every CoinJoin detector) and \`analysis::trace\` (haircut, 6 hops,"
  echo "from output 0 of the middle transaction, forward and backward) separately, in wall time and in"
  echo "the CPU time of its thread (/proc/thread-self/schedstat), and prints SHA3-256"
  echo "fingerprints of their JSON results, so two builds can be shown to agree byte for byte;"
  echo "\`bench/cluster_networkx.py\` does the same"
  echo "multi-input clustering plainly with networkx (BlockSci's generic CoinJoin rule) on the same file."
  echo "Every step is pinned to one core (\`taskset -c 0\`); the script stops unless both find the same"
  echo "clusters and CoinJoins. The machine is shared: other builds may run at the same time."
  echo
  echo "Cached look-ups: a case reads each transaction from its SQLite file once and then answers"
  echo "from its bounded in-memory read cache (stored transactions never change)."
  echo
  echo "Raw output:"
  echo
  echo '```'
  echo "$cache"
  echo "$labels"
  echo "$analysis"
  echo "$report"
  echo "$report200"
  echo '```'
} > "$work/generated.md"
# Issue #5 sources over loopback (three runs, about 10 minutes) and issue #3 canvas in the app's
# webview (the WebDriver harness and a release build of the app; at the frame times measured on
# 2026-11-22, about 4 minutes per launch at 1,000 nodes and longer at 5,000: an hour or more for
# three launches each): their own sections.
# Their sections go in one level down, under a heading of their own, so they never repeat the
# headings of the hand-written sections of the same names below the generated block.
{ echo; echo "## Latest \`make bench\` runs of the source and canvas benchmarks"; echo
  { bash scripts/bench_sources.sh; echo; bash scripts/bench_canvas.sh; } | sed 's/^##/###/'
} >> "$work/generated.md"
out="${BENCH_OUT:-BENCHMARKS.md}"
python3 scripts/bench_splice.py "$work/generated.md" "$out"
cat "$out"
