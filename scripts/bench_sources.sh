#!/usr/bin/env bash
# Sources benchmark (issue #5): Tracebench fetching 1,000 address histories from the sim's
# Esplora server on loopback against wrk on the same paths with the same concurrency, and
# 100,000 cached transaction look-ups from a case file (crates/tracebench-core/examples/
# bench_sources.rs). Runs it BENCH_SOURCES_RUNS times (default 3) and prints a Markdown section
# for BENCHMARKS.md (medians, then every run's JSON). Called by scripts/bench.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tb-target}"
runs="${BENCH_SOURCES_RUNS:-3}"

# wrk is a benchmark tool only (not needed by CI or the app).
if ! command -v wrk > /dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y wrk >&2
  else
    sudo apt-get install -y wrk >&2
  fi
fi

cargo build --release -q -p tracebench-core --example bench_sources
work=$(mktemp -d "${TMPDIR:-/tmp}/tb-bench-sources.XXXXXX")
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$runs"); do
  "$CARGO_TARGET_DIR/release/examples/bench_sources" >> "$work/runs.jsonl"
done

python3 - "$work/runs.jsonl" "$(wrk --version 2>&1 | head -1)" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
wrk_version = sys.argv[2].split(" [")[0]
med = lambda f: statistics.median(f(r) for r in runs)
r0 = runs[0]
print("## Sources over loopback (issue #5)")
print()
print(f"`scripts/bench_sources.sh`: {len(runs)} runs of `bench_sources` (release), medians. "
      f"{r0['addresses']:,} addresses from {r0['chains']} sim ransomware chains served side by side "
      f"(`tracebench_sim::serve_chains`) on 127.0.0.1; rate limit off, {r0['in_flight']} requests in "
      f"flight for Tracebench (`max_in_flight`) and for {wrk_version} (`-t1 -c{r0['in_flight']}`, "
      f"cycling through exactly the paths Tracebench requested). CPU seconds are per thread from "
      f"/proc: the sim server's threads apart from everything else in the process.")
print()
print("| benchmark | target | result |")
print("|---|---|---|")
w = med(lambda r: r["wrk"]["requests_per_s"])
print(f"| The sim's Esplora server alone under wrk ({r0['wrk']['paths']:,} paths, {r0['wrk']['seconds']} s) | — | "
      f"{w:,.0f} requests/s (server CPU {med(lambda r: r['wrk']['cpu']['server_cpu_s']):.2f} s) |")
for key, what in (("batch", "`Workbench::add_addresses` (every history at once under the gate, each stored as it arrives, one SQLite transaction)"),
                  ("paste", "`Workbench::add_many`, pasted 500 lines at a time (the app's bulk paste: the same batch path, plus line checks and connecting)"),
                  ("source_only", "the source layer alone (`Source::address_txs` under the same gate, nothing stored; diagnosis)")):
    if r0.get(key) is None:
        continue
    b = lambda f, k=key: med(lambda r: f(r[k]))
    print(f"| Tracebench: {r0['addresses']:,} addresses through {what}: {b(lambda x: x['requests']):,.0f} requests | "
          f"≥ 80% of wrk | {b(lambda x: x['requests_per_s']):,.0f} requests/s in {b(lambda x: x['seconds']):.2f} s = "
          f"**{100 * b(lambda x: x['ratio_to_wrk']):.0f}%** of wrk (client CPU {b(lambda x: x['cpu']['client_cpu_s']):.2f} s, "
          f"server CPU {b(lambda x: x['cpu']['server_cpu_s']):.2f} s) |")
if r0.get("store_bounds") is not None:
    sb = lambda f: med(lambda r: f(r["store_bounds"]))
    budget = med(lambda r: r["budget_ms_per_response_at_80pct_of_wrk"])
    print(f"| Lower bound, no network: the batch's {r0['store_bounds']['responses']:,} responses stored again into a fresh case in one transaction, raw bodies with SHA-256 and provenance only | "
          f"≤ {budget:.3f} ms per response (80% of wrk) | {sb(lambda x: x['raw_only_s']):.3f} s = {sb(lambda x: x['raw_only_ms_per_response']):.3f} ms per response |")
    print(f"| The same plus the parsed transactions' rows ({r0['store_bounds']['txs_parsed']:,} txs as parsed, tx/inputs/outputs/addresses/transfers) | "
          f"≤ {budget:.3f} ms per response | {sb(lambda x: x['raw_and_rows_s']):.3f} s = {sb(lambda x: x['raw_and_rows_ms_per_response']):.3f} ms per response |")
    print(f"| Esplora JSON parsing of the same bodies (done on the fetch tasks in the batch) | — | "
          f"{sb(lambda x: x['parse_s']):.3f} s = {sb(lambda x: x['parse_ms_per_response']):.3f} ms per response |")
c = lambda f: med(lambda r: f(r["cache"]))
print(f"| 100,000 transaction look-ups (`Case::tx_shared`) from a case file ({r0['cache']['case_txs']:,} txs), right after opening it (cold) | < 1 s | "
      f"{c(lambda x: x['cold_s']):.3f} s |")
print(f"| 100,000 more with the read cache warm | < 1 s | {c(lambda x: x['warm_s']):.3f} s "
      f"({c(lambda x: x['warm_lookups_per_s']):,.0f}/s) |")
if "owned_copies_s" in r0["cache"]:
    print(f"| 100,000 more through `Case::tx` (each an owned copy; for comparison) | — | "
          f"{c(lambda x: x['owned_copies_s']):.3f} s |")
print()
print("Raw output (one line per run):")
print()
print("```")
for r in runs:
    print(json.dumps(r, sort_keys=True))
print("```")
PY
