#!/usr/bin/env bash
# Who holds the core when a thread on the request path waits to run (issue 19, c=1 tail).
# Starts the canned nginx upstream and one Sluice (full pipeline of bench/conf/sluice-bench.yaml),
# warms it, then records `perf sched` for PERF_S seconds of wrk c=1 and prints, for every wait over
# 1 ms in the run queue, which task ran on that core just before (waiter <- holder), counted.
#   bench/latency/sched-waits.sh                 # this tree's jar
#   JAR=/tmp/base/gateway/target/sluice.jar bench/latency/sched-waits.sh
# Needs perf (Debian: linux-perf) and the sched tracepoints (tracefs is mounted when missing); root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); bench=$(cd "$here/.." && pwd); root=$(cd "$bench/.." && pwd)
jar=${JAR:-$root/gateway/target/sluice.jar}; W="$here/work-sched"; rm -rf "$W"; mkdir -p "$W/nginx-upstream"
UP=4710; MOCK=4711; SP=4760; PERF_S=${PERF_S:-5}; WARM=${WARM:-30}
JOPTS=${JOPTS:--XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=64m -Xss512k}
command -v perf >/dev/null || { echo "needs perf (apt-get install linux-perf)" >&2; exit 1; }
[ -e /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
sed -e "s#@WORK@#$W#g" -e "s#@UP_PORT@#$UP#g" -e "s#@UP_WORKERS@#1#g" "$bench/conf/nginx-upstream.conf" > "$W/up.conf"
sed -e "s#@WORK@#$W#g" -e "s#@UP_PORT@#$UP#g" -e "s#@MOCK_PORT@#$MOCK#g" -e "s#@SLUICE_PORT@#$SP#g" -e "s#@STREAM_FAULT@#x#g" \
  -e "s#@HOLD_FAULT@#x#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$MOCK#g" "$bench/conf/sluice-bench.yaml" > "$W/sluice.yaml"
nginx -c "$W/up.conf" -e "$W/nginx-upstream/error.log" -g 'daemon off;' & np=$!
# shellcheck disable=SC2086
java $JOPTS -jar "$jar" serve -c "$W/sluice.yaml" > "$W/sluice.log" 2>&1 & sp=$!
trap 'kill $np $sp 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$SP/health/ready" && break; sleep 0.3; done
export BENCH_MODEL=bench-canned BENCH_HEADERS="Authorization: Bearer sk-sluice-bench-0001"
w() { wrk -t1 -c"$1" -d"$2"s --timeout 10s -s "$bench/wrk/chat.lua" "http://127.0.0.1:$SP/v1/chat/completions"; }
w 8 "$WARM" >/dev/null; w 1 "$WARM" >/dev/null
(w 1 $((PERF_S + 4)) | sed -n 's/^WRKJSON //p' > "$W/wrk.json") & wp=$!
sleep 2; perf sched record -o "$W/perf.data" -- sleep "$PERF_S" >/dev/null 2>&1
wait $wp; echo "wrk c=1: $(cat "$W/wrk.json")"
perf sched timehist -i "$W/perf.data" > "$W/timehist.txt" 2>/dev/null
# timehist columns: time cpu task wait sch-delay run; a task name may hold spaces, so read from the right.
awk 'NR > 3 { cpu = $2; name = $3; sub(/\[.*/, "", name); delay = $(NF - 1) + 0;
       if (delay > 1.0) waits[name " <- " prev[cpu]]++; prev[cpu] = name }
     END { for (k in waits) print waits[k], k }' "$W/timehist.txt" | sort -rn | head -15
