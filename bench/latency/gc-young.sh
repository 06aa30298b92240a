#!/usr/bin/env bash
# Young-generation sizing against the c=1 tail (issue 19): one fresh Sluice JVM per arm (all up at
# once, full pipeline of bench/conf/sluice-bench.yaml, canned nginx upstream), warmed, then wrk at
# c=1 for LAT_S seconds per arm, arms alternated over ROUNDS rounds (order rotated). Each JVM logs
# -Xlog:gc*,gc+age=trace; gc-young.py counts, inside the wrk windows only, young collections,
# survivor bytes (age table) and promoted bytes per 10,000 requests (counts the machine's load does
# not change) and the pauses (which it does: compare them within one run only). It also records
# each arm's RSS after the rounds (idle, after c=8 warm-up and the c=1 rounds).
#
#   bench/latency/gc-young.sh 'base=-XX:+UseSerialGC -Xms32m ...' 'mn64=-XX:+UseSerialGC -Xms80m -Xmn64m ...'
#   env: JAR (this tree's sluice.jar), ROUNDS (4), LAT_S (8), WARMUP_S (10), OUT (gc-young: writes
#        bench/results/$OUT.json; the work files stay in bench/latency/work-gc)
# Own ports (45xx) and work directory, so the other benches can run next to it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); bench=$(cd "$here/.." && pwd); root=$(cd "$bench/.." && pwd)
work="$here/work-gc"; rm -rf "$work"; mkdir -p "$work/nginx-upstream"
ROUNDS=${ROUNDS:-4}; LAT_S=${LAT_S:-8}; WARMUP_S=${WARMUP_S:-10}; OUT=${OUT:-gc-young}
JAR=${JAR:-$root/gateway/target/sluice.jar}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
UP_PORT=4510; MOCK_PORT=4511; SLUICE_PORT0=4560
log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
render() { # template out sluice-port db
  sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" -e "s#@SLUICE_PORT@#${3:-0}#g" \
      -e "s#@UP_WORKERS@#1#g" -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#chunk_delay=250ms#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$MOCK_PORT#g" \
      -e "s#sluice-ledger.db#${4:-sluice-ledger.db}#g" "$1" > "$2"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 143' INT TERM
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "$1" && return 0; sleep 0.2; done; echo "not ready: $1" >&2; exit 1; }

render "$bench/conf/nginx-upstream.conf" "$work/nginx-upstream.conf"
nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' & pids+=($!)
java -Xmx256m -XX:+UseSerialGC -jar "$JAR" mock-upstream --host 127.0.0.1 --port $MOCK_PORT >"$work/mock.log" 2>&1 & pids+=($!)
declare -A port_of pid_of; ARMS=(); i=0
for spec in "$@"; do
  name=${spec%%=*}; opts=${spec#*=}; port=$((SLUICE_PORT0 + i)); i=$((i + 1))
  render "$bench/conf/sluice-bench.yaml" "$work/sluice-$name.yaml" $port "ledger-$name.db"
  # shellcheck disable=SC2086
  java $opts -Xlog:gc*,gc+age=trace:file="$work/gc-$name.log":time,uptime -jar "$JAR" serve -c "$work/sluice-$name.yaml" >"$work/sluice-$name.log" 2>&1 &
  pids+=($!); port_of[$name]=$port; pid_of[$name]=$!; ARMS+=("$name"); echo "$name	$opts" >>"$work/arms.tsv"
done
wait_http "http://127.0.0.1:$UP_PORT/"; wait_http "http://127.0.0.1:$MOCK_PORT/v1/models"
for a in "${ARMS[@]}"; do wait_http "http://127.0.0.1:${port_of[$a]}/health/ready"; done
run_wrk() { # arm conns seconds
  BENCH_MODEL=bench-canned BENCH_HEADERS="authorization: Bearer sk-sluice-bench-0001" timeout $(($3 + 30)) \
    wrk -t1 -c"$2" -d"$3"s --timeout 10s -s "$bench/wrk/chat.lua" "http://127.0.0.1:${port_of[$1]}/v1/chat/completions" | sed -n 's/^WRKJSON //p'; }
rotate() { local r=$1 n=${#ARMS[@]} k; for ((k = 0; k < n; k++)); do echo "${ARMS[$(( (k + r) % n ))]}"; done; }
raw="$work/raw.jsonl"; : >"$raw"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for a in "${ARMS[@]}"; do log "warm-up $a"; run_wrk $a 8 $WARMUP_S >/dev/null; run_wrk $a 1 3 >/dev/null; done
for ((r = 1; r <= ROUNDS; r++)); do
  for a in $(rotate $r); do
    t0=$(date +%s.%N); j=$(run_wrk $a 1 $LAT_S); t1=$(date +%s.%N)
    log "round $r/$ROUNDS $a (load $(cut -d' ' -f1 /proc/loadavg)): $j"
    echo "{\"arm\":\"$a\",\"round\":$r,\"t0\":$t0,\"t1\":$t1,\"load1\":$(cut -d' ' -f1 /proc/loadavg),\"wrk\":$j}" >>"$raw"
  done
done
sleep 3
for a in "${ARMS[@]}"; do
  echo "{\"arm\":\"$a\",\"rss_kb\":$(awk '/^VmRSS:/{print $2}' /proc/${pid_of[$a]}/status)}" >>"$work/rss.jsonl"
  jcmd ${pid_of[$a]} GC.heap_info >"$work/heap-$a.txt" 2>&1 || true
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cleanup; pids=()
python3 "$here/gc-young.py" "$work" "{\"date\":\"$(date -u +%FT%TZ)\",\"commit\":\"$(git -C "$root" rev-parse --short HEAD)\",\"rounds\":$ROUNDS,\"lat_s\":$LAT_S,\"load_before\":\"$load_before\",\"load_after\":\"$load_after\"}" >"$bench/results/$OUT.json"
log "wrote $bench/results/$OUT.json"
