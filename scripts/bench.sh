#!/usr/bin/env bash
# Runs the benchmarks (release builds) and writes BENCHMARKS.md with the machine and the date.
# Performance targets are checked here, never by timed assertions in tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/tb-target}"

cargo build --release -p tracebench-core --example bench_cache -q
cargo build --release -p tracebench-labels --example bench -q
cache=$("$CARGO_TARGET_DIR/release/examples/bench_cache")
labels=$("$CARGO_TARGET_DIR/release/examples/bench")

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
  python3 - "$cache" "$labels" <<'PY'
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
PY
  echo
  echo "Cached look-ups: a case reads each transaction from its SQLite file once and then answers"
  echo "from its bounded in-memory read cache (stored transactions never change)."
  echo
  echo "Raw output:"
  echo
  echo '```'
  echo "$cache"
  echo "$labels"
  echo '```'
} > BENCHMARKS.md
cat BENCHMARKS.md
