#!/usr/bin/env python3
"""Issue 4: what spec-dispatch's hooks add to `git commit`, inside a window and outside one.

usage: hooks.py SPEC_DISPATCH_BIN TEMPLATES_DIR [--runs N]
Builds a repository with the example spec, runs `spec-dispatch init` and `next`, then times
`git commit` of a one-line change with the hooks installed and without (`init --uninstall`),
interleaved run by run so machine noise hits both alike. Also times a commit with a
`Completes:` trailer inside the window (the hooks then rewrite tasks.md in that commit).
Targets: under 15 ms added inside a window, under 3 ms outside.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ENV = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost", GIT_CONFIG_NOSYSTEM="1")


def run(args, cwd):
    subprocess.run(args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed_commit(cwd, counter, trailer=None):
    with open(os.path.join(cwd, "bench.txt"), "a") as f:
        f.write(f"line {counter}\n")
    run(["git", "add", "bench.txt"], cwd)
    args = ["git", "commit", "-q", "-m", f"change {counter}"] + (["--trailer", trailer] if trailer else [])
    start = time.perf_counter()
    run(args, cwd)
    return (time.perf_counter() - start) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("templates")
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    work = tempfile.mkdtemp()
    try:
        repo = os.path.join(work, "repo")
        spec = os.path.join(repo, ".kiro", "specs", "bench")
        os.makedirs(spec)
        steps = args.runs + 5
        with open(os.path.join(spec, "tasks.md"), "w") as f:
            f.write("# Plan\n- [ ] 1. Benchmark unit\n" + "".join(f"  - [ ] 1.{i} Step {i}\n" for i in range(1, steps + 1)))
        run(["git", "init", "-q", "-b", "main"], repo)
        run(["git", "add", "-A"], repo)
        run(["git", "commit", "-q", "-m", "spec"], repo)
        environment = dict(ENV, SPEC_DISPATCH_TEMPLATES=args.templates)
        subprocess.run([args.binary, "init"], cwd=repo, env=environment, check=True, stdout=subprocess.DEVNULL)
        window = subprocess.run([args.binary, "next"], cwd=repo, env=environment, check=True,
                                capture_output=True, text=True).stdout.strip()
        times = {("window", True): [], ("window", False): [], ("main", True): [], ("main", False): [], "trailer": []}
        counter = 0
        installed = True
        for i in range(args.runs):
            for hooks in ([True, False] if i % 2 == 0 else [False, True]):
                if hooks != installed:
                    subprocess.run([args.binary, "init"] + ([] if hooks else ["--uninstall"]), cwd=repo, env=environment,
                                   check=True, stdout=subprocess.DEVNULL)
                    installed = hooks
                for place, cwd in (("window", window), ("main", repo)):
                    counter += 1
                    times[(place, hooks)].append(timed_commit(cwd, counter))
            if not installed:
                subprocess.run([args.binary, "init"], cwd=repo, env=environment, check=True, stdout=subprocess.DEVNULL)
                installed = True
            counter += 1
            times["trailer"].append(timed_commit(window, counter, trailer=f"Completes: 1.{i + 1}"))
        med = {key: statistics.median(value) for key, value in times.items()}
        print(f"git commit of a one-line change, median of {args.runs} runs each, interleaved:")
        for place in ("window", "main"):
            label = "inside a window " if place == "window" else "outside (main)  "
            print(f"  {label} without hooks {med[(place, False)]:7.2f} ms   with hooks {med[(place, True)]:7.2f} ms"
                  f"   added {med[(place, True)] - med[(place, False)]:6.2f} ms"
                  f"   ratio {med[(place, True)] / med[(place, False)]:.2f}")
        print(f"  inside a window, with a Completes: trailer (tasks.md rewritten in the commit): {med['trailer']:7.2f} ms"
              f"   added {med['trailer'] - med[('window', False)]:6.2f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
