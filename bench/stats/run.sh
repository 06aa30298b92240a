#!/usr/bin/env bash
# Stats query time with a day of requests recorded (1,000,000 by default) by three replicas.
# Writes bench/results/stats-query.json. REQUESTS=… and STORE_URL=postgresql://… to change them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/sluice" --version >/dev/null   # builds the jar when needed
mkdir -p "$root/bench/results"
java -Xmx1g -cp "$root/target/sluice.jar" "$here/StatsBench.java" "${REQUESTS:-1000000}" ${STORE_URL:+"$STORE_URL"} \
  | tee "$root/bench/results/stats-query.json"
