#!/usr/bin/env bash
# Tail latency with and without hedging, same run, same upstream. Writes bench/results/tail-latency.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
requests=${REQUESTS:-2000}
concurrency=${CONCURRENCY:-16}
"$root/sluice" --version >/dev/null   # builds the jar when needed
java -jar "$root/gateway/target/sluice.jar" mock-upstream --port 4101 --seed 7 >/tmp/sluice-bench-mock.log 2>&1 &
mock=$!
java -jar "$root/gateway/target/sluice.jar" serve -c "$here/sluice-tail.yaml" >/tmp/sluice-bench-gw.log 2>&1 &
gw=$!
trap 'kill $mock $gw 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:4100/health/ready >/dev/null 2>&1 && break; sleep 0.2; done
mkdir -p "$root/bench/results"
java "$here/TailLatency.java" http://127.0.0.1:4100 sk-bench-tail-0001 "$requests" "$concurrency" | tee "$root/bench/results/tail-latency.json"
