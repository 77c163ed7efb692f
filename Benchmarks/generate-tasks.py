#!/usr/bin/env python3
"""Writes a large, realistic tasks.md: N units of 1 parent + 9 subtasks with detail lines.

usage: generate-tasks.py OUT [--tasks 10000] [--done-fraction 0.3] [--seed 1] [--speckit]
About 10,000 tasks make about 2 MB, the size of the biggest real files times twenty.
With --speckit, a Spec Kit plan instead: phases of 20 T-numbered tasks with [P]/[USn] tags and
inline "depends on" clauses (Setup, Foundational, user stories, Polish).
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
    ap.add_argument("--speckit", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.speckit:
        write(args.out, speckit(rng, args.tasks, args.done_fraction))
        return
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
    write(args.out, lines)


def write(out, lines):
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def speckit(rng, tasks, done_fraction):
    lines = ["# Tasks: Generated feature", "", "## Format: `[ID] [P?] [Story] Description`", "",
             "- [P] tasks = different files, no dependencies", ""]
    phases = max(3, tasks // 20)
    done_until = int(tasks * done_fraction)
    n = 0
    for p in range(1, phases + 1):
        story = 2 < p < phases
        name = ("Setup (Shared Infrastructure)" if p == 1 else "Foundational (Blocking Prerequisites)" if p == 2
                else "Polish & Cross-Cutting Concerns" if p == phases else f"User Story {p - 2} - {title(rng, 4)} (Priority: P{1 + p % 3})")
        lines += [f"## Phase {p}: {name}", "", f"**Purpose**: {title(rng, 8)}", ""]
        first = n + 1
        for _ in range(20):
            n += 1
            mark = "X" if n <= done_until else " "
            tags = (" [P]" if rng.random() < 0.4 else "") + (f" [US{p - 2}]" if story else "")
            line = f"- [{mark}] T{n:03d}{tags} {title(rng, 6)} in src/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{n}.ts"
            if n > first and rng.random() < 0.3:
                line += f" — depends on T{rng.randint(first, n - 1):03d}"
            lines.append(line)
        lines += ["", f"**Checkpoint**: {title(rng, 6)}", "", "---", ""]
    lines += ["## Dependencies & Execution Order", "", "- Setup first, then Foundational, then the stories.", ""]
    return lines


if __name__ == "__main__":
    main()
