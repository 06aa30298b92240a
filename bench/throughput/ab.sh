#!/usr/bin/env bash
# Same-run A/B of Sluice builds on the non-streamed path at c=64 (issue 19, throughput slice).
#
#   bench/throughput/ab.sh label=path/to/sluice.jar label=path/to/sluice.jar ...
#
# One nginx canned upstream (bench/conf/nginx-upstream.conf) and one Sluice process per jar, all
# running at once on bench/conf/sluice-bench.yaml (full pipeline: key auth, limits on key/team/model,
# hard budget, SQLite ledger, request log, metrics), each with its own ledger file. Per round, in a
# rotated order, each arm gets wrk -t2 -c64 for TPUT_S seconds (bench/wrk/chat.lua); around it we
# read the process's CPU (all threads, and the event loops alone, from /proc/<pid>/task/*/stat) and
# its allocation (JFR jdk.ThreadAllocationStatistics at the start and end of a recording that
# enables nothing else), and the share of the machine's CPU other guests took meanwhile (steal_percent:
# bench/cpu-steal.sh). One JSON line per arm and round goes to $OUT (raw.jsonl); summary.py
# prints the medians of per-round ratios against the first arm.
# Knobs: ROUNDS (6), WARMUP_S (20), TPUT_S (10), TPUT_CONN (64), SLUICE_JAVA_OPTS;
# WRK_SCRIPT (bench/wrk/chat.lua; chat-conversation.lua sends a ~4 kB conversation) and MODEL
# (bench-canned: the canned model entry is given this name, e.g. gpt-4o-mini, whose prompts are
# counted with o200k_base where other names are estimated by characters).
# CONF_<label> (bench/conf/sluice-bench.yaml): that arm's config template, with the same @VAR@s; an
# arm may then be the same jar with a feature taken out (bench/throughput/ablation.sh).
# JAVA_<label> (java on PATH) and OPTS_<label> (SLUICE_JAVA_OPTS): that arm's java binary and JVM
# flags, e.g. the same jar on two JDKs (bench/results/throughput.md, twenty-second pass).
# BG_SCRIPT (none): a second wrk with this script runs against the same arm through each measured
# window and its warm-up, BG_CONN connections (2), one thread; its JSON goes into the line as "bg".
# With bench/wrk/fresh-prompt.lua, TPUT_CONN=1 and FRESH_DELAY_MS (e.g. 20), the measured wrk's
# latency is what small requests see next to long fresh prompts (CPU and allocation per request then
# include the background's requests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
. "$bench/cpu-steal.sh"
work=${WORK:-/tmp/throughput-ab}
ROUNDS=${ROUNDS:-6}; WARMUP_S=${WARMUP_S:-20}; TPUT_S=${TPUT_S:-10}; TPUT_CONN=${TPUT_CONN:-64}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -XX:ReservedCodeCacheSize=64m -Xss512k}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
UP_PORT=${UP_PORT:-4810}; BASE_PORT=${BASE_PORT:-4820}
OUT=${OUT:-$work/raw.jsonl}
WRK_SCRIPT=${WRK_SCRIPT:-$bench/wrk/chat.lua}; MODEL=${MODEL:-bench-canned}
BG_SCRIPT=${BG_SCRIPT:-}; BG_CONN=${BG_CONN:-2}
rm -rf "$work"; mkdir -p "$work/nginx-upstream" "$work/cls"
javac -nowarn -d "$work/cls" "$here/AllocSum.java"
ulimit -n 65536 2>/dev/null || true

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for p in $UP_PORT $(seq $BASE_PORT $((BASE_PORT + $# - 1))); do # the machine is shared: never measure someone else's server
  ss -ltn | grep -q "127.0.0.1:$p " && { echo "port $p is taken; set UP_PORT/BASE_PORT" >&2; exit 1; }
done
sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@UP_WORKERS@#1#g" "$bench/conf/nginx-upstream.conf" >"$work/nginx-upstream.conf"
nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' & pids+=($!)

conf_of() { local v="CONF_${1//[^A-Za-z0-9_]/_}"; echo "${!v:-$bench/conf/sluice-bench.yaml}"; }
java_of() { local v="JAVA_${1//[^A-Za-z0-9_]/_}"; echo "${!v:-java}"; }
opts_of() { local v="OPTS_${1//[^A-Za-z0-9_]/_}"; echo "${!v:-$SLUICE_JAVA_OPTS}"; }
# label tool -> that arm's JDK's jcmd or java (JFR files are read by the JDK that wrote them), else PATH's.
jdk_tool() {
  local t; t="$(dirname "$(readlink -f "$(command -v "$(java_of "$1")")")")/$2"
  if [ -x "$t" ]; then echo "$t"; else command -v "$2"; fi
}
labels=(); ports=(); spids=()
i=0
for spec in "$@"; do
  label=${spec%%=*}; jar=${spec#*=}; port=$((BASE_PORT + i)); d="$work/$label"; mkdir -p "$d"
  sed -e "s#@WORK@#$d#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$((UP_PORT + 1))#g" -e "s#@SLUICE_PORT@#$port#g" \
      -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#latency=60ms#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$((UP_PORT + 1))#g" -e "s#name: bench-canned\$#name: $MODEL#" \
      "$(conf_of "$label")" >"$d/sluice.yaml"
  # shellcheck disable=SC2046 # the flags are words
  "$(java_of "$label")" $(opts_of "$label") -jar "$jar" serve -c "$d/sluice.yaml" >"$d/sluice.log" 2>&1 & pids+=($!)
  labels+=("$label"); ports+=("$port"); spids+=($!); i=$((i + 1))
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/health/ready" && break; sleep 0.2; done
  out=$(curl -s -m 10 -H 'authorization: Bearer sk-sluice-bench-0001' -H 'content-type: application/json' \
    -d '{"model":"'"$MODEL"'","messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$port/v1/chat/completions")
  grep -q '"chat.completion"' <<<"$out" || { echo "port $port does not answer: ${out:0:300}" >&2; exit 1; }
done
log "all arms answer; load $(cut -d' ' -f1-3 /proc/loadavg)"

hz=$(getconf CLK_TCK)
ticks() { # pid -> "all eventloops"
  local all=0 loops=0 f line comm t
  for f in /proc/$1/task/*/stat; do
    line=$(cat "$f" 2>/dev/null) || continue
    comm=${line#*(}; comm=${comm%%)*}
    t=$(sed 's/.*) //' <<<"$line" | awk '{print $12 + $13}')
    all=$((all + t)); [[ $comm == vert.x-eventloo* ]] && loops=$((loops + t))
  done
  echo "$all $loops"
}
wrk_run() { # port seconds [script conns threads]
  local conns=${4:-$TPUT_CONN} threads=${5:-2}
  [ "$conns" -lt "$threads" ] && threads=$conns
  BENCH_MODEL=$MODEL BENCH_HEADERS="authorization: Bearer sk-sluice-bench-0001" \
    timeout $(( $2 + 30 )) wrk -t"$threads" -c"$conns" -d"$2"s --timeout 10s -s "${3:-$WRK_SCRIPT}" \
    "http://127.0.0.1:$1/v1/chat/completions" | sed -n 's/^WRKJSON //p'
}
measured() { # port seconds: the measured wrk, with the background wrk around it when BG_SCRIPT is set
  if [ -z "$BG_SCRIPT" ]; then wrk_run "$1" "$2"; return; fi
  wrk_run "$1" $(( $2 + 2 )) "$BG_SCRIPT" "$BG_CONN" 1 >"$work/bg.json" &
  local bg=$!
  sleep 1
  local w; w=$(wrk_run "$1" "$2")
  wait "$bg"
  echo "${w%\}},\"bg\":$(cat "$work/bg.json")}"
}
for k in "${!labels[@]}"; do
  log "warm-up ${labels[$k]} (${WARMUP_S}s)"
  # A JVM's first JFR recording starts JFR itself (seconds of CPU and its threads): done here, so that
  # round 1's allocation recording does not charge it to that round's requests.
  jcmd=$(jdk_tool "${labels[$k]}" jcmd)
  "$jcmd" "${spids[$k]}" JFR.start name=init settings="$here/alloc.jfc" filename="$work/init.jfr" >/dev/null
  measured "${ports[$k]}" "$WARMUP_S" >/dev/null
  "$jcmd" "${spids[$k]}" JFR.stop name=init >/dev/null; rm -f "$work/init.jfr"
done

n=${#labels[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  for ((j = 0; j < n; j++)); do
    k=$(( (j + r) % n )); pid=${spids[$k]}; jfr="$work/${labels[$k]}-$r.jfr"
    jcmd=$(jdk_tool "${labels[$k]}" jcmd)
    "$jcmd" "$pid" JFR.start name=ab settings="$here/alloc.jfc" filename="$jfr" >/dev/null
    read -r a0 l0 < <(ticks "$pid")
    load=$(cut -d' ' -f1 /proc/loadavg); c0=$(host_ticks)
    w=$(measured "${ports[$k]}" "$TPUT_S")
    read -r a1 l1 < <(ticks "$pid"); steal=$(steal_percent "$c0" "$(host_ticks)")
    "$jcmd" "$pid" JFR.stop name=ab >/dev/null
    read -r ball bloops < <("$(jdk_tool "${labels[$k]}" java)" -cp "$work/cls" AllocSum "$jfr"); rm -f "$jfr"
    reqs=$(sed -n 's/^{"requests":\([0-9]*\).*/\1/p' <<<"$w") # the measured wrk's, not the background's
    line=$(awk -v lab="${labels[$k]}" -v r=$r -v a=$((a1 - a0)) -v l=$((l1 - l0)) -v n="$reqs" -v hz=$hz -v ba="$ball" -v bl="$bloops" -v load="$load" -v steal="$steal" -v w="$w" \
      'BEGIN{printf "{\"arm\":\"%s\",\"round\":%d,\"requests\":%d,\"cpu_us_per_req\":%.2f,\"loop_cpu_us_per_req\":%.2f,\"alloc_b_per_req\":%.0f,\"loop_alloc_b_per_req\":%.0f,\"load1\":%s,\"steal_percent\":%s,\"wrk\":%s}", lab, r, n, a*1e6/hz/n, l*1e6/hz/n, ba/n, bl/n, load, steal, w}')
    echo "$line" >>"$OUT"; log "$line"
  done
done
