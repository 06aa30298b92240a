#!/usr/bin/env bash
# Sluice vs a plain reverse proxy (nginx) vs a peer gateway (Portkey), plus JMH microbenchmarks, with a
# plain Vert.x reverse proxy (clients/PlainVertxProxy.java) as the floor of Sluice's own stack.
#
#   bench/run.sh                    # everything (~25-35 min on 2 cores)
#   BASE_REF=cb7602b bench/run.sh   # + that commit built and run as arm sluice-base (the A/B of a change)
#
# Every figure is a RATIO against a baseline measured in the same run, with the arms interleaved
# over several rounds, because the machine is small and shared. All load goes to 127.0.0.1; every
# load loop is bounded in count and time. Writes bench/results/latest.{json,md,png}, gc-summary.txt,
# jmh.json and profile-*.txt, then README.md's performance table (clients/ReadmeTable.java). Knobs
# (environment): ROUNDS, WARMUP_S, TPUT_S, TPUT_CONN, LAT_S, STREAMS_PER_ROUND, CHUNK_DELAY, HOLD_LEVELS,
# HOLD_RAMP_S, HOLD_S, HOLD_FAULT, HOLD_TLS=1, SLUICE_JAVA_OPTS, BASE_JAVA_OPTS, BASE_REF, TRACED=0, LEDGER=0, PROFILE=0, JFR_WARM_S, JMH=0,
# QUIESCE_MAX_S, QUIESCE_TICKS, RESULTS_DIR, README_TABLE=0, SKIP_INSTALL=1, FORCE_BUILD=1.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/cpu-steal.sh"   # steal_percent: CPU other guests took while the arms were measured
root=$(cd "$here/.." && pwd)
work="$here/work"
results=${RESULTS_DIR:-$here/results}   # elsewhere for smoke tests: bench/results/ keeps the last full run
mkdir -p "$work" "$results"

# ---- knobs -------------------------------------------------------------------------------------
ROUNDS=${ROUNDS:-3}
WARMUP_S=${WARMUP_S:-40}            # per arm, before the first round (JIT, pools): C2 takes ~30-40 s to settle under c=64 (results/throughput.md)
TPUT_S=${TPUT_S:-10}                # wrk duration per arm per round
TPUT_CONN=${TPUT_CONN:-64}
LAT_S=${LAT_S:-5}                   # c=1 latency duration per arm per round
QUIESCE_MAX_S=${QUIESCE_MAX_S:-20}  # before each c=1 and stream phase: wait up to this long for the arms' processes to go idle
QUIESCE_TICKS=${QUIESCE_TICKS:-3}   # idle: all arms together used at most this many CPU ticks in half a second
# Time to first token wants many streams, not long ones (the target is 0.25 ms; 12 streams a round
# spread wider than that): the probe's prompt makes the mock echo 11 words, 5 filler words more =
# 16 content deltas (≈ 0.2 s a stream), so 48 streams take what 12 of 64 deltas took. The gaps
# between events are still measured on every stream.
STREAMS_PER_ROUND=${STREAMS_PER_ROUND:-48}
CHUNK_DELAY=${CHUNK_DELAY:-10ms}
STREAM_FAULT=${STREAM_FAULT:-chunk_delay=${CHUNK_DELAY},words=5}
STREAM_MIN_EVENTS=18                # role + 16 deltas + [DONE] at least
# Concurrent streams: first byte after 60 ms, then an event every 250 ms (31 content deltas, ~8 s).
HOLD_FAULT=${HOLD_FAULT:-latency=60ms,chunk_delay=250ms,words=24}
HOLD_MIN_EVENTS=27
HOLD_LEVELS=${HOLD_LEVELS:-1000 2000 5000 8000 10000}
HOLD_RAMP_S=${HOLD_RAMP_S:-5}
HOLD_S=${HOLD_S:-12}
# HOLD_TLS=1: Sluice's arms reach the concurrent-streams upstream over HTTPS, as every hosted provider
# is reached: HTTP/2 by ALPN, up to 100 streams per connection (the mock's default
# SETTINGS_MAX_CONCURRENT_STREAMS), so a stream costs Sluice one descriptor instead of two (the nginx and
# Vert.x arms stay on plain HTTP/1.1). On by default since the sixth pass: it is the path to every hosted
# provider, and the only one on which this machine's 20,000-descriptor limit lets Sluice try 10,000
# streams. (It was off while Sluice's HTTP/2 path stalled: a paused stream froze its connection, fixed
# then; bench/results/streams-h2.md.) HOLD_TLS=0 gives the HTTP/1.1 figure of the runs before it.
HOLD_TLS=${HOLD_TLS:-1}
PROFILE=${PROFILE:-1}
JFR_WARM_S=${JFR_WARM_S:-40}          # load after the profiled JVMs' first JFR recording, before the profile
JMH=${JMH:-1}
BASE_REF=${BASE_REF:-}              # a commit: built once (bench/work/), run as arm sluice-base in every round
TRACED=${TRACED:-1}                 # arm sluice-traced: tracing on (sample 1.0, OTLP/HTTP to a local sink); tput + c=1 only
LEDGER=${LEDGER:-1}                 # run bench/ledger/run.sh (ledger CPU per row, SQLite and PostgreSQL) when present
README_TABLE=${README_TABLE:-1}     # rewrite README.md's performance table (only when writing to bench/results/)
PORTKEY_VERSION=1.15.2              # pinned; see bench/portkey/package.json for why node-server is pinned too
# Sluice's JVM in the bench = ./sluice's defaults: SerialGC with a heap that starts at 48 MB and grows
# with the live set (the JVM's 40-70% free-heap bounds: results/streams-gc.md), a 512 MB ceiling as room for 10,000 streams, a 64 MB code cache
# ceiling and 512 kB thread stacks (MALLOC_ARENA_MAX=2 keeps glibc from growing per-thread arenas), and
# freed native memory handed back to the OS every 5 s (-XX:TrimNativeHeapInterval, results/memory.md).
# Why: bench/results/memory.md (before: -Xmx256m ParallelGC, whose heap sat resident in full).
# The plain Vert.x arm and sluice-base get the same flags.
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=5000}  # = ./sluice's defaults (bench/results/memory.md), less its -XX:+IgnoreUnrecognizedVMOptions: a JDK without the trimmer should fail here, not measure without it
# sluice-base runs with these (default: the same as Sluice); set them to the base commit's own defaults to
# measure that release as it shipped, flags included.
BASE_JAVA_OPTS=${BASE_JAVA_OPTS:-$SLUICE_JAVA_OPTS}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
MOCK_JAVA_OPTS=${MOCK_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC}

UP_PORT=4310; MOCK_PORT=4311; MOCK_TLS_PORT=4312; NGINX_PORT=4320; PORTKEY_PORT=4330; SLUICE_PORT=4340; VERTX_PORT=4350
BASE_PORT=4341; TRACED_PORT=4342; SINK_PORT=4349
SLUICE_KEY=sk-sluice-bench-0001
# ARMS run every phase; LOAD_ARMS (ARMS + sluice-traced) run the throughput and c=1 latency phases.
ARMS=(direct nginx vertx portkey sluice)
[ -n "$BASE_REF" ] && ARMS+=(sluice-base)
LOAD_ARMS=("${ARMS[@]}")
[ "$TRACED" = 1 ] && LOAD_ARMS+=(sluice-traced)
raw="$work/raw.jsonl"
log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- install what is missing ---------------------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null || need_pkgs+=(nginx)
command -v wrk >/dev/null || need_pkgs+=(wrk)
command -v node >/dev/null || need_pkgs+=(nodejs)
command -v npm >/dev/null || need_pkgs+=(npm)
command -v java >/dev/null || need_pkgs+=(openjdk-17-jdk-headless)
[ "$HOLD_TLS" = 1 ] && { command -v openssl >/dev/null || need_pkgs+=(openssl); }
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "${SKIP_INSTALL:-0}" = 1 ] && { echo "missing: ${need_pkgs[*]}" >&2; exit 1; }
  log "installing ${need_pkgs[*]} (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" >/dev/null
fi
pk_dir="$work/portkey"
pk_pkg="$pk_dir/node_modules/@portkey-ai/gateway/package.json"
if [ ! -f "$pk_pkg" ] || ! grep -q "\"version\": \"$PORTKEY_VERSION\"" "$pk_pkg" \
   || ! cmp -s "$here/portkey/package.json" "$pk_dir/package.json"; then
  log "installing @portkey-ai/gateway@$PORTKEY_VERSION (npm, into bench/work/portkey)"
  rm -rf "$pk_dir" && mkdir -p "$pk_dir"
  cp "$here/portkey/package.json" "$pk_dir/package.json"
  (cd "$pk_dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# ---- build Sluice and the clients -----------------------------------------------------------------
jar="$root/gateway/target/sluice.jar"
if [ "${FORCE_BUILD:-0}" = 1 ] || [ ! -f "$jar" ] \
   || [ -n "$(find "$root/gateway/src/main" "$root/gateway/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
  log "building Sluice (./mvnw -B -q -DskipTests package)"
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi
# The base arm: BASE_REF built once in a git worktree under bench/work/ (removed again), its jar kept by commit.
base_jar=""; base_commit=""
if [ -n "$BASE_REF" ]; then
  base_commit=$(git -C "$root" rev-parse --short "$BASE_REF^{commit}")
  base_jar="$work/sluice-base-$base_commit.jar"
  if [ ! -f "$base_jar" ]; then
    src="$work/base-src"
    git -C "$root" worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
    git -C "$root" worktree prune
    log "building sluice-base at $base_commit (git worktree in bench/work/base-src)"
    git -C "$root" worktree add -q --detach "$src" "$base_commit"
    (cd "$src" && { ./mvnw -B -q -o -pl gateway -am -DskipTests package || ./mvnw -B -q -pl gateway -am -DskipTests package; })
    cp "$(ls "$src/gateway/target/sluice.jar" "$src/target/sluice.jar" 2>/dev/null | head -1)" "$base_jar"
    git -C "$root" worktree remove --force "$src"
  fi
fi
classes="$work/classes"
rm -rf "$classes" && mkdir -p "$classes"
javac -nowarn -cp "$jar" -d "$classes" "$here"/clients/*.java

# ---- limits, configs ------------------------------------------------------------------------------
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
log "ulimit -n $(ulimit -n)"
# A gateway holds two descriptors per stream (client + upstream): warn when the top level cannot fit.
top_level=$(tr ' ' '\n' <<<"$HOLD_LEVELS" | sort -n | tail -1)
if [ "$(ulimit -n)" -lt $(( 2 * top_level + 512 )) ]; then
  log "WARNING: ulimit -n $(ulimit -n) < 2 x $top_level streams + 512: gateways with one upstream connection per stream cannot hold the top level here$([ "$HOLD_TLS" = 1 ] && echo ' (Sluice over HTTP/2 needs one descriptor per stream)')"
fi
render() {
  sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" \
      -e "s#@NGINX_PORT@#$NGINX_PORT#g" -e "s#@SLUICE_PORT@#$SLUICE_PORT#g" \
      -e "s#@UP_WORKERS@#${UP_WORKERS:-1}#g" -e "s#@PROXY_WORKERS@#${PROXY_WORKERS:-2}#g" \
      -e "s#@STREAM_FAULT@#$STREAM_FAULT#g" -e "s#@HOLD_FAULT@#$HOLD_FAULT#g" -e "s#@HOLD_BASE@#$hold_base#g" "$1" > "$2"
}
# The HTTPS mock's certificate (made for this run) and a trust store holding it, which the Sluice arms
# get as the JVM's (bench/mock-tls.sh).
sluice_trust=""; hold_base="http://127.0.0.1:$MOCK_PORT"
if [ "$HOLD_TLS" = 1 ]; then
  . "$here/mock-tls.sh"
  sluice_trust=$(mock_tls_files "$work")
  hold_base="https://127.0.0.1:$MOCK_TLS_PORT"
fi
mkdir -p "$work/nginx-upstream" "$work/nginx-proxy"
render "$here/conf/nginx-upstream.conf" "$work/nginx-upstream.conf"
render "$here/conf/nginx-proxy.conf" "$work/nginx-proxy.conf"
render "$here/conf/sluice-bench.yaml" "$work/sluice.yaml"
# sluice-base and sluice-traced: the same config on their own port and ledger file; traced adds tracing.
derive() { # arm port
  local y; y=$(sed -e "s#port: $SLUICE_PORT\([^0-9]\)#port: $2\1#" -e "s#sluice-ledger.db#$1-ledger.db#" "$work/sluice.yaml")
  grep -q "port: $2[^0-9]" <<<"$y" && grep -q "$1-ledger.db" <<<"$y" \
    || { echo "cannot derive $1's config from conf/sluice-bench.yaml (server port / ledger file not found)" >&2; exit 1; }
  printf '%s\n' "$y"; }
derive sluice-base $BASE_PORT >"$work/sluice-base.yaml"
if grep -q '^observability:' "$work/sluice.yaml"; then echo "conf/sluice-bench.yaml sets observability: the traced arm cannot add it" >&2; exit 1; fi
{ derive sluice-traced $TRACED_PORT
  echo "observability: { otlp: { endpoint: \"http://127.0.0.1:$SINK_PORT\" }, sample_ratio: 1.0, service_name: sluice-bench }"
} >"$work/sluice-traced.yaml"
rm -rf "$work"/sluice*-ledger.db* "$work"/gc-*.log   # a fresh ledger each run (Sluice keeps a .journal directory next to it)
java -jar "$jar" config check "$work/sluice.yaml" >&2
[ "$TRACED" = 1 ] && java -jar "$jar" config check "$work/sluice-traced.yaml" >&2
[ -n "$BASE_REF" ] && java -jar "$base_jar" config check "$work/sluice-base.yaml" >&2

# ---- start everything -----------------------------------------------------------------------------
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
children() { ps -o pid= --ppid "$1" | tr -d ' ' | paste -sd, -; }
wait_http() { # url [extra curl args...]
  local url=$1; shift
  for _ in $(seq 1 150); do
    curl -s -o /dev/null -m 2 "$@" "$url" && return 0
    sleep 0.2
  done
  echo "not ready: $url" >&2; exit 1
}

# Every JVM arm logs its GC to bench/work/gc-<arm>.log (epoch-ms stamps: Report cuts it into phase windows).
gc_log() { echo "-Xlog:gc*:file=$work/gc-$1.log:timemillis,level,tags:filecount=0"; }
log "starting upstreams, nginx, plain Vert.x proxy, Portkey, Sluice${BASE_REF:+, sluice-base}$([ "$TRACED" = 1 ] && echo ', sluice-traced')"
nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' &
pids+=($!); up_pid=$!
java $MOCK_JAVA_OPTS -jar "$jar" mock-upstream --host 127.0.0.1 --port $MOCK_PORT >"$work/mock.log" 2>&1 &
pids+=($!); mock_pid=$!
mock_tls_pid=""
if [ "$HOLD_TLS" = 1 ]; then
  # One event loop per core, so that the mock's TLS is not the suspect when streams slow down (it was
  # not what slowed them in the runs of 2026-12-05: results/streams-h2.md).
  java $MOCK_JAVA_OPTS -jar "$jar" mock-upstream --host 127.0.0.1 --port $MOCK_TLS_PORT --event-loops "$(nproc)" \
    --tls-cert "$work/mock-tls-cert.pem" --tls-key "$work/mock-tls-key.pem" >"$work/mock-tls.log" 2>&1 &
  pids+=($!); mock_tls_pid=$!
fi
nginx -c "$work/nginx-proxy.conf" -e "$work/nginx-proxy/error.log" -g 'daemon off;' &
pids+=($!); nginx_pid=$!
# The stack's floor: plain Vert.x reverse proxy, same JVM and flags as Sluice; /fault/... to the mock, as nginx.
java $SLUICE_JAVA_OPTS $(gc_log vertx) -cp "$jar:$classes" PlainVertxProxy $VERTX_PORT 127.0.0.1 $UP_PORT $MOCK_PORT >"$work/vertx.log" 2>&1 &
pids+=($!); vertx_pid=$!
(cd "$pk_dir" && NODE_ENV=production exec node node_modules/@portkey-ai/gateway/build/start-server.js \
  --port=$PORTKEY_PORT --headless >"$work/portkey.log" 2>&1) &
pids+=($!); portkey_pid=$!
java $SLUICE_JAVA_OPTS $sluice_trust $(gc_log sluice) -jar "$jar" serve -c "$work/sluice.yaml" >"$work/sluice.log" 2>&1 &
pids+=($!); sluice_pid=$!
base_pid=""; traced_pid=""
if [ -n "$BASE_REF" ]; then
  java $BASE_JAVA_OPTS $sluice_trust $(gc_log sluice-base) -jar "$base_jar" serve -c "$work/sluice-base.yaml" >"$work/sluice-base.log" 2>&1 &
  pids+=($!); base_pid=$!
fi
if [ "$TRACED" = 1 ]; then
  java -Xmx128m -cp "$classes" OtlpSink $SINK_PORT >"$work/otlp-sink.log" 2>&1 &
  pids+=($!)
  java $SLUICE_JAVA_OPTS $sluice_trust $(gc_log sluice-traced) -jar "$jar" serve -c "$work/sluice-traced.yaml" >"$work/sluice-traced.log" 2>&1 &
  pids+=($!); traced_pid=$!
fi
wait_http "http://127.0.0.1:$UP_PORT/"
wait_http "http://127.0.0.1:$MOCK_PORT/v1/models"
[ "$HOLD_TLS" = 1 ] && wait_http "https://127.0.0.1:$MOCK_TLS_PORT/v1/models" --cacert "$work/mock-tls-cert.pem"
wait_http "http://127.0.0.1:$NGINX_PORT/"
wait_http "http://127.0.0.1:$VERTX_PORT/"
wait_http "http://127.0.0.1:$PORTKEY_PORT/"
wait_http "http://127.0.0.1:$SLUICE_PORT/health/ready"
[ -n "$BASE_REF" ] && wait_http "http://127.0.0.1:$BASE_PORT/health/ready"
[ "$TRACED" = 1 ] && wait_http "http://127.0.0.1:$TRACED_PORT/health/ready"

# Per arm: path, model, headers (wrk / probes), processes whose memory is the gateway's.
port_of() { case $1 in sluice) echo $SLUICE_PORT;; sluice-base) echo $BASE_PORT;; sluice-traced) echo $TRACED_PORT;; esac; }
# kind: canned | stream | hold
path_of() { # arm kind
  local fault=""; [ "$2" = stream ] && fault=$STREAM_FAULT; [ "$2" = hold ] && fault=$HOLD_FAULT
  case $1 in
    direct) [ "$2" = canned ] && echo "http://127.0.0.1:$UP_PORT/v1/chat/completions" \
              || echo "http://127.0.0.1:$MOCK_PORT/fault/$fault/v1/chat/completions";;
    nginx)  [ "$2" = canned ] && echo "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" \
              || echo "http://127.0.0.1:$NGINX_PORT/fault/$fault/v1/chat/completions";;
    vertx)  [ "$2" = canned ] && echo "http://127.0.0.1:$VERTX_PORT/v1/chat/completions" \
              || echo "http://127.0.0.1:$VERTX_PORT/fault/$fault/v1/chat/completions";;
    portkey) echo "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions";;
    sluice*) echo "http://127.0.0.1:$(port_of $1)/v1/chat/completions";;
  esac
}
model_of() { [[ $1 == sluice* ]] && echo "bench-$2" || echo "gpt-4o-mini"; }
headers_of() { # arm kind
  local fault=""; [ "$2" = stream ] && fault=$STREAM_FAULT; [ "$2" = hold ] && fault=$HOLD_FAULT
  case $1 in
    portkey) if [ "$2" = canned ]; then host="http://127.0.0.1:$UP_PORT/v1"; else host="http://127.0.0.1:$MOCK_PORT/fault/$fault/v1"; fi
             echo "x-portkey-provider: openai|x-portkey-custom-host: $host|authorization: Bearer sk-upstream-dummy";;
    sluice*) echo "authorization: Bearer $SLUICE_KEY";;
    *) echo "";;
  esac
}
pids_of() { # arm [kind]: the processes whose CPU and memory are the arm's ("direct": the upstream's)
  case $1 in
    direct) if [ "${2:-canned}" = canned ]; then echo "$up_pid,$(children $up_pid)"; else echo "$mock_pid"; fi;;
    nginx) echo "$nginx_pid,$(children $nginx_pid)";; vertx) echo "$vertx_pid";; portkey) echo "$portkey_pid";;
    sluice) echo "$sluice_pid";; sluice-base) echo "$base_pid";; sluice-traced) echo "$traced_pid";;
  esac; }
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { local s=0 t; for p in ${1//,/ }; do
  t=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | awk '{print $12 + $13}'); s=$((s + ${t:-0})); done; echo $s; }
rss_mb() { local s=0; for p in ${1//,/ }; do
  v=$(awk '/^VmRSS:/{print $2}' /proc/$p/status 2>/dev/null || echo 0); s=$((s + ${v:-0})); done
  awk -v s="$s" 'BEGIN{printf "%.1f", s/1024}'; }

# Sanity: every arm answers both kinds before anything is measured.
for arm in "${LOAD_ARMS[@]}"; do
  for kind in canned stream; do
    body="{\"model\":\"$(model_of $arm $kind)\",\"stream\":$([ $kind = stream ] && echo true || echo false),\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
    hdr=(); IFS='|' read -ra hs <<<"$(headers_of $arm $kind)"; for h in "${hs[@]}"; do [ -n "$h" ] && hdr+=(-H "$h"); done
    out=$(curl -s -m 20 "${hdr[@]}" -H 'content-type: application/json' -d "$body" "$(path_of $arm $kind)")
    case $kind in canned) grep -q '"chat.completion"' <<<"$out";; stream) grep -q '\[DONE\]' <<<"$out";; esac \
      || { echo "arm $arm ($kind) does not answer correctly: ${out:0:300}" >&2; exit 1; }
  done
done
log "all arms answer"

: >"$raw"
emit() { echo "$1" >>"$raw"; }

run_wrk() { # arm threads conns seconds
  local arm=$1
  BENCH_MODEL=$(model_of $arm canned) BENCH_HEADERS=$(headers_of $arm canned) \
    timeout $(( $4 + 30 )) wrk -t"$2" -c"$3" -d"$4"s --timeout 10s -s "$here/wrk/chat.lua" "$(path_of $arm canned)" \
    | sed -n 's/^WRKJSON //p'
}
run_probe() { # arm count
  timeout 300 java -cp "$classes" StreamProbe "$(path_of $1 stream)" "$(model_of $1 stream)" "$2" "$(headers_of $1 stream)"
}
rotate() { # round arm... -> the arms in a rotated order, so no arm always goes first
  local r=$1; shift; local a=("$@") n=$# i; for ((i = 0; i < n; i++)); do echo "${a[$(( (i + r) % n ))]}"; done
}
now_ms() { date +%s%3N; }
window() { # what arm round start_ms: the wall-clock window of a phase, for cutting the GC logs
  emit "{\"phase\":\"window\",\"what\":\"$1\",\"arm\":\"$2\",\"round\":$3,\"start_ms\":$4,\"end_ms\":$(now_ms)}"; }
# Before a phase that measures one request at a time: wait until no arm's processes are working. Every
# arm's c=64 phase runs before every arm's c=1 phase, and a JVM arm can still be writing its ledger
# backlog or compiling when the next arm's c=1 phase starts: measured then, that arm's latency would
# carry another arm's work. Logged (how long it waited, who was busy in the first half second).
quiesce() { # what round arm
  local start a d total busy first="" ; start=$(now_ms)
  local -A c0=()
  while :; do
    for a in "${LOAD_ARMS[@]}"; do c0[$a]=$(cpu_ticks "$(pids_of $a)"); done
    sleep 0.5
    total=0; busy=""
    for a in "${LOAD_ARMS[@]}"; do d=$(( $(cpu_ticks "$(pids_of $a)") - ${c0[$a]} )); total=$((total + d)); busy="$busy\"$a\":$d,"; done
    [ -n "$first" ] || first="{${busy%,}}"
    (( total <= QUIESCE_TICKS )) && break
    (( $(now_ms) - start >= QUIESCE_MAX_S * 1000 )) && break
  done
  emit "{\"phase\":\"quiesce\",\"before\":\"$1\",\"round\":$2,\"arm\":\"$3\",\"waited_ms\":$(( $(now_ms) - start )),\"first_ticks\":$first,\"last_total_ticks\":$total}"
}

# ---- meta -------------------------------------------------------------------------------------------
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus=$(nproc)"
  echo "cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem_total_mb=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 ))"
  echo "kernel=$(uname -r)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "nginx=$(nginx -v 2>&1 | sed 's/.*\///')"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "node=$(node --version)"
  echo "portkey=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$pk_pkg" | head -1)"
  echo "hono_node_server=$(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$pk_dir/node_modules/@hono/node-server/package.json" | head -1)"
  echo "sluice_commit=$(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- gateway pom.xml || echo -dirty)"
  echo "sluice_java_opts=$SLUICE_JAVA_OPTS"
  echo "mock_java_opts=$MOCK_JAVA_OPTS"
  echo "nginx_proxy_workers=${PROXY_WORKERS:-2}"
  echo "nginx_upstream_workers=${UP_WORKERS:-1}"
  echo "sluice_event_loops=$(nproc)"
  echo "vertx_event_loops=$(nproc)"
  echo "vertx=$(unzip -p "$jar" META-INF/maven/io.vertx/vertx-core/pom.properties 2>/dev/null | sed -n 's/^version=//p')"
  echo "rounds=$ROUNDS"; echo "warmup_s=$WARMUP_S"; echo "tput_s=$TPUT_S"; echo "tput_conn=$TPUT_CONN"
  echo "lat_s=$LAT_S"; echo "streams_per_round=$STREAMS_PER_ROUND"; echo "stream_fault=$STREAM_FAULT"
  echo "hold_fault=$HOLD_FAULT"; echo "hold_levels=$HOLD_LEVELS"; echo "hold_ramp_s=$HOLD_RAMP_S"; echo "hold_s=$HOLD_S"
  echo "hold_upstream_sluice=$([ "$HOLD_TLS" = 1 ] && echo 'https (HTTP/2 by ALPN)' || echo 'http (HTTP/1.1)')"
  echo "ulimit_n=$(ulimit -n)"
  echo "arms=${LOAD_ARMS[*]}"
  [ -n "$BASE_REF" ] && { echo "base_ref=$BASE_REF"; echo "base_commit=$base_commit"; echo "base_java_opts=$BASE_JAVA_OPTS"; }
  echo "traced=$TRACED"
  echo "gc_log=-Xlog:gc*:file=bench/work/gc-<arm>.log:timemillis,level,tags:filecount=0"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/meta.env"
t_start=$(date +%s); ticks_start=$(host_ticks)

# ---- warm-up ----------------------------------------------------------------------------------------
for arm in "${LOAD_ARMS[@]}"; do
  log "warm-up $arm (${WARMUP_S}s + streams)"
  run_wrk $arm 2 $TPUT_CONN $WARMUP_S >/dev/null
  if [ $arm = sluice-traced ]; then   # throughput and c=1 only
    emit "{\"phase\":\"rss_idle\",\"arm\":\"$arm\",\"rss_mb\":$(rss_mb "$(pids_of $arm)")}"; continue
  fi
  run_probe $arm 4 >/dev/null
  # The streaming path too: a JIT-compiled relay is what runs in production; without this the
  # first rounds' streams measure the JVM arms' interpreter, not their relay. A stream's start
  # (commit, head, first write) runs once per stream, not once per event: it takes thousands of
  # streams (here ≈ 3,000 short ones) to leave C1 (bench/results/ttft.md).
  timeout 60 java -Xmx1g -cp "$jar:$classes" StreamLoad "$(path_of $arm stream)" "$(model_of $arm stream)" 100 1 $(( WARMUP_S < 6 ? WARMUP_S : 6 )) \
    1 "$(headers_of $arm stream)" 0 >/dev/null 2>>"$work/streamload.err" || true
  # And the concurrent-streams upstream: its connections (TLS handshakes with HOLD_TLS) and their code
  # are then warm before the first level, as for every other path.
  timeout 60 java -Xmx1g -cp "$jar:$classes" StreamLoad "$(path_of $arm hold)" "$(model_of $arm hold)" 100 1 2 \
    "$HOLD_MIN_EVENTS" "$(headers_of $arm hold)" 0 >/dev/null 2>>"$work/streamload.err" || true
  emit "{\"phase\":\"rss_idle\",\"arm\":\"$arm\",\"rss_mb\":$(rss_mb "$(pids_of $arm hold)")}"
done

# ---- rounds: throughput, c=1 latency, streaming (arms interleaved, order rotated) ----------------------
for ((r = 1; r <= ROUNDS; r++)); do
  for arm in $(rotate $r "${LOAD_ARMS[@]}"); do
    log "round $r/$ROUNDS throughput $arm (c=$TPUT_CONN, ${TPUT_S}s)"
    c0=$(cpu_ticks "$(pids_of $arm)"); t0=$(now_ms)
    j=$(run_wrk $arm 2 $TPUT_CONN $TPUT_S)
    c1=$(cpu_ticks "$(pids_of $arm)"); window throughput $arm $r $t0
    n=$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$j")
    cpu=$(awk -v d=$((c1 - c0)) -v n="${n:-0}" -v hz="$clk_tck" 'BEGIN{ if (n > 0) printf "%.1f", d * 1e6 / hz / n; else print "null" }')
    emit "{\"phase\":\"throughput\",\"arm\":\"$arm\",\"round\":$r,\"rss_mb\":$(rss_mb "$(pids_of $arm)"),\"cpu_us_per_req\":$cpu,\"wrk\":$j}"
  done
  for arm in $(rotate $r "${LOAD_ARMS[@]}"); do
    log "round $r/$ROUNDS latency c=1 $arm (${LAT_S}s)"
    quiesce latency $r $arm
    t0=$(now_ms); j=$(run_wrk $arm 1 1 $LAT_S); window latency $arm $r $t0
    emit "{\"phase\":\"latency\",\"arm\":\"$arm\",\"round\":$r,\"wrk\":$j}"
  done
  for arm in $(rotate $r "${ARMS[@]}"); do
    log "round $r/$ROUNDS streams $arm ($STREAMS_PER_ROUND streams, $STREAM_FAULT)"
    quiesce stream $r $arm
    j=$(run_probe $arm $STREAMS_PER_ROUND)
    emit "{\"phase\":\"stream\",\"arm\":\"$arm\",\"round\":$r,\"probe\":$j}"
  done
done

# ---- concurrent streams: ramp levels until an arm drops below 99.9% ----------------------------------
declare -A failed_at=()
for level in $HOLD_LEVELS; do
  for arm in "${ARMS[@]}"; do
    [ -n "${failed_at[$arm]:-}" ] && continue
    log "concurrent streams $arm: $level (ramp ${HOLD_RAMP_S}s, hold ${HOLD_S}s, $HOLD_FAULT)"
    j=$(timeout $(( HOLD_RAMP_S + HOLD_S + 90 )) java -Xmx1g -cp "$jar:$classes" StreamLoad "$(path_of $arm hold)" \
        "$(model_of $arm hold)" "$level" "$HOLD_RAMP_S" "$HOLD_S" "$HOLD_MIN_EVENTS" "$(headers_of $arm hold)" \
        "$(pids_of $arm hold)" 2>>"$work/streamload.err" || echo '{"users":'"$level"',"streams":0,"ok":0,"success":0,"failures":{"client_crashed":1},"open_min":0,"open_mean":0,"rss_max_mb":0,"rss_mean_mb":0,"drained":false,"seconds":0}')
    emit "{\"phase\":\"concurrency\",\"arm\":\"$arm\",\"level\":$level,\"load\":$j}"
    ok=$(sed -n 's/.*"success":\([0-9.]*\).*/\1/p' <<<"$j")
    if awk -v s="${ok:-0}" 'BEGIN{exit !(s < 0.999)}'; then failed_at[$arm]=$level; log "  $arm below 99.9% at $level: $j"; fi
    sleep 3   # let the closed connections go
  done
done

# ---- profile Sluice with JFR under the throughput and the streams load --------------------------------
# On JDK 17 the first JFR recording a running JVM starts redefines JDK classes (Throwable, Error, the I/O ones), and
# HotSpot then throws all compiled code away: on a warm gateway at c=64 the next 5 s served 12-15 % of the
# requests/s and it took 30-35 s to recover (bench/results/hotspots.md, twenty-third pass; not on JDK 25).
# Profiles taken in that window described the recompilation. So the profiled JVMs start and stop one
# empty recording first, then get JFR_WARM_S of load to compile again, and each profile says what it
# served against the throughput phase.
jfr_init() { # pid label
  jcmd "$1" JFR.start name=init settings="$here/throughput/alloc.jfc" filename="$work/jfr-init-$2.jfr" >/dev/null
  jcmd "$1" JFR.stop name=init >/dev/null; rm -f "$work/jfr-init-$2.jfr"
  run_wrk "$2" 2 $TPUT_CONN "$JFR_WARM_S" >/dev/null
}
profiled_rps() { # wrk json of the profiled window, arm -> a line for the profile's report
  local rps tput
  rps=$(sed -n 's/.*"rps":\([0-9.]*\).*/\1/p' <<<"$1")
  tput=$(grep "\"phase\":\"throughput\",\"arm\":\"$2\"" "$raw" | sed -n 's/.*"rps":\([0-9.]*\).*/\1/p' | sort -n | awk '{v[NR]=$1} END{if (NR) print v[int((NR+1)/2)]}')
  echo "served while recorded: ${rps:-?} requests/s (median of the throughput phase's rounds: ${tput:-?})"
}
if [ "$PROFILE" = 1 ]; then
  log "JFR initialised in the profiled JVMs, then ${JFR_WARM_S}s of load each to compile again"
  jfr_init $sluice_pid sluice
  [ -n "$BASE_REF" ] && jfr_init $base_pid sluice-base
  for what in throughput streams; do
    jfr="$work/sluice-$what.jfr"; rm -f "$jfr"
    log "JFR profile of Sluice under $what load"
    jcmd $sluice_pid JFR.start name=bench-$what settings=profile filename="$jfr" >/dev/null
    if [ $what = throughput ]; then
      j=$(run_wrk sluice 2 $TPUT_CONN 15); units=$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$j"); unit=request
    else
      # 5,000 streams; half-way through the hold: memory breakdown of the gateway process.
      java -Xmx1g -cp "$jar:$classes" StreamLoad "$(path_of sluice hold)" "$(model_of sluice hold)" 5000 "$HOLD_RAMP_S" 12 \
        "$HOLD_MIN_EVENTS" "$(headers_of sluice hold)" "$sluice_pid" >"$work/profile-streams.json" 2>>"$work/streamload.err" &
      load=$!
      sleep $(( HOLD_RAMP_S + 6 ))
      {
        echo "Sluice memory at ~5,000 open streams (JVM flags: $SLUICE_JAVA_OPTS)"; echo
        grep -E 'VmRSS|RssAnon|RssFile|RssShmem|Threads' /proc/$sluice_pid/status; echo
        jcmd $sluice_pid GC.heap_info | tail -n +2; echo
        echo "largest mappings (pmap -x: address, kB mapped, kB resident, kB dirty):"
        pmap -x $sluice_pid | sort -k3 -n -r | sed -n '2,13p'; echo
        echo "heap histogram, live objects (jcmd GC.class_histogram; forces a full GC):"
        jcmd $sluice_pid GC.class_histogram | sed -n '2,40p'
      } >"$results/sluice-memory-5000-streams.txt" 2>&1
      wait $load || true
      units=$(sed -n 's/.*"streams":\([0-9]*\).*/\1/p' "$work/profile-streams.json"); unit=stream
    fi
    jcmd $sluice_pid JFR.stop name=bench-$what >/dev/null
    java -cp "$classes" JfrTop "$jfr" "$what" "${units:-0}" "$unit" >"$results/profile-$what.txt"
    [ $what = throughput ] && profiled_rps "$j" sluice >>"$results/profile-$what.txt"
  done
  if [ -n "$BASE_REF" ]; then   # the A/B of the CPU profile: the base build under the same throughput load
    jfr="$work/sluice-base-throughput.jfr"; rm -f "$jfr"
    log "JFR profile of sluice-base under throughput load"
    jcmd $base_pid JFR.start name=bench-base settings=profile filename="$jfr" >/dev/null
    j=$(run_wrk sluice-base 2 $TPUT_CONN 15); units=$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$j")
    jcmd $base_pid JFR.stop name=bench-base >/dev/null
    java -cp "$classes" JfrTop "$jfr" throughput "${units:-0}" request >"$results/profile-throughput-sluice-base.txt"
    profiled_rps "$j" sluice-base >>"$results/profile-throughput-sluice-base.txt"
  fi
fi
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/meta.env"
echo "load_seconds=$(( $(date +%s) - t_start ))" >>"$work/meta.env"
echo "steal_percent=$(steal_percent "$ticks_start" "$(host_ticks)")" >>"$work/meta.env"
cleanup; pids=()

# ---- ledger CPU per row (bench/ledger/run.sh, its own processes; writes ledger-cost.json) ---------------
if [ "$LEDGER" = 1 ] && [ -f "$here/ledger/run.sh" ]; then
  log "ledger cost: bench/ledger/run.sh (log: bench/work/ledger.log)"
  # With BASE_REF the ledger bench gets the base jar too (its own A/B: BASE_JAR).
  if RESULTS_DIR="$results" BASE_JAR="$base_jar" bash "$here/ledger/run.sh" >"$work/ledger.log" 2>&1; then
    # A ledger script that ignores RESULTS_DIR writes to bench/results/: bring a fresh file along.
    if [ "$results" != "$here/results" ] && [ "$here/results/ledger-cost.json" -nt "$work/meta.env" ] \
       && ! [ "$results/ledger-cost.json" -nt "$work/meta.env" ]; then
      cp "$here/results/ledger-cost.json" "$results/ledger-cost.json"
    fi
  else
    log "WARNING: bench/ledger/run.sh failed (bench/work/ledger.log); the report says the ledger was not measured"
    rm -f "$results/ledger-cost.json"
  fi
fi

# ---- JMH ------------------------------------------------------------------------------------------
if [ "$JMH" = 1 ]; then
  log "JMH: building bench/jmh"
  (cd "$root" && ./mvnw -B -q -f bench/jmh/pom.xml -DskipTests package)
  log "JMH: 1 fork, 3x1s warm-up, 3x2s measurement, -prof gc"
  java -cp "$here/jmh/target/benchmarks.jar:$jar" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 3 -r 2s -prof gc \
    -rf json -rff "$results/jmh.json" 'dev.sluice.bench.*' >"$work/jmh.log" 2>&1
fi

# ---- report -----------------------------------------------------------------------------------------
log "report"
java -cp "$jar:$classes" Report "$raw" "$work/meta.env" "$results" "$work"
if [ "$README_TABLE" = 1 ] && [ "$results" = "$here/results" ]; then
  java -cp "$jar:$classes" ReadmeTable "$results/latest.json" "$root/README.md"
  log "README.md: performance table rewritten from bench/results/latest.json"
fi
log "done: $results/latest.md"
