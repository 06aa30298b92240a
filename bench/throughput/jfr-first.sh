#!/usr/bin/env bash
# What a JVM's first JFR recording does to a warm gateway (issue 19, twenty-third pass).
#
#   bench/throughput/jfr-first.sh [path/to/sluice.jar]
#
# One nginx canned upstream and one Sluice on bench/conf/sluice-bench.yaml (full pipeline). After
# WARMUP_S of wrk -c64, prints the requests/s of 5 s windows: two before `jcmd JFR.start`, SLICES
# while the recording runs, two after `JFR.stop`. On OpenJDK 17.0.15 the first recording a running JVM
# starts redefines JDK classes (Throwable, Error, the I/O ones), and HotSpot then discards all compiled code; a JVM
# started with a recording (-XX:StartFlightRecording, in JAVA_OPTS) or on JDK 25 shows no such drop.
# Knobs: JAVA (java), JCMD (jcmd beside JAVA, else PATH's), JAVA_OPTS (./sluice's flags), WARMUP_S (25),
# SLICES (8), UP_PORT (4830), SLUICE_PORT (4831), JFC (a settings file; default: ab.sh's alloc.jfc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
jar=${1:-$bench/../gateway/target/sluice.jar}
JAVA=${JAVA:-java}
JCMD=${JCMD:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd}
[ -x "$JCMD" ] || JCMD=$(command -v jcmd)
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000}
WARMUP_S=${WARMUP_S:-25}; SLICES=${SLICES:-8}; UP_PORT=${UP_PORT:-4830}; SLUICE_PORT=${SLUICE_PORT:-4831}
JFC=${JFC:-$here/alloc.jfc}
work=$(mktemp -d /tmp/jfr-first.XXXXXX); mkdir -p "$work/nginx-upstream" "$work/s"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
for p in $UP_PORT $SLUICE_PORT; do
  ss -ltn | grep -q "127.0.0.1:$p " && { echo "port $p is taken; set UP_PORT/SLUICE_PORT" >&2; exit 1; }
done
sed -e "s#@WORK@#$work#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@UP_WORKERS@#1#g" "$bench/conf/nginx-upstream.conf" >"$work/nginx-upstream.conf"
nginx -c "$work/nginx-upstream.conf" -e "$work/nginx-upstream/error.log" -g 'daemon off;' & pids+=($!)
sed -e "s#@WORK@#$work/s#g" -e "s#@UP_PORT@#$UP_PORT#g" -e "s#@MOCK_PORT@#$((UP_PORT + 1))#g" -e "s#@SLUICE_PORT@#$SLUICE_PORT#g" \
    -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#latency=60ms#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$((UP_PORT + 1))#g" \
    "$bench/conf/sluice-bench.yaml" >"$work/sluice.yaml"
# shellcheck disable=SC2086 # the flags are words
"$JAVA" $JAVA_OPTS -jar "$jar" serve -c "$work/sluice.yaml" >"$work/sluice.log" 2>&1 & spid=$!; pids+=($spid)
for _ in $(seq 1 300); do curl -s -o /dev/null -m 2 "http://127.0.0.1:$SLUICE_PORT/health/ready" && break; sleep 0.2; done
rps() { # seconds -> requests/s of wrk -c64
  BENCH_MODEL=bench-canned BENCH_HEADERS="authorization: Bearer sk-sluice-bench-0001" \
    timeout $(( $1 + 30 )) wrk -t2 -c64 -d"$1"s --timeout 10s -s "$bench/wrk/chat.lua" "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions" \
    | sed -n 's/^WRKJSON //p' | sed -n 's/.*"rps":\([0-9.]*\).*/\1/p'
}
rps "$WARMUP_S" >/dev/null
echo "java: $("$JAVA" -version 2>&1 | head -1)"
for i in 1 2; do echo "before        $(rps 5) requests/s"; done
"$JCMD" "$spid" JFR.start name=first settings="$JFC" filename="$work/first.jfr" >/dev/null
for i in $(seq 1 "$SLICES"); do printf 'recording %3ds %s requests/s\n' $(( i * 5 )) "$(rps 5)"; done
"$JCMD" "$spid" JFR.stop name=first >/dev/null
for i in 1 2; do echo "stopped       $(rps 5) requests/s"; done
