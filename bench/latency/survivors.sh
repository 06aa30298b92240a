#!/usr/bin/env bash
# What is live in Sluice while c=1 requests run, beyond what is live at rest: the objects a young
# collection at c=1 finds alive and copies (in-flight requests, queued ledger/request-log rows,
# caches that grow with traffic). One Sluice JVM (full pipeline of bench/conf/sluice-bench.yaml,
# canned nginx upstream), warmed; then SAMPLES live-heap histograms at rest and SAMPLES while wrk
# runs at c=1 (each forces a full GC, so the histogram holds only reachable objects). Prints the
# classes whose mean live bytes rose most under load. Counts, not times: holds on a loaded machine.
#   bench/latency/survivors.sh ['JAVA OPTS']   env: JAR, SAMPLES (5), OUT (bench/latency/work-surv)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); bench=$(cd "$here/.." && pwd); root=$(cd "$bench/.." && pwd)
work=${OUT:-$here/work-surv}; rm -rf "$work"; mkdir -p "$work/nginx-upstream"
JAR=${JAR:-$root/gateway/target/sluice.jar}; SAMPLES=${SAMPLES:-5}
OPTS=${1:--XX:+UseSerialGC -Xms32m -Xmx512m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=64m -Xss512k}
export MALLOC_ARENA_MAX=2
UP_PORT=4610; MOCK_PORT=4611; PORT=4660
render() { sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" -e "s#@SLUICE_PORT@#$PORT#g" \
  -e "s#@UP_WORKERS@#1#g" -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#chunk_delay=250ms#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$MOCK_PORT#g" "$1" > "$2"; }
pids=(); cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT; trap 'exit 143' INT TERM
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "$1" && return 0; sleep 0.2; done; echo "not ready: $1" >&2; exit 1; }
render "$bench/conf/nginx-upstream.conf" "$work/nginx-upstream.conf"; render "$bench/conf/sluice-bench.yaml" "$work/sluice.yaml"
nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' & pids+=($!)
java -Xmx256m -XX:+UseSerialGC -jar "$JAR" mock-upstream --host 127.0.0.1 --port $MOCK_PORT >"$work/mock.log" 2>&1 & pids+=($!)
# shellcheck disable=SC2086
java $OPTS -jar "$JAR" serve -c "$work/sluice.yaml" >"$work/sluice.log" 2>&1 & pids+=($!); spid=$!
wait_http "http://127.0.0.1:$UP_PORT/"; wait_http "http://127.0.0.1:$PORT/health/ready"
wrk1() { BENCH_MODEL=bench-canned BENCH_HEADERS="authorization: Bearer sk-sluice-bench-0001" timeout $(($2 + 30)) \
  wrk -t1 -c"$1" -d"$2"s --timeout 10s -s "$bench/wrk/chat.lua" "http://127.0.0.1:$PORT/v1/chat/completions" | sed -n 's/^WRKJSON //p'; }
wrk1 8 10 >/dev/null; wrk1 1 3 >/dev/null; sleep 2
for i in $(seq 1 "$SAMPLES"); do jcmd $spid GC.class_histogram >"$work/rest-$i.txt"; sleep 1; done
wrk1 1 $((SAMPLES * 3 + 10)) >"$work/wrk.json" & w=$!
sleep 3
for i in $(seq 1 "$SAMPLES"); do jcmd $spid GC.class_histogram >"$work/load-$i.txt"; sleep 2; done
wait $w || true
python3 - "$work" "$SAMPLES" <<'PY'
import collections, glob, os, re, sys
work, n = sys.argv[1], int(sys.argv[2])
def mean(kind):
    tot, cnt = collections.Counter(), collections.Counter()
    for p in glob.glob(os.path.join(work, f"{kind}-*.txt")):
        for line in open(p):
            m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
            if m:
                cnt[m.group(3)] += int(m.group(1)) / n; tot[m.group(3)] += int(m.group(2)) / n
    return tot, cnt
rb, rc = mean("rest"); lb, lc = mean("load")
d = sorted(((lb[k] - rb[k], lc[k] - rc[k], k) for k in set(lb) | set(rb)), reverse=True)
print(f"live heap at rest {sum(rb.values())/1024:.0f} kB, under c=1 load {sum(lb.values())/1024:.0f} kB: +{(sum(lb.values())-sum(rb.values()))/1024:.0f} kB (means of {n} histograms each)")
print(f"{'+bytes':>10} {'+objects':>9}  class")
for b, c, k in d[:30]:
    print(f"{b:10.0f} {c:9.0f}  {k}")
PY
echo "wrk: $(cat "$work/wrk.json")"
