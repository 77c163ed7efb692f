#!/usr/bin/env python3
"""Times whole commands over repeated runs and prints median, mean and min, like hyperfine -N.

usage: timing.py --runs N --warmup W --cwd DIR [--interleave] [--after LABEL=COMMAND ...]
                 -- LABEL=COMMAND [LABEL=COMMAND ...]
Commands are split with shlex and run without a shell; output goes to /dev/null.
Prints one line per command and, for every command after the first, its ratio to the first.

--interleave   alternates the commands run by run (A B A B ...) instead of all runs of A then
               all runs of B, so that machine noise hits every command alike.
--after        runs COMMAND, untimed, after each run (warm-up included) of the command LABEL:
               for commands that make something that must be undone before they run again.
{run} in any command is replaced by the run's number (warm-up runs count), for fresh names.
"""
import argparse
import shlex
import statistics
import subprocess
import sys
import time


def run_once(command, number, cwd, after):
    argv = shlex.split(command.replace("{run}", str(number)))
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    elapsed = (time.perf_counter() - start) * 1000
    if after:
        subprocess.run(shlex.split(after.replace("{run}", str(number))), cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return elapsed


def report(label, times, runs):
    print(f"  {label:<34} median {statistics.median(times):8.2f} ms   mean {statistics.mean(times):8.2f} ms"
          f"   min {min(times):8.2f} ms   ({runs} runs)")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--interleave", action="store_true")
    ap.add_argument("--after", action="append", default=[])
    ap.add_argument("commands", nargs="+")
    args = ap.parse_args()
    commands = [spec.partition("=")[::2] for spec in args.commands]
    after = dict(spec.partition("=")[::2] for spec in args.after)
    unknown = set(after) - {label for label, _ in commands}
    if unknown:
        ap.error(f"--after names no command: {', '.join(sorted(unknown))}")

    results = {label: [] for label, _ in commands}
    if args.interleave:
        for number in range(args.warmup + args.runs):
            for label, command in commands:
                elapsed = run_once(command, number, args.cwd, after.get(label))
                if number >= args.warmup:
                    results[label].append(elapsed)
        for label, _ in commands:
            report(label, results[label], args.runs)
    else:
        for label, command in commands:
            for number in range(args.warmup + args.runs):
                elapsed = run_once(command, number, args.cwd, after.get(label))
                if number >= args.warmup:
                    results[label].append(elapsed)
            report(label, results[label], args.runs)
    base_label = commands[0][0]
    for label, _ in commands[1:]:
        print(f"  ratio {label} / {base_label}: {statistics.median(results[label]) / statistics.median(results[base_label]):.2f}")


if __name__ == "__main__":
    main()
