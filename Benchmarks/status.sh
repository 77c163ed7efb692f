#!/bin/sh
# Issue 2: `spec-dispatch status --json` on a generated tasks.md of 10,000 tasks (~2.2 MB),
# whole process, against `cat` of the same file as the floor; plus in-process parse speed.
# Targets: status under 40 ms median; parsing at 200 MB/s or more.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${SPEC_DISPATCH_BIN:-$root/.build/release/spec-dispatch}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/repo/.kiro/specs/big"
python3 "$here/generate-tasks.py" "$work/repo/.kiro/specs/big/tasks.md" --tasks 10000
git -C "$work/repo" init -q -b main
git -C "$work/repo" add -A
git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost commit -qm "big spec"
size=$(wc -c < "$work/repo/.kiro/specs/big/tasks.md")
tasks=$(grep -c -- '- \[' "$work/repo/.kiro/specs/big/tasks.md")
echo "status --json on $tasks tasks, $size bytes"
python3 "$here/timing.py" --runs "${RUNS:-30}" --cwd "$work/repo" --interleave \
  "cat=cat .kiro/specs/big/tasks.md" \
  "spec-dispatch status --json=$bin status --json" \
  "spec-dispatch status (text)=$bin status"
echo "in-process (parse, tree, statuses, readiness):"
(cd "$root" && swift build -c release --product ParseBenchmark >/dev/null)
"$root/.build/release/ParseBenchmark" "$work/repo/.kiro/specs/big/tasks.md" 40 | sed 's/^/  /'
