#!/usr/bin/env bash
# Concurrent streams ramped onto cold upstream pools, per Sluice build: what bench/run.sh's
# concurrent-streams phase does at every level (other arms run between a build's levels for longer
# than the 60 s HTTP/2 keep-alive, so each level starts with no upstream connection open). One mock
# upstream over HTTPS (HTTP/2 by ALPN); per arm and round a fresh Sluice JVM on bench/conf/sluice-bench.yaml,
# warmed with 20 s of wrk -c64 and 100 streams, then IDLE_S of nothing (the warm-up's upstream
# connections expire), then StreamLoad's ramp and hold. During the load the established connections
# to the mock are sampled every 0.3 s: the most at once and how many distinct ones were seen (each
# one a TLS handshake). After the load, each target's adaptive concurrency as /admin/providers shows it
# (limit, in flight and, on builds that report it, the latency the limit judges), and the successful
# streams' time to first token from the request log (p50, p99, max, how many took 5 s or more), each
# hold target's breaker (state, openings) and counts, and the failed requests by status, error class
# and attempts made. Arms
# alternate, in reversed order every other round.
#
#   bench/memory/cold-ramp.sh base=/tmp/base.jar new=gateway/target/sluice.jar
#   env: LEVEL (8000), ROUNDS (3), IDLE_S (75), RAMP_S (5), HOLD_S (12), OUT (/tmp/cold-ramp)
# One JSON line per arm and round on stdout. Only talks to 127.0.0.1; every load stops by itself.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
LEVEL=${LEVEL:-8000}; ROUNDS=${ROUNDS:-3}; IDLE_S=${IDLE_S:-75}; RAMP_S=${RAMP_S:-5}; HOLD_S=${HOLD_S:-12}
OUT=${OUT:-/tmp/cold-ramp}; MOCK_PORT=${MOCK_PORT:-4711}; SLUICE_PORT=${SLUICE_PORT:-4741}
[ $# -ge 1 ] || { echo "usage: $0 NAME=JAR [NAME=JAR ...]" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing (bench/run.sh installs it)" >&2; exit 2; }
rm -rf "$OUT"; mkdir -p "$OUT"
hard=$(ulimit -Hn); if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
first_jar=${1#*=}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
opts=${SLUICE_JAVA_OPTS:-$(sed -n 's/.*SLUICE_JAVA_OPTS-\(-[^}]*\)}.*/\1/p' "$root/sluice")}   # the launcher's flags
. "$here/tls-hold.sh"; sl=""; ld=""; mock=""
trap 'kill $mock $sl $ld 2>/dev/null' EXIT
tls_hold_start "$OUT" "$first_jar"
master=sk-bench-master-cold-ramp-0123456789
sed -i "s/^server: { /server: { master_key: $master, /" "$OUT/sluice.yaml"
limits() {
  curl -s -H "authorization: Bearer $master" "http://127.0.0.1:$SLUICE_PORT/admin/providers" \
    | jq -c '[.targets[] | select(.provider | startswith("hold"))
        | {target, concurrency, breaker: {state: .breaker.state, openings: .breaker.openings}, counts}]' 2>/dev/null || echo null
}
ttft() {   # the successful streams of the load (after the warm-up's): their time to first token in ms
  sqlite3 "$OUT/sluice-ledger.db" "SELECT ttft_us FROM request_log WHERE status = 200 AND ts >= $1 AND ttft_us IS NOT NULL ORDER BY ttft_us" 2>/dev/null \
    | awk '{v[NR] = $1} END {if (NR == 0) {print "null"; exit}
        for (i = 1; i <= NR; i++) if (v[i] >= 5000000) slow++
        printf "{\"n\":%d,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,\"over_5s\":%d}", NR, v[int(NR * 0.5) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000, v[NR] / 1000, slow}'
}
failed() {   # the load's failed requests: how many by status, error class and attempts made
  sqlite3 "$OUT/sluice-ledger.db" "SELECT status, error_class, attempts, count(*) FROM request_log WHERE status <> 200 AND ts >= $1 GROUP BY 1, 2, 3" 2>/dev/null \
    | awk -F'|' 'BEGIN {printf "["} {printf "%s{\"status\":%s,\"error_class\":\"%s\",\"attempts\":%s,\"n\":%s}", (NR > 1 ? "," : ""), $1, $2, $3, $4} END {print "]"}'
}
upstream() { ss -Htn state established "( dport = :$MOCK_PORT )" | awk '{print $3}'; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
for r in $(seq "$ROUNDS"); do
  tls_hold_order "$r" "$@"
  for spec in "${specs[@]}"; do
    arm=${spec%%=*}; jar=${spec#*=}
    tls_hold_serve "$opts" "$jar" "$OUT/$arm-$r.log"
    warm=$(upstream | wc -l)
    sleep "$IDLE_S"
    idle=$(upstream | wc -l)
    c0=$(cpu $sl); t0=$(date +%s.%N); from_ms=$(date +%s%3N)
    timeout $(( RAMP_S + HOLD_S + 90 )) java -Xmx1g -cp "$jar:$OUT/classes" StreamLoad "$U" bench-hold "$LEVEL" "$RAMP_S" "$HOLD_S" 27 "$H" "$sl" \
      > "$OUT/$arm-$r.json" 2>/dev/null & ld=$!
    most=0; : > "$OUT/seen"
    while kill -0 $ld 2>/dev/null; do
      upstream > "$OUT/now"; n=$(wc -l < "$OUT/now"); cat "$OUT/now" >> "$OUT/seen"; [ "$n" -gt "$most" ] && most=$n
      sleep 0.3
    done
    wait $ld; ld=""
    cores=$(awk -v c=$(( $(cpu $sl) - c0 )) -v hz="$hz" -v t="$(echo "$(date +%s.%N) - $t0" | bc)" 'BEGIN{printf "%.3f", c / hz / t}')
    adaptive=$(limits)
    kill $sl; wait $sl 2>/dev/null; sl=""
    printf '{"arm":"%s","round":%d,"level":%d,"upstream_after_warmup":%d,"upstream_after_idle":%d,"upstream_most":%d,"upstream_distinct":%d,"sluice_cores":%s,"loadavg":"%s","load":%s,"adaptive":%s,"ttft":%s,"failed":%s}\n' \
      "$arm" "$r" "$LEVEL" "$warm" "$idle" "$most" "$(sort -u "$OUT/seen" | wc -l)" "$cores" "$(cut -d' ' -f1-3 /proc/loadavg)" \
      "$(jq -c '{ok, streams, success, failures, dur_p50_s}' "$OUT/$arm-$r.json" 2>/dev/null || echo null)" "$adaptive" "$(ttft "$from_ms")" \
      "$(failed "$from_ms")"
    sleep 3
  done
done
