#!/usr/bin/env bash
# Counts Sluice's cross-thread wake-ups per request: eventfd writes (one thread waking an event loop)
# seen with strace while N canned requests and M streams are sent one at a time, each on a new
# connection (so they land on every event loop in turn). Load-independent: a count, not a time.
#   bench/latency/hops.sh PORT [N] [M]     (Sluice already running with bench/conf/sluice-bench.yaml)
set -euo pipefail
port=$1; n=${2:-20}; m=${3:-4}
pid=$(ss -ltnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
body='{"model":"bench-canned","messages":[{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
sbody='{"model":"bench-stream","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a short story."}]}'
req() { curl -s -o /dev/null -H 'authorization: Bearer sk-sluice-bench-0001' -H 'content-type: application/json' -d "$1" "http://127.0.0.1:$port/v1/chat/completions"; }
for i in 1 2 3 4 5 6; do req "$body"; req "$sbody"; done   # pools and counters exist on every loop
count() { # what body count
  local out; out=$(mktemp)
  strace -f -p "$pid" -e trace=write -o "$out" 2>/dev/null & local st=$!
  sleep 1.5
  for ((i = 0; i < $3; i++)); do req "$2"; done
  sleep 0.5; kill $st; wait $st 2>/dev/null || true
  local ev; ev=$(grep -c 'write([0-9]*, "\\1\\0\\0\\0\\0\\0\\0\\0", 8)' "$out" || true)
  rm -f "$out"
  awk -v w="$1" -v e="$ev" -v c="$3" 'BEGIN{printf "{\"what\":\"%s\",\"requests\":%d,\"eventfd_writes\":%d,\"per_request\":%.2f}\n", w, c, e, e / c}'
}
count canned "$body" "$n"
count stream "$sbody" "$m"
