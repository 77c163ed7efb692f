#!/usr/bin/env python3
"""Times whole commands over repeated runs and prints median, mean and min, like hyperfine -N.

usage: timing.py --runs N --warmup W --cwd DIR -- LABEL=COMMAND [LABEL=COMMAND ...]
Commands are split with shlex and run without a shell; output goes to /dev/null.
Prints one line per command and, for every command after the first, its ratio to the first.
"""
import argparse
import shlex
import statistics
import subprocess
import sys
import time


def measure(argv, runs, warmup, cwd):
    for _ in range(warmup):
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("commands", nargs="+")
    args = ap.parse_args()
    results = []
    for spec in args.commands:
        label, _, command = spec.partition("=")
        times = measure(shlex.split(command), args.runs, args.warmup, args.cwd)
        results.append((label, times))
        print(f"  {label:<34} median {statistics.median(times):8.2f} ms   mean {statistics.mean(times):8.2f} ms"
              f"   min {min(times):8.2f} ms   ({args.runs} runs)")
        sys.stdout.flush()
    base_label, base = results[0]
    for label, times in results[1:]:
        print(f"  ratio {label} / {base_label}: {statistics.median(times) / statistics.median(base):.2f}")


if __name__ == "__main__":
    main()
