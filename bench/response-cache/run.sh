#!/usr/bin/env bash
# Response-cache bench: what a cache hit costs inside Sluice at c=1, and hit throughput next to nginx
# serving a static file. Needs nginx, wrk, curl, a JDK and gateway/target/sluice.jar (./mvnw -DskipTests package).
# Writes bench/results/response-cache.json and .md. Knobs: DUR (s per wrk run, 10), CONNS (64), THREADS (2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$root/bench/work/response-cache"
DUR=${DUR:-10}; CONNS=${CONNS:-64}; THREADS=${THREADS:-2}
UP_PORT=${UP_PORT:-4410}; SLUICE_PORT=${SLUICE_PORT:-4440}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -XX:ReservedCodeCacheSize=64m -Xss512k}
jar="$root/gateway/target/sluice.jar"
[ -f "$jar" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"/nginx/{tmp-body,tmp-proxy,tmp-fcgi,tmp-uwsgi,tmp-scgi} "$work/www"
answer='{"id":"chatcmpl-bench0001","object":"chat.completion","created":1732500000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! I am a canned answer from the benchmark upstream. How can I help you today?","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":19,"total_tokens":43,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_bench"}'
printf '%s' "$answer" > "$work/www/answer.json"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp-body; proxy_temp_path $work/nginx/tmp-proxy;
  fastcgi_temp_path $work/nginx/tmp-fcgi; uwsgi_temp_path $work/nginx/tmp-uwsgi; scgi_temp_path $work/nginx/tmp-scgi;
  keepalive_requests 1000000; keepalive_timeout 300s; tcp_nodelay on;
  server {
    listen 127.0.0.1:$UP_PORT;
    default_type application/json;
    location = /answer.json { root $work/www; }
    location / { return 200 '$answer'; }
  }
}
NGINX
cat > "$work/sluice.yaml" <<YAML
server: { host: 127.0.0.1, port: $SLUICE_PORT }
providers:
  - { name: canned, type: openai-compatible, base_url: "http://127.0.0.1:$UP_PORT/v1" }
models:
  - name: bench-cached
    targets: [ { provider: canned, model: gpt-4o-mini } ]
    cache: { ttl: 1h }
store: { url: "sqlite:$work/sluice-ledger.db" }
keys:
  - { key: sk-sluice-bench-0001, name: bench, team: bench-team }
YAML
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true; }
trap cleanup EXIT
nginx -c "$work/nginx.conf"
java $SLUICE_JAVA_OPTS -jar "$jar" serve -c "$work/sluice.yaml" >"$work/sluice.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$SLUICE_PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
auth="Authorization: Bearer sk-sluice-bench-0001"
chat() { BENCH_HEADERS="$auth" wrk -t"$1" -c"$2" -d"$3"s -s "$here/hit.lua" "$4" | sed -n 's/^WRKJSON //p'; }
# Prime: the first call is the miss that fills the cache; then warm the JIT on hits.
curl -s -o /dev/null -H "$auth" -H 'content-type: application/json' --data-binary @"$here/request.json" \
  "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions"
chat 1 1 5 "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions" >/dev/null
hdr=$(curl -s -D - -o /dev/null -H "$auth" -H 'content-type: application/json' --data-binary @"$here/request.json" \
  "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions" | tr -d '\r' | grep -i '^x-sluice-cache:' || true)
echo "cache header on the bench request: $hdr"
direct_c1=$(chat 1 1 "$DUR" "http://127.0.0.1:$UP_PORT/v1/chat/completions")
sluice_c1=$(chat 1 1 "$DUR" "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions")
# The gateway's own figure: x-sluice-overhead-ms of 1000 sequential hits (time inside Sluice).
overheads="$work/overheads.txt"; : > "$overheads"
for _ in $(seq 1 1000); do
  curl -s -D - -o /dev/null -H "$auth" -H 'content-type: application/json' --data-binary @"$here/request.json" \
    "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions" | tr -d '\r' | sed -n 's/^x-sluice-overhead-ms: //Ip' >> "$overheads"
done
overhead_p50=$(sort -n "$overheads" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
overhead_p99=$(sort -n "$overheads" | awk '{a[NR]=$1} END {print a[int(NR*0.99)]}')
sluice_tput=$(chat "$THREADS" "$CONNS" "$DUR" "http://127.0.0.1:$SLUICE_PORT/v1/chat/completions")
nginx_tput=$(BENCH_GET=1 wrk -t"$THREADS" -c"$CONNS" -d"$DUR"s -s "$here/hit.lua" "http://127.0.0.1:$UP_PORT/answer.json" \
  | sed -n 's/^WRKJSON //p')
upstream_calls=$(curl -s "http://127.0.0.1:$SLUICE_PORT/metrics" | sed -n 's/^sluice_response_cache_total{result="miss"} //p')
hits=$(curl -s "http://127.0.0.1:$SLUICE_PORT/metrics" | sed -n 's/^sluice_response_cache_total{result="hit"} //p')
p50() { sed -n 's/.*"lat_p50_us":\([0-9]*\).*/\1/p' <<<"$1"; }
rps() { sed -n 's/.*"rps":\([0-9.]*\).*/\1/p' <<<"$1"; }
added=$(( $(p50 "$sluice_c1") - $(p50 "$direct_c1") ))
ratio=$(awk -v a="$(rps "$sluice_tput")" -v b="$(rps "$nginx_tput")" 'BEGIN {printf "%.3f", a / b}')
mkdir -p "$root/bench/results"
cat > "$root/bench/results/response-cache.json" <<JSON
{"date":"$(date -u +%FT%TZ)","machine":{"cpus":$(nproc),"kernel":"$(uname -r)"},"java_opts":"$SLUICE_JAVA_OPTS",
 "duration_s":$DUR,"conns":$CONNS,"threads":$THREADS,
 "c1_direct_upstream":$direct_c1,"c1_sluice_hit":$sluice_c1,"c1_added_p50_us":$added,
 "overhead_header_ms":{"p50":$overhead_p50,"p99":$overhead_p99,"samples":$(wc -l < "$overheads")},
 "throughput_sluice_hit":$sluice_tput,"throughput_nginx_static":$nginx_tput,"hit_rps_over_nginx_static":$ratio,
 "cache_misses":${upstream_calls:-null},"cache_hits":${hits:-null}}
JSON
cat > "$root/bench/results/response-cache.md" <<MD
# Response cache: hit overhead and throughput ($(date -u +%F), $(nproc) cores, loopback)

Sluice \`$SLUICE_JAVA_OPTS\`, one model entry with \`cache: { ttl: 1h }\`, key auth, metrics and
ledger on; the request has \`temperature: 0\`; all measured requests are hits (misses: ${upstream_calls:-?}, hits: ${hits:-?}).
nginx: 1 worker, the same answer bytes (\`return 200\` as the upstream; a static file for throughput).

| measure | value |
|---|---|
| c=1 p50, client → nginx upstream directly | $(p50 "$direct_c1") µs |
| c=1 p50, client → Sluice (hit) | $(p50 "$sluice_c1") µs |
| **added by Sluice on a hit, p50 (difference)** | **$added µs** (target < 300) |
| **\`x-sluice-overhead-ms\` on hits, p50 / p99** (time inside Sluice, 1000 sequential hits) | **$overhead_p50 / $overhead_p99 ms** |
| hit throughput, Sluice, c=$CONNS | $(rps "$sluice_tput") req/s |
| nginx static file, c=$CONNS | $(rps "$nginx_tput") req/s |
| Sluice hits / nginx static file | $ratio |

Raw figures: \`response-cache.json\`. Reproduce: \`bench/response-cache/run.sh\` (DUR, CONNS, THREADS).
MD
cat "$root/bench/results/response-cache.md"
