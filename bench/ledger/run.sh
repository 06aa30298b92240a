#!/usr/bin/env bash
# The cost ledger's write CPU (bench/ledger/LedgerCost.java): the real LedgerWriter → Store.batches()
# path over a SQLite file and over an embedded PostgreSQL, a raw sqlite-jdbc floor, and optionally
# an A/B against another build of the gateway, arms alternating within each round; medians go to
# bench/results/ledger-cost.{md,json}.
#
#   bench/ledger/run.sh                      # this tree's jar only
#   BASE_JAR=/tmp/ledger-base/sluice.jar bench/ledger/run.sh   # plus the same arms on another jar
#   ARMS="base:/tmp/a.jar ids:/tmp/b.jar new:gateway/target/sluice.jar" PG_ARMS="base new" bench/ledger/run.sh
#
# Knobs: ROUNDS (3), RATE requests/s offered (6000, i.e. 12,000 rows/s; a ledger row + a request-log row each),
# WARMUP_S (10), MEASURE_S (15), ENGINES ("sqlite pg floor"; also sqlite-direct, where RATE is the batch size), JAVA (java), NAME (ledger-cost: the results file).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
RATE="${RATE:-6000}"
WARMUP_S="${WARMUP_S:-10}"
MEASURE_S="${MEASURE_S:-15}"
ENGINES="${ENGINES:-sqlite pg floor}"
JAVA="${JAVA:-java}"
JAR="${JAR:-$root/gateway/target/sluice.jar}"
BASE_JAR="${BASE_JAR:-}"
out="$root/bench/results"
name="${NAME:-ledger-cost}"
work="$(mktemp -d /tmp/ledger-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [ ! -f "$JAR" ]; then
  (cd "$root" && ./mvnw -B -q -pl gateway -am -DskipTests package)
fi
# embedded-postgres and its binaries come from the local Maven repository (the gateway's test scope).
pgcp="$work/pg.classpath"
# Offline first (quick); a fresh machine may not have the dependency plugin yet: then online.
(cd "$root" && for offline in -o ""; do
  ./mvnw -B -q $offline -pl gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$pgcp" >/dev/null \
    && break
done)
pgjars="$(tr ':' '\n' <"$pgcp" | grep -E 'zonky|commons-compress|commons-io|commons-lang3|commons-codec|xz' | paste -sd: -)"

# ARMS="label:jar …" measures several builds (e.g. one per change); else BASE_JAR against JAR.
if [ -n "${ARMS:-}" ]; then
  read -r -a arms <<<"$ARMS"
else
  arms=("new:$JAR")
  [ -n "$BASE_JAR" ] && arms=("base:$BASE_JAR" "new:$JAR")
fi
runs="${RUNS_FILE:-$work/runs.jsonl}" # RUNS_FILE keeps the raw lines
for round in $(seq 1 "$ROUNDS"); do
  for engine in $ENGINES; do
    order=("${arms[@]}")
    if [ $((round % 2)) -eq 0 ]; then # every other round in reverse order
      order=()
      for ((i = ${#arms[@]} - 1; i >= 0; i--)); do order+=("${arms[$i]}"); done
    fi
    for arm in "${order[@]}"; do
      label="${arm%%:*}"
      jar="${arm#*:}"
      [ "$engine" = floor ] && [ "$arm" != "${arms[-1]}" ] && continue # the floor does not depend on the jar: once a round
      [ "$engine" = pg ] && [ -n "${PG_ARMS:-}" ] && [[ " $PG_ARMS " != *" $label "* ]] && continue
      echo "round $round: $engine $label" >&2
      "$JAVA" -Xmx1g -cp "$jar:$pgjars" "$here/LedgerCost.java" "$engine" "$label" "$RATE" "$WARMUP_S" "$MEASURE_S" \
        2>"$work/last.err" | grep '^{' | tee -a "$runs" >&2 || { cat "$work/last.err" >&2; exit 1; }
    done
  done
done
note="$ROUNDS rounds, $RATE requests/s offered, ${WARMUP_S} s warm-up + ${MEASURE_S} s measured per run, $(nproc) cores, $(date -u +%FT%TZ)"
"$JAVA" -cp "$JAR" "$here/LedgerCost.java" report "$runs" "$out/$name.md" "$out/$name.json" "$note"
