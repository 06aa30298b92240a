#!/usr/bin/env bash
# Does the ledger writer keep up when the cores are saturated? One Sluice (full pipeline of
# bench/conf/sluice-bench.yaml, SQLite ledger) behind wrk c=64 against the canned nginx upstream:
# per 10 s round, the request-log rows stored during the load against the requests served, the
# backlog left when the load stops, and the full collections over the run (a backlog lives in the heap).
#   bench/ledger/keepup.sh                                  # this tree's jar
#   JAR=/tmp/base/gateway/target/sluice.jar bench/ledger/keepup.sh
# Needs nginx, wrk, jq and sqlite3 (Debian packages).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); bench=$(cd "$here/.." && pwd); root=$(cd "$bench/.." && pwd)
jar=${JAR:-$root/gateway/target/sluice.jar}; W="$here/work-keepup"; rm -rf "$W"; mkdir -p "$W/nginx-upstream"
UP=4810; MOCK=4811; SP=4860; ROUNDS=${ROUNDS:-2}
JOPTS=${JOPTS:--XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m -XX:ReservedCodeCacheSize=64m -Xss512k}
sed -e "s#@WORK@#$W#g" -e "s#@UP_PORT@#$UP#g" -e "s#@UP_WORKERS@#1#g" "$bench/conf/nginx-upstream.conf" > "$W/up.conf"
sed -e "s#@WORK@#$W#g" -e "s#@UP_PORT@#$UP#g" -e "s#@MOCK_PORT@#$MOCK#g" -e "s#@SLUICE_PORT@#$SP#g" -e "s#@STREAM_FAULT@#x#g" \
  -e "s#@HOLD_FAULT@#x#g" -e "s#@HOLD_BASE@#http://127.0.0.1:$MOCK#g" "$bench/conf/sluice-bench.yaml" > "$W/sluice.yaml"
nginx -c "$W/up.conf" -e "$W/nginx-upstream/error.log" -g 'daemon off;' & np=$!
# shellcheck disable=SC2086
java $JOPTS -Xlog:gc:file="$W/gc.log" -jar "$jar" serve -c "$W/sluice.yaml" > "$W/sluice.log" 2>&1 & sp=$!
trap 'kill $np $sp 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$SP/health/ready" && break; sleep 0.3; done
export BENCH_MODEL=bench-canned BENCH_HEADERS="Authorization: Bearer sk-sluice-bench-0001"
w() { wrk -t2 -c"$1" -d"$2"s --timeout 10s -s "$bench/wrk/chat.lua" "http://127.0.0.1:$SP/v1/chat/completions"; }
stored() { sqlite3 "$W/sluice-ledger.db" 'SELECT count(*) FROM request_log'; }
w 64 15 > /dev/null; sleep 3
for r in $(seq 1 "$ROUNDS"); do
  before=$(stored); j=$(w 64 10 | sed -n 's/^WRKJSON //p'); at_end=$(stored); sleep 3; later=$(stored)
  served=$(jq .requests <<<"$j")
  echo "round $r: served $served ($(jq .rps <<<"$j") req/s); stored during the load $((at_end - before)) ($((100 * (at_end - before) / served)) %), backlog at the end $((served - at_end + before)), stored 3 s later $((later - before))"
done
echo "full collections over the run: $(grep -c 'Pause Full' "$W/gc.log" || true)"
