#!/usr/bin/env bash
# The web console's API calls for a 24-hour window, timed with a day of traffic recorded
# (1,000,000 requests by default) on a fresh SQLite store, or on STORE_URL=postgresql://… (then
# written to console-api-postgresql.json). Writes bench/results/console-api.json and a Markdown table
# (console-api-table.md); the timings go to
# stderr as they come. Knobs: REQUESTS (1000000), REPS (20), WARMUPS (3), ONLY (a regex: only the calls
# whose name it finds; a run that times the savings call also times, in process, the pre-V9 way of
# computing them: every ledger row of the window), STORE_URL=sqlite:<file> (kept; a store filled before is reused, not seeded again). Stops by itself;
# deletes a store it made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/sluice" --version >/dev/null   # builds gateway/target/sluice.jar when needed
mkdir -p "$root/bench/results"
out="$root/bench/results/console-api.json"
case "${STORE_URL:-}" in postgres*) out="$root/bench/results/console-api-postgresql.json" ;; esac
work=$(mktemp -d)   # the gateway's ledger journal goes to the working directory
trap 'rm -rf "$work"' EXIT
cd "$work"
java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$root/gateway/target/sluice.jar" "$here/ConsoleApiBench.java" \
  "${REQUESTS:-1000000}" "${STORE_URL:-}" "${REPS:-20}" "$work/table.md" "${WARMUPS:-3}" >"$work/out.json"
cp "$work/out.json" "$out"
cp "$work/table.md" "${out%.json}-table.md"
cat "$out"
