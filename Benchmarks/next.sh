#!/bin/sh
# Issue 3: `spec-dispatch next` for one unit on a generated repository of 20,000 files, against
# `git worktree add -b` of the same commit, run by run in turn (so noise hits both alike).
# Each run is undone outside the timing: `abandon --force` for next, `worktree prune` and
# `branch -D` for git, after moving the new folder aside. Deleting 20,000 files instead would
# slow the next checkout down run after run (6 s, 12 s, 17 s on this machine): ext4 without a
# journal skips inodes freed in the last 30 s when it allocates new ones. The moved folders go
# at the end. Target: next within 1.2x of git worktree add (the checkout is the floor).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${SPEC_DISPATCH_BIN:-$root/.build/release/spec-dispatch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 20,000 source files of 200-400 bytes, 20 x 20 folders of 50, and a spec of 100 standalone units.
python3 - "$work/repo" <<'EOF'
import os, sys
root = sys.argv[1]
for n in range(20000):
    folder = f"{root}/src/area{n % 20:02d}/module{n // 20 % 20:02d}"
    os.makedirs(folder, exist_ok=True)
    body = "".join(f"    let value{k} = {n * 7 + k}  // generated line {k}\n" for k in range(n % 5 + 4))
    with open(f"{folder}/file{n:05d}.swift", "w") as f:
        f.write(f"// file {n}\nstruct File{n} {{\n{body}}}\n")
spec = f"{root}/.kiro/specs/bench"
os.makedirs(spec)
with open(f"{spec}/tasks.md", "w") as f:
    f.write("# Implementation plan\n\n")
    for unit in range(1, 101):
        f.write(f"- [ ] {unit}. Implement part {unit}\n  - _Requirements: {unit % 7 + 1}.1_\n")
for name in ("requirements", "design"):
    with open(f"{spec}/{name}.md", "w") as f:
        f.write(f"# {name.title()}\n")
EOF
git -C "$work/repo" init -q -b main
git -C "$work/repo" config user.name bench
git -C "$work/repo" config user.email bench@localhost
git -C "$work/repo" add -A
git -C "$work/repo" commit -qm "20,000 files and a spec of 100 units"
commit=$(git -C "$work/repo" rev-parse HEAD)
# As a user would have it: hooks, and the merge driver's line in info/attributes.
(cd "$work/repo" && "$bin" init >/dev/null)
files=$(git -C "$work/repo" ls-files | wc -l)
echo "next vs git worktree add on $files files ($(du -sh "$work/repo/src" | cut -f1) of sources)"
mkdir "$work/moved"
python3 "$here/timing.py" --runs "${RUNS:-21}" --warmup 2 --cwd "$work/repo" --interleave \
  --after "git worktree add -b=sh -c 'mv ../git-windows/run-{run} ../moved/git-{run} && git worktree prune && git branch -q -D bench/run-{run}'" \
  --after "spec-dispatch next=sh -c 'mv ../repo.dispatch/bench/task-1 ../moved/next-{run} && $bin abandon --force 1 >/dev/null'" \
  "git worktree add -b=git worktree add -b bench/run-{run} ../git-windows/run-{run} $commit" \
  "spec-dispatch next=$bin next"
