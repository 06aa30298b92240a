#!/usr/bin/env bash
# What tracing (sample 1.0, exported over OTLP/HTTP) and the request log cost, in one run:
#   before  - the build before the request log and tracing (BEFORE_REV, built in a temporary worktree)
#   after   - this build, tracing off (request log on: it always is)
#   traced  - this build, every request traced and exported to a local OTLP/HTTP sink
# against one canned upstream (sluice mock-upstream). Writes bench/results/observability-cost.json.
# Knobs: ROUNDS (5), SECONDS_PER_PHASE (8), BEFORE_REV (26ed183), BEFORE_JAR (skip the build: use this jar).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${ROUNDS:-5}
seconds=${SECONDS_PER_PHASE:-8}
rev=${BEFORE_REV:-26ed183}
work=$(mktemp -d /tmp/sluice-obs-bench.XXXXXX)
"$root/sluice" --version >/dev/null   # builds gateway/target/sluice.jar when needed
before=${BEFORE_JAR:-}
if [ -z "$before" ]; then
  git -C "$root" worktree add -q --detach "$work/before-src" "$rev"
  (cd "$work/before-src" && ./mvnw -B -q -o -DskipTests package)
  before=$(ls "$work/before-src/gateway/target/sluice.jar" "$work/before-src/target/sluice.jar" 2>/dev/null | head -1)   # the layout before and after the gateway module moved
fi
opts=${SLUICE_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  [ -d "$work/before-src" ] && git -C "$root" worktree remove --force "$work/before-src" 2>/dev/null || true
}
trap cleanup EXIT
java -jar "$root/gateway/target/sluice.jar" mock-upstream --port 4401 >"$work/mock.log" 2>&1 & pids+=($!)
start() { # name jar port extra-yaml
  mkdir -p "$work/$1"
  sed -e "s/@PORT@/$3/" -e "s|@STORE@|$work/$1/sluice.db|" "$here/sluice-obs.yaml" >"$work/$1/sluice.yaml"
  printf '%s\n' "$4" >>"$work/$1/sluice.yaml"
  (cd "$work/$1" && exec java $opts -jar "$2" serve -c sluice.yaml >"$work/$1/gw.log" 2>&1) & pids+=($!)
}
start before "$before" 4410 ""
start after "$root/gateway/target/sluice.jar" 4411 ""
start traced "$root/gateway/target/sluice.jar" 4412 'observability: { otlp: { endpoint: "http://127.0.0.1:4419" }, sample_ratio: 1.0, service_name: sluice-bench }'
for port in 4410 4411 4412; do
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
done
mkdir -p "$root/bench/results"
# The load program serves the OTLP sink on 4419 itself (the traced arm's exporter retries until it is up).
java "$here/ObservabilityCost.java" 4419 "$rounds" "$seconds" before=http://127.0.0.1:4410 \
  after=http://127.0.0.1:4411 traced=http://127.0.0.1:4412 | tee "$root/bench/results/observability-cost.json"
