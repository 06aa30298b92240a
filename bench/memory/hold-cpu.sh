#!/usr/bin/env bash
# What holding LEVEL concurrent streams costs the gateway process, per JVM-flags arm: user and system
# CPU, minor page faults, streams completed and their success, RSS at the end. One mock upstream over
# HTTPS (HTTP/2, as bench/run.sh's HOLD_TLS=1); per arm and round a fresh Sluice JVM on
# bench/conf/sluice-bench.yaml, warmed with 20 s of wrk -c64 and 100 streams, then StreamLoad's ramp
# and hold (bench/run.sh's load). Arms alternate, in reversed order every other round. CPU and faults
# are read from /proc/<pid>/stat around the load, so they are the process's own whatever the load.
#
#   bench/memory/hold-cpu.sh "trim=-XX:+UseSerialGC ... -XX:TrimNativeHeapInterval=5000" "notrim=-XX:+UseSerialGC ..."
#   env: LEVEL (6000), ROUNDS (3), RAMP_S (5), HOLD_S (12), JAR (gateway/target/sluice.jar), OUT (/tmp/hold-cpu)
# One JSON line per arm and round on stdout. Only talks to 127.0.0.1; every load stops by itself.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
JAR=${JAR:-$root/gateway/target/sluice.jar}; LEVEL=${LEVEL:-6000}; RAMP_S=${RAMP_S:-5}; HOLD_S=${HOLD_S:-12}
ROUNDS=${ROUNDS:-3}; OUT=${OUT:-/tmp/hold-cpu}; MOCK_PORT=${MOCK_PORT:-4711}; SLUICE_PORT=${SLUICE_PORT:-4741}
[ $# -ge 1 ] || { echo "usage: $0 NAME=JAVA_OPTS [NAME=JAVA_OPTS ...]" >&2; exit 2; }
rm -rf "$OUT"; mkdir -p "$OUT"
hard=$(ulimit -Hn); if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
. "$here/tls-hold.sh"; sl=""; ld=""; mock=""
trap 'kill $mock $sl $ld 2>/dev/null' EXIT
tls_hold_start "$OUT" "$JAR"
stat3() { awk '{print $10, $14, $15}' "/proc/$1/stat"; }   # minflt utime stime (clock ticks)
hz=$(getconf CLK_TCK)
for r in $(seq "$ROUNDS"); do
  tls_hold_order "$r" "$@"
  for spec in "${specs[@]}"; do
    arm=${spec%%=*}; opts=${spec#*=}
    tls_hold_serve "$opts" "$JAR" "$OUT/$arm-$r.log"
    sleep 2
    timeout $(( RAMP_S + HOLD_S + 90 )) java -Xmx1g -cp "$JAR:$OUT/classes" StreamLoad "$U" bench-hold "$LEVEL" "$RAMP_S" "$HOLD_S" 27 "$H" "$sl" \
      > "$OUT/$arm-$r.json" 2>/dev/null & ld=$!
    read -r f0 u0 s0 < <(stat3 $sl)
    wait $ld; ld=""
    read -r f1 u1 s1 < <(stat3 $sl)
    rss=$(awk '/VmRSS/{print $2}' "/proc/$sl/status")
    kill $sl; wait $sl 2>/dev/null; sl=""
    printf '{"arm":"%s","round":%d,"level":%d,"minflt":%d,"user_s":%.2f,"sys_s":%.2f,"rss_end_mb":%.1f,"loadavg":"%s","load":%s}\n' \
      "$arm" "$r" "$LEVEL" $((f1 - f0)) "$(awk -v t=$((u1 - u0)) -v hz="$hz" 'BEGIN{print t / hz}')" \
      "$(awk -v t=$((s1 - s0)) -v hz="$hz" 'BEGIN{print t / hz}')" "$(awk -v k="$rss" 'BEGIN{print k / 1024}')" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(jq -c '{ok, streams, success, failures, dur_p50_s}' "$OUT/$arm-$r.json" 2>/dev/null || echo null)"
    sleep 3
  done
done
