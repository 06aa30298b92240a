#!/usr/bin/env bash
# A bounded soak (default 10 minutes): mixed plain/streamed traffic with injected provider faults
# (503s, stalls past the first-token timeout) and client disconnects (abandoned streams, 300 ms
# client timeouts). Reports heap after GC, RSS and open file descriptors every 30 s, the outcomes
# the clients saw, and upstream requests served against ledger rows. Writes bench/results/soak.json.
# Knobs: SOAK_SECONDS (600), CLIENTS (16). Loopback only; stops by itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${SOAK_SECONDS:-600}
clients=${CLIENTS:-16}
work=$(mktemp -d /tmp/sluice-soak.XXXXXX)
"$root/sluice" --version >/dev/null   # builds gateway/target/sluice.jar when needed
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
java -jar "$root/gateway/target/sluice.jar" mock-upstream --port 4501 --seed 7 >"$work/mock.log" 2>&1 & pids+=($!)
sed -e "s|@STORE@|$work/sluice.db|" "$here/sluice-soak.yaml" >"$work/sluice.yaml"
java ${SLUICE_JAVA_OPTS:--Xmx256m} -jar "$root/gateway/target/sluice.jar" serve -c "$work/sluice.yaml" >"$work/gw.log" 2>&1 &
gw=$!; pids+=($gw)
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:4500/health/ready >/dev/null 2>&1 && break; sleep 0.2; done
mkdir -p "$root/bench/results"
java -cp "$root/gateway/target/sluice.jar" "$here/Soak.java" http://127.0.0.1:4500 sk-soak-client "$gw" \
  http://127.0.0.1:4501 "$work/sluice.db" "$seconds" "$clients" | tee "$root/bench/results/soak.json"
echo "gateway log: $work/gw.log" >&2
