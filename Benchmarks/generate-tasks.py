#!/usr/bin/env python3
"""Writes a large, realistic tasks.md: N units of 1 parent + 9 subtasks with detail lines.

usage: generate-tasks.py OUT [--tasks 10000] [--done-fraction 0.3] [--seed 1]
About 10,000 tasks make about 2 MB, the size of the biggest real files times twenty.
"""
import argparse
import random

WORDS = ("parser model store cache index worker queue client server schema migration token session "
         "router handler view layout theme metrics trace log config loader writer reader validator").split()


def title(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--done-fraction", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    units = max(1, args.tasks // 10)
    lines = ["# Implementation Plan", "", "## Overview", "",
             "Generated for benchmarks: a large spec with nested units, manifests and dependencies.", "",
             "## Tasks", ""]
    done_units = int(units * args.done_fraction)
    for u in range(1, units + 1):
        done = u <= done_units
        mark = "x" if done else " "
        lines.append(f"- [{mark}] {u}. {title(rng, 5)}")
        if u > 1 and u % 3 == 0:
            lines.append(f"  - depends on: {u - 1}, {max(1, u - 2)}.3")
        for s in range(1, 10):
            optional = "*" if s == 9 else ""
            lines.append(f"  - [{mark}]{optional} {u}.{s} {title(rng, 7)}")
            lines.append(f"    - {title(rng, 9)} so the {rng.choice(WORDS)} stays consistent")
            lines.append(f"    - _writes: src/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{u}_{s}.swift_")
            lines.append(f"    - _Requirements: {rng.randint(1, 20)}.{rng.randint(1, 9)}, {rng.randint(1, 20)}.{rng.randint(1, 9)}_")
        lines.append("")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
