#!/usr/bin/env python3
"""Picks the corpus kept in git from a fuzz target's grown corpus: a greedy set cover of the
coverage edges libFuzzer saw, largest gain first, within a budget of files and bytes.

`cargo fuzz cmin` keeps every input that adds a feature (edges and their hit counts), thousands of
files; this keeps the few that reach the most edges. Run after `cargo +nightly fuzz cmin TARGET`:

    B=target/x86_64-unknown-linux-gnu/release
    mkdir -p /tmp/empty && $B/TARGET -merge=1 -use_counters=0 \
        -merge_control_file=/tmp/mcf-TARGET /tmp/empty corpus/TARGET
    python3 cap-corpus.py /tmp/mcf-TARGET corpus/TARGET 300 1000000

It deletes from corpus/TARGET every file it does not pick and prints the edges kept.
"""

import os
import sys


def main() -> None:
    control, corpus, max_files, max_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(control) as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    paths = lines[2 : 2 + count]
    edges: dict[int, set[int]] = {}
    for line in lines[2 + count :]:
        if line.startswith("COV "):
            fields = line.split()
            edges[int(fields[1])] = set(map(int, fields[2:]))
    sizes = {i: os.path.getsize(paths[i]) for i in edges}
    everything = set().union(*edges.values())
    covered: set[int] = set()
    picked: list[int] = []
    used = 0
    while len(picked) < max_files:
        best, gain = None, 0
        for i, e in edges.items():
            if i in picked or used + sizes[i] > max_bytes:
                continue
            g = len(e - covered)
            if g > gain or (g == gain and best is not None and g > 0 and sizes[i] < sizes[best]):
                best, gain = i, g
        if best is None:
            break
        picked.append(best)
        covered |= edges[best]
        used += sizes[best]
    keep = {os.path.basename(paths[i]) for i in picked}
    for name in os.listdir(corpus):
        if name not in keep:
            os.remove(os.path.join(corpus, name))
    print(
        f"{corpus}: kept {len(picked)} of {len(edges)} files, {used} bytes, "
        f"{len(covered)} of {len(everything)} edges ({100 * len(covered) / max(1, len(everything)):.1f}%)"
    )


if __name__ == "__main__":
    main()
