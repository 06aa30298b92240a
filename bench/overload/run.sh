#!/usr/bin/env bash
# Goodput at 2x, 5x and 10x overload of one target (capacity 200 req/s). Writes bench/results/overload.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SECONDS_PER_ARM:-8}
"$root/sluice" --version >/dev/null   # builds the jar when needed
java -jar "$root/gateway/target/sluice.jar" mock-upstream --port 4201 >/tmp/sluice-overload-mock.log 2>&1 &
mock=$!
work=$(mktemp -d)
cp "$here/sluice-overload.yaml" "$work/"
java -jar "$root/gateway/target/sluice.jar" serve -c "$work/sluice-overload.yaml" >/tmp/sluice-overload-gw.log 2>&1 &
gw=$!
trap 'kill $mock $gw 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:4200/health/ready >/dev/null 2>&1 && break; sleep 0.2; done
mkdir -p "$root/bench/results"
java "$here/Overload.java" http://127.0.0.1:4200 sk-bench-overload-1 200 20 "$seconds" | tee "$root/bench/results/overload.json"
