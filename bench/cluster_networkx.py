#!/usr/bin/env python3
"""Multi-input clustering of a Tracebench case, written plainly with networkx.

What an analyst with a notebook would do: read the inputs and outputs of every transaction
from the case file (SQLite), skip coinbases and CoinJoins (BlockSci's generic `isCoinjoin`:
at least 2 inputs and 3 outputs, p = ceil(outputs / 2) no more than the inputs and the distinct
input addresses, the most frequent output value occurring exactly p times and not being the
dust value 546 or 2730 sat; ties between values broken by the larger value), join all input
addresses of each remaining transaction, and count the connected components.

Usage: python3 bench/cluster_networkx.py CASE.tbcase
Prints one JSON line: load_s, cluster_s, clusters (components of two or more addresses),
clustered_addresses and skipped_coinjoins.
"""

import json
import sqlite3
import sys
import time
from collections import Counter
from itertools import groupby

import networkx as nx


def load(path):
    """Every transaction's input addresses and output values, keyed by txid."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    inputs = {}
    coinbase = set()
    rows = db.execute("SELECT txid, address, is_coinbase FROM tx_input ORDER BY txid, idx")
    for txid, group in groupby(rows, key=lambda r: r[0]):
        addresses = []
        for _, address, is_coinbase in group:
            if is_coinbase:
                coinbase.add(txid)
            if address is not None:
                addresses.append(address)
        inputs[txid] = addresses
    outputs = {}
    rows = db.execute("SELECT txid, value FROM tx_output ORDER BY txid, idx")
    for txid, group in groupby(rows, key=lambda r: r[0]):
        outputs[txid] = [value for _, value in group]
    db.close()
    return inputs, outputs, coinbase


def is_coinjoin(input_addresses, output_values):
    n_in, n_out = len(input_addresses), len(output_values)
    if n_in < 2 or n_out < 3:
        return False
    p = (n_out + 1) // 2
    if p > n_in or p > len(set(input_addresses)):
        return False
    counts = Counter(output_values)
    value, count = max(counts.items(), key=lambda vc: (vc[1], vc[0]))
    return count == p and value not in (546, 2730)


def cluster(inputs, outputs, coinbase):
    graph = nx.Graph()
    skipped = 0
    for txid, addresses in inputs.items():
        if txid in coinbase:
            continue
        distinct = sorted(set(addresses))
        if is_coinjoin(addresses, outputs.get(txid, [])):
            if len(distinct) >= 2:
                skipped += 1
            continue
        first = distinct[0] if distinct else None
        for other in distinct[1:]:
            graph.add_edge(first, other)
    components = [c for c in nx.connected_components(graph) if len(c) >= 2]
    return components, skipped


def main():
    path = sys.argv[1]
    t = time.perf_counter()
    inputs, outputs, coinbase = load(path)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    components, skipped = cluster(inputs, outputs, coinbase)
    cluster_s = time.perf_counter() - t
    print(json.dumps({
        "bench": "networkx",
        "networkx": nx.__version__,
        "case_txs": len(inputs),
        "load_s": load_s,
        "cluster_s": cluster_s,
        "clusters": len(components),
        "clustered_addresses": sum(len(c) for c in components),
        "skipped_coinjoins": skipped,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
