#!/usr/bin/env bash
# Stats query time with a day of requests recorded (1,000,000 by default) by three replicas.
# Writes bench/results/stats-query.json (SQLite, a temporary database), or with
# STORE_URL=postgresql://… bench/results/stats-query-postgresql.json. REQUESTS=… for another volume.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/sluice" --version >/dev/null   # builds the jar when needed
mkdir -p "$root/bench/results"
out="$root/bench/results/stats-query.json"
case "${STORE_URL:-}" in postgres*) out="$root/bench/results/stats-query-postgresql.json" ;; esac
work=$(mktemp -d)   # the gateway's ledger journal goes to the working directory with PostgreSQL
trap 'rm -rf "$work"' EXIT
cd "$work"
java -Xmx1g -cp "$root/gateway/target/sluice.jar" "$here/StatsBench.java" "${REQUESTS:-1000000}" ${STORE_URL:+"$STORE_URL"} \
  | tee "$out"
