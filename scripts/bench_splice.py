#!/usr/bin/env python3
"""Puts a freshly generated benchmark block into BENCHMARKS.md without touching the rest.

    bench_splice.py BLOCK_FILE BENCHMARKS_FILE

The block goes between the two marker lines below; everything outside them (sections written
by hand) is kept byte for byte. A file without the markers gets the block first, marked, with
its old content after it. A file with only one marker, or with them in the wrong order, is
refused and left as it was.
"""

import os
import sys

BEGIN = "<!-- bench.sh: generated block begins (make bench rewrites it; write outside it) -->"
END = "<!-- bench.sh: generated block ends -->"


def splice(block: str, old: str) -> str:
    block = block.rstrip("\n") + "\n"
    marked = f"{BEGIN}\n{block}{END}\n"
    has_begin, has_end = old.count(BEGIN), old.count(END)
    if (has_begin, has_end) == (0, 0):
        return marked + ("\n" + old if old else "")
    if (has_begin, has_end) != (1, 1) or old.index(BEGIN) > old.index(END):
        raise ValueError(
            f"the markers are broken ({has_begin} begin, {has_end} end); fix them by hand")
    head = old[: old.index(BEGIN)]
    tail = old[old.index(END) + len(END):]
    tail = tail[1:] if tail.startswith("\n") else tail
    return head + marked + tail


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    block_path, target = sys.argv[1], sys.argv[2]
    with open(block_path, encoding="utf-8") as f:
        block = f.read()
    old = ""
    if os.path.exists(target):
        with open(target, encoding="utf-8") as f:
            old = f.read()
    try:
        new = splice(block, old)
    except ValueError as e:
        print(f"bench_splice: {target}: {e}", file=sys.stderr)
        return 1
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
