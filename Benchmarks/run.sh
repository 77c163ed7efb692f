#!/bin/sh
# Runs every benchmark against the release build. `make bench` builds first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
for bench in "$here"/status.sh "$here"/hooks.sh "$here"/next.sh; do
  echo "== $(basename "$bench")"
  "$bench"
done
