#!/bin/sh
# Runs every benchmark against the release build. `make bench` builds first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
swift build -c release --product ParseBenchmark >/dev/null
for bench in "$here"/status.sh "$here"/hooks.sh "$here"/next.sh; do
  echo "== $(basename "$bench")"
  "$bench"
done
