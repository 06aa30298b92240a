#!/usr/bin/env bash
# Memory per concurrent stream: starts the mock upstream once, then for every (arm, level, round)
# a fresh Sluice JVM, warms it with 100 streams, holds LEVEL concurrent streams with
# bench/clients/StreamLoad (the same load as bench/run.sh's concurrent-streams phase: each client on
# its own connection, `latency=60ms,chunk_delay=250ms,words=24`, ramp then hold; success = 200 +
# [DONE] + all events) and records, half-way through the hold: VmRSS, NMT summary, the largest pmap
# mappings and the live-heap histogram (taken last: it forces a full GC), plus the GC pauses of the
# hold from the GC log. Arms alternate within a round so before/after see the same machine load.
#
# Usage: bench/memory/run.sh ARM=JAR[@JAVA_OPTS] [ARM=JAR[@JAVA_OPTS] ...]
#   env: LEVELS (default "5000 10000"), ROUNDS (1), RAMP_S (8), HOLD_S (12), OUT (bench/memory/work),
#        HOLD_FAULT (the mock fault; bench/run.sh's by default),
#        HOLD_TLS=1 (Sluice reaches the mock over HTTPS, HTTP/2 by ALPN: one descriptor per stream, as
#        with hosted providers; a certificate made for the run, trusted through a JVM trust store)
#        PROMPT_BYTES (the user message's length in bytes; default the 2-byte "hi": memory per stream
#        with a realistic prompt),
#        WARM_WRK_S (seconds of wrk -c64 non-streaming load on the hold model before the hold, 0 = none: a
#        JVM that has served traffic, as bench/run.sh's has when it holds its streams, has compiled
#        its hot paths with C2 and grown its heap)
# Only talks to 127.0.0.1. Every load run stops by itself (StreamLoad's hard stop + timeout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
LEVELS=${LEVELS:-5000 10000}; ROUNDS=${ROUNDS:-1}; RAMP_S=${RAMP_S:-8}; HOLD_S=${HOLD_S:-12}
OUT=${OUT:-$here/work}; mkdir -p "$OUT"
MOCK_PORT=${MOCK_PORT:-4711}; SLUICE_PORT=${SLUICE_PORT:-4741}
HOLD_FAULT=${HOLD_FAULT:-latency=60ms,chunk_delay=250ms,words=24}; HOLD_MIN_EVENTS=27
DEFAULT_OPTS=${DEFAULT_OPTS:-}   # empty: the launcher's defaults are not applied here, give them per arm
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
hard=$(ulimit -Hn); if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
log "ulimit -n $(ulimit -n), load $(cut -d' ' -f1-3 /proc/loadavg)"

first_jar=${1#*=}; first_jar=${first_jar%%@*}
classes="$OUT/classes"; rm -rf "$classes"; mkdir -p "$classes"
javac -nowarn -cp "$first_jar" -d "$classes" "$root"/bench/clients/StreamLoad.java
HOLD_TLS=${HOLD_TLS:-0}; hold_base="http://127.0.0.1:$MOCK_PORT"; trust=""; mock_tls=(); ca=()
if [ "$HOLD_TLS" = 1 ]; then
  . "$root/bench/mock-tls.sh"
  trust=$(mock_tls_files "$OUT")
  hold_base="https://127.0.0.1:$MOCK_PORT"
  mock_tls=(--event-loops "$(nproc)" --tls-cert "$OUT/mock-tls-cert.pem" --tls-key "$OUT/mock-tls-key.pem")
  ca=(--cacert "$OUT/mock-tls-cert.pem")
fi
sed -e "s#@WORK@#$OUT#g" -e "s#@UP_PORT@#4709#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" -e "s#@SLUICE_PORT@#$SLUICE_PORT#g" \
    -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#$HOLD_FAULT#g" -e "s#@HOLD_BASE@#$hold_base#g" "$root/bench/conf/sluice-bench.yaml" > "$OUT/sluice.yaml"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "$@" && return 0; sleep 0.2; done; echo "not ready: $1" >&2; return 1; }

java -Xmx1g -XX:+UseParallelGC -jar "$first_jar" mock-upstream --host 127.0.0.1 --port $MOCK_PORT "${mock_tls[@]}" >"$OUT/mock.log" 2>&1 &
pids+=($!); mock_pid=$!
wait_http "$hold_base/v1/models" "${ca[@]}"
H="authorization: Bearer sk-sluice-bench-0001"
U="http://127.0.0.1:$SLUICE_PORT/v1/chat/completions"
results="$OUT/results.jsonl"

for r in $(seq 1 "$ROUNDS"); do
 for level in $LEVELS; do
  for spec in "$@"; do
    arm=${spec%%=*}; rest=${spec#*=}; jar=${rest%%@*}; opts=""; [[ "$rest" == *@* ]] && opts=${rest#*@}
    tag="$arm-$level-r$r"; gclog="$OUT/$tag.gc.log"; rm -rf "$OUT"/sluice-ledger.db* "$gclog"
    log "$tag: $opts (load $(cut -d' ' -f1-3 /proc/loadavg))"
    java $opts $trust -XX:NativeMemoryTracking=summary -Xlog:gc:file="$gclog":uptime -jar "$jar" serve -c "$OUT/sluice.yaml" >"$OUT/$tag.sluice.log" 2>&1 &
    spid=$!; pids+=($spid)
    wait_http "http://127.0.0.1:$SLUICE_PORT/health/ready"
    if [ "${WARM_WRK_S:-0}" -gt 0 ]; then
      BENCH_MODEL=bench-hold BENCH_HEADERS="$H" timeout $(( WARM_WRK_S + 30 )) wrk -t2 -c64 -d"${WARM_WRK_S}"s --timeout 10s \
        -s "$root/bench/wrk/chat.lua" "$U" >"$OUT/$tag.warm.txt" 2>&1 || true
    fi
    timeout 60 java -Xmx1g -cp "$jar:$classes" StreamLoad "$U" bench-hold 100 1 6 $HOLD_MIN_EVENTS "$H" 0 >/dev/null 2>>"$OUT/streamload.err" || true
    sleep 2
    idle_rss=$(awk '/VmRSS/{print $2}' /proc/$spid/status)
    t_hold=$(jcmd $spid VM.uptime | awk 'NR==2{print $1+0}')
    timeout $(( RAMP_S + HOLD_S + 60 )) java -Xmx1g -cp "$jar:$classes" StreamLoad "$U" bench-hold "$level" "$RAMP_S" "$HOLD_S" \
        $HOLD_MIN_EVENTS "$H" "$spid" >"$OUT/$tag.load.json" 2>>"$OUT/streamload.err" &
    load=$!
    sleep $(( RAMP_S + HOLD_S / 2 ))
    {
      echo "== $tag  opts: $opts"; grep -E 'VmRSS|RssAnon|RssFile|Threads' /proc/$spid/status
      echo "fds: $(ls /proc/$spid/fd | wc -l)"
      jcmd $spid VM.native_memory summary | grep -E '^-|committed=' | sed -n '1,60p'
      echo "largest mappings (pmap -x: address, kB mapped, kB resident, kB dirty):"
      pmap -x $spid | sort -k3 -n -r | sed -n '2,10p'
      jcmd $spid GC.heap_info | tail -n +2
      echo "live heap histogram (forces a full GC; whole list in $tag.histogram.txt):"
      jcmd $spid GC.class_histogram >"$OUT/$tag.histogram.txt"; sed -n '2,30p' "$OUT/$tag.histogram.txt"
      echo "Sluice's own classes:"; { grep ' dev\.sluice\.' "$OUT/$tag.histogram.txt" || true; } | head -25 || true   # head's early exit: SIGPIPE, not a failed run
    } >"$OUT/$tag.breakdown.txt" 2>&1
    wait $load || true
    kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true
    # GC pauses from the start of the load to its end (the histogram's forced full GC excluded).
    gc=$(awk -v t0="$t_hold" 'BEGIN{n=0;s=0;m=0}
      /Pause/ && !/Heap Inspection|Diagnostic/ { t=substr($1,2)+0; if (t < t0) next; if (match($0,/[0-9.]+ms$/)) { v=substr($0,RSTART,RLENGTH-2)+0; n++; s+=v; if (v>m) m=v } }
      END{printf "{\"gc_pauses\":%d,\"gc_pause_total_ms\":%.1f,\"gc_pause_max_ms\":%.1f}", n, s, m}' "$gclog")
    live=$(awk '/^Total/{printf "%.1f", $3/1048576}' "$OUT/$tag.histogram.txt" 2>/dev/null || true)
    hold_rss=$(awk '/^VmRSS/{printf "%.1f", $2/1024; exit}' "$OUT/$tag.breakdown.txt")
    line="{\"arm\":\"$arm\",\"level\":$level,\"round\":$r,\"opts\":\"$opts\",\"idle_rss_mb\":$(awk -v k="$idle_rss" 'BEGIN{printf "%.1f", k/1024}'),\"rss_at_breakdown_mb\":${hold_rss:-0},\"live_heap_mb\":${live:-0},\"gc\":$gc,\"load\":$(cat "$OUT/$tag.load.json" || echo null),\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
    echo "$line" >>"$results"; log "$line"
    sleep 3
  done
 done
done
