#!/usr/bin/env bash
# Latency at low load (issue 19): c=1 p50/p99 (wrk) and streaming time to first token (StreamProbe)
# for nginx, the plain Vert.x proxy and Sluice (full pipeline, bench/conf/sluice-bench.yaml), and
# optionally a second Sluice jar (BASE_JAR, e.g. the base commit's) as an A/B in the same run.
#
#   bench/latency/run.sh                       # this tree's jar
#   BASE_JAR=/tmp/latency-base/gateway/target/sluice.jar bench/latency/run.sh
#
# Arms run one at a time, alternated over ROUNDS rounds with the order rotated; every figure in the
# summary is the median over rounds of a same-round ratio (arm / nginx), because the machine is small
# and shared. Own ports (44xx), own work directory (bench/latency/work), so bench/run.sh can run
# next to it. Knobs: ROUNDS, LAT_S, STREAMS, WARMUP_S, SLUICE_JAVA_OPTS, BASE_JAVA_OPTS, EXTRA_ARMS
# ("name|jar|java-opts|java-binary[|seed.db];..." for more Sluice arms, e.g. GC variants; with a
# seed the arm's ledger starts as a copy of that SQLite file, e.g. bench/work/sluice-ledger.db
# after a full run), GAP_MS and GAP_N (a
# third phase: GAP_N requests one at a time, GAP_MS apart, clients/GapProbe.java: what sporadic
# traffic sees, each request finding the caches cold). Writes
# bench/results/latency.{json,md} (OUT=name to write bench/results/name.{json,md} instead).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
root=$(cd "$bench/.." && pwd)
. "$bench/cpu-steal.sh"
work="$here/work"; results="$bench/results"
mkdir -p "$work" "$results"
ROUNDS=${ROUNDS:-5}; LAT_S=${LAT_S:-5}; STREAMS=${STREAMS:-48}; WARMUP_S=${WARMUP_S:-10}
GAP_MS=${GAP_MS:-10}; GAP_N=${GAP_N:-300}   # spaced requests: GAP_N per arm per round, GAP_MS apart (0: no spaced phase)
OUT=${OUT:-latency}
CHUNK_DELAY=${CHUNK_DELAY:-10ms}
STREAM_FAULT=chunk_delay=${CHUNK_DELAY},words=5   # 16 content deltas: many short streams (as bench/run.sh)
HOLD_FAULT=latency=60ms,chunk_delay=250ms,words=24
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -XX:ReservedCodeCacheSize=64m -Xss512k}
BASE_JAVA_OPTS=${BASE_JAVA_OPTS:-$SLUICE_JAVA_OPTS}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
UP_PORT=4410; MOCK_PORT=4411; NGINX_PORT=4420; VERTX_PORT=4450; SLUICE_PORT0=4460
KEY=sk-sluice-bench-0001
log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

jar="$root/gateway/target/sluice.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -B -o -q -pl gateway -am -DskipTests package" >&2; exit 1; }
classes="$work/classes"; rm -rf "$classes"; mkdir -p "$classes"
javac -nowarn -cp "$jar" -d "$classes" "$bench"/clients/PlainVertxProxy.java "$bench"/clients/StreamProbe.java \
  "$bench"/clients/GapProbe.java

# Sluice arms: name|jar|java opts|java binary
arms_sluice=("sluice|$jar|$SLUICE_JAVA_OPTS|java")
[ -n "${BASE_JAR:-}" ] && arms_sluice+=("base|$BASE_JAR|$BASE_JAVA_OPTS|java")
IFS=';' read -ra extra <<<"${EXTRA_ARMS:-}"
for e in "${extra[@]}"; do [ -n "$e" ] && arms_sluice+=("$e"); done

render() { # template out sluice-port db
  sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" \
      -e "s#@NGINX_PORT@#$NGINX_PORT#g" -e "s#@SLUICE_PORT@#${3:-0}#g" -e "s#@UP_WORKERS@#1#g" \
      -e "s#@PROXY_WORKERS@#2#g" -e "s#@STREAM_FAULT@#$STREAM_FAULT#g" -e "s#@HOLD_FAULT@#$HOLD_FAULT#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$MOCK_PORT#g" \
      -e "s#sluice-ledger.db#${4:-sluice-ledger.db}#g" "$1" > "$2"
}
mkdir -p "$work/nginx-upstream" "$work/nginx-proxy"
render "$bench/conf/nginx-upstream.conf" "$work/nginx-upstream.conf"
render "$bench/conf/nginx-proxy.conf" "$work/nginx-proxy.conf"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 143' INT TERM   # exit (and so clean up): a handled TERM would let the rounds go on
wait_http() { for _ in $(seq 1 150); do curl -s -o /dev/null -m 2 "$1" && return 0; sleep 0.2; done; echo "not ready: $1" >&2; exit 1; }

nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' & pids+=($!)
java -Xmx1g -XX:+UseParallelGC -jar "$jar" mock-upstream --host 127.0.0.1 --port $MOCK_PORT >"$work/mock.log" 2>&1 & pids+=($!)
nginx -c "$work/nginx-proxy.conf" -e "$work/nginx-proxy/error.log" -g 'daemon off;' & pids+=($!)
java $SLUICE_JAVA_OPTS -cp "$jar:$classes" PlainVertxProxy $VERTX_PORT 127.0.0.1 $UP_PORT $MOCK_PORT >"$work/vertx.log" 2>&1 & pids+=($!)
declare -A port_of pid_of
ARMS=(direct nginx vertx)
i=0
for a in "${arms_sluice[@]}"; do
  IFS='|' read -r name ajar opts jbin seed <<<"$a"
  port=$((SLUICE_PORT0 + i)); i=$((i + 1))
  rm -rf "$work/ledger-$name.db"*
  [ -n "${seed:-}" ] && cp "$seed" "$work/ledger-$name.db"   # start on a copy of a grown ledger
  render "$bench/conf/sluice-bench.yaml" "$work/sluice-$name.yaml" $port "ledger-$name.db"
  # shellcheck disable=SC2086
  $jbin $opts -jar "$ajar" serve -c "$work/sluice-$name.yaml" >"$work/sluice-$name.log" 2>&1 & pids+=($!)
  port_of[$name]=$port; pid_of[$name]=$!; ARMS+=("$name")
done
wait_http "http://127.0.0.1:$UP_PORT/"; wait_http "http://127.0.0.1:$MOCK_PORT/v1/models"
wait_http "http://127.0.0.1:$NGINX_PORT/"; wait_http "http://127.0.0.1:$VERTX_PORT/"
for a in "${ARMS[@]:3}"; do wait_http "http://127.0.0.1:${port_of[$a]}/health/ready"; done

url_of() { # arm kind
  case $1 in
    direct) [ "$2" = canned ] && echo "http://127.0.0.1:$UP_PORT/v1/chat/completions" || echo "http://127.0.0.1:$MOCK_PORT/fault/$STREAM_FAULT/v1/chat/completions";;
    nginx) [ "$2" = canned ] && echo "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" || echo "http://127.0.0.1:$NGINX_PORT/fault/$STREAM_FAULT/v1/chat/completions";;
    vertx) [ "$2" = canned ] && echo "http://127.0.0.1:$VERTX_PORT/v1/chat/completions" || echo "http://127.0.0.1:$VERTX_PORT/fault/$STREAM_FAULT/v1/chat/completions";;
    *) echo "http://127.0.0.1:${port_of[$1]}/v1/chat/completions";;
  esac; }
model_of() { case $1 in direct|nginx|vertx) echo gpt-4o-mini;; *) echo "bench-$2";; esac; }
headers_of() { case $1 in direct|nginx|vertx) echo "";; *) echo "authorization: Bearer $KEY";; esac; }
run_wrk() { # arm conns seconds
  BENCH_MODEL=$(model_of $1 canned) BENCH_HEADERS=$(headers_of $1) timeout $(($3 + 30)) \
    wrk -t1 -c"$2" -d"$3"s --timeout 10s -s "$bench/wrk/chat.lua" "$(url_of $1 canned)" | sed -n 's/^WRKJSON //p'; }
run_probe() { timeout 300 java -cp "$classes" StreamProbe "$(url_of $1 stream)" "$(model_of $1 stream)" "$2" "$(headers_of $1)"; }
run_gap() { timeout 300 java -cp "$classes" GapProbe "$(url_of $1 canned)" "$(model_of $1 canned)" "$GAP_N" "$GAP_MS" "$(headers_of $1)"; }
rotate() { local r=$1 n=${#ARMS[@]} k; for ((k = 0; k < n; k++)); do echo "${ARMS[$(( (k + r) % n ))]}"; done; }

raw="$work/raw.jsonl"; : >"$raw"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for arm in "${ARMS[@]}"; do
  log "warm-up $arm"
  run_wrk $arm 8 $WARMUP_S >/dev/null; run_wrk $arm 1 3 >/dev/null; run_probe $arm ${STREAM_WARMUP:-300} >/dev/null  # a stream's start runs once per stream: warm it too
done
rounds_from=$(date +%s)   # GC pauses from here on count (gclogs.py); log with -Xlog:gc:file=work/gc-NAME.log:time,uptime
for ((r = 1; r <= ROUNDS; r++)); do
  for arm in $(rotate $r); do
    log "round $r/$ROUNDS c=1 $arm (load $(cut -d' ' -f1 /proc/loadavg))"
    c0=$(host_ticks)
    j=$(run_wrk $arm 1 $LAT_S)
    st=$(steal_percent "$c0" "$(host_ticks)")   # CPU other guests took during this arm's c=1 window
    echo "{\"phase\":\"latency\",\"arm\":\"$arm\",\"round\":$r,\"load1\":$(cut -d' ' -f1 /proc/loadavg),\"steal_percent\":$st,\"wrk\":$j}" >>"$raw"
  done
  for arm in $(rotate $r); do
    log "round $r/$ROUNDS streams $arm"
    j=$(run_probe $arm $STREAMS)
    echo "{\"phase\":\"stream\",\"arm\":\"$arm\",\"round\":$r,\"load1\":$(cut -d' ' -f1 /proc/loadavg),\"probe\":$j}" >>"$raw"
  done
  [ "$GAP_MS" -gt 0 ] || continue
  for arm in $(rotate $r); do
    log "round $r/$ROUNDS spaced requests ($GAP_N, ${GAP_MS} ms apart) $arm"
    j=$(run_gap $arm)
    echo "{\"phase\":\"spaced\",\"arm\":\"$arm\",\"round\":$r,\"load1\":$(cut -d' ' -f1 /proc/loadavg),\"gap\":$j}" >>"$raw"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# GC summary per Sluice arm (jstat: young/full collections and their total time)
gcs="{}"
for a in "${ARMS[@]:3}"; do
  g=$(jstat -gcutil "${pid_of[$a]}" 2>/dev/null | tail -1 | awk '{printf "{\"ygc\":%s,\"ygct\":%s,\"fgc\":%s,\"gct\":%s}", $(NF-6), $(NF-5), $(NF-4), $NF}' || true)
  jq -e . >/dev/null 2>&1 <<<"${g:-x}" || g=null   # jstat of this JDK may not read another JDK's JVM
  rss=$(awk '/^VmRSS:/{print $2}' /proc/${pid_of[$a]}/status 2>/dev/null || echo 0)
  gcs=$(jq -c --arg a "$a" --argjson g "${g:-null}" --argjson rss "${rss:-0}" '. + {($a): {gc: $g, rss_kb: $rss}}' <<<"$gcs")
done
cleanup; pids=()
python3 "$here/gclogs.py" "$work" "$rounds_from" >"$work/gc-summary.json" 2>/dev/null || echo '{}' >"$work/gc-summary.json"
arms_json=$(printf '%s\n' "${arms_sluice[@]}" | jq -R 'split("|") | {name: .[0], jar: .[1], opts: .[2], java: .[3], seed: .[4]}' | jq -s .)
python3 "$here/summarize.py" "$raw" "$results/$OUT.json" "$results/$OUT.md" \
  "{\"date\":\"$(date -u +%FT%TZ)\",\"commit\":\"$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- gateway || echo -dirty)\",\"rounds\":$ROUNDS,\"lat_s\":$LAT_S,\"streams\":$STREAMS,\"gap_ms\":$GAP_MS,\"gap_n\":$GAP_N,\"stream_fault\":\"$STREAM_FAULT\",\"load_before\":\"$load_before\",\"load_after\":\"$load_after\",\"cpus\":$(nproc),\"sluice_arms\":$arms_json,\"jvm\":$gcs,\"gc_logs\":$(cat "$work/gc-summary.json"),\"ref\":\"${REF:-sluice}\"}"
log "wrote $results/$OUT.json and $results/$OUT.md"
