# Sourced by hold-cpu.sh and cold-ramp.sh: one HTTPS mock upstream (HTTP/2 by ALPN) and the bench config
# whose bench-hold model reaches it, then a Sluice per arm and round, warmed as bench/run.sh's arms are.
#
#   tls_hold_start OUT JAR   needs MOCK_PORT and SLUICE_PORT; compiles StreamLoad into OUT/classes, writes
#                            OUT/sluice.yaml, starts the mock (pid in $mock) and sets $trust (JVM flags
#                            trusting its certificate), $H (the bench key's header) and $U (the chat URL)
#   tls_hold_warm JAR        waits for the Sluice on SLUICE_PORT, then 20 s of wrk -c64 and 100 streams
#   tls_hold_order R SPEC... sets $specs to the arms, their order reversed in even rounds
#   tls_hold_serve OPTS JAR LOG  a fresh ledger and a Sluice (JVM flags OPTS) on OUT/sluice.yaml, pid in
#                            $sl, warmed with tls_hold_warm
tls_hold_start() {
  local out=$1 jar=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  javac -nowarn -cp "$jar" -d "$out/classes" "$root/bench/clients/StreamLoad.java"
  . "$root/bench/mock-tls.sh"; trust=$(mock_tls_files "$out")
  sed -e "s#@WORK@#$out#g" -e "s#@UP_PORT@#4709#g" -e "s#@MOCK_PORT@#$MOCK_PORT#g" -e "s#@SLUICE_PORT@#$SLUICE_PORT#g" \
      -e "s#@STREAM_FAULT@#chunk_delay=10ms#g" -e "s#@HOLD_FAULT@#latency=60ms,chunk_delay=250ms,words=24#g" \
      -e "s#@HOLD_BASE@#https://127.0.0.1:$MOCK_PORT#g" "$root/bench/conf/sluice-bench.yaml" > "$out/sluice.yaml"
  java -Xmx1g -XX:+UseParallelGC -jar "$jar" mock-upstream --host 127.0.0.1 --port "$MOCK_PORT" --event-loops "$(nproc)" \
    --tls-cert "$out/mock-tls-cert.pem" --tls-key "$out/mock-tls-key.pem" > "$out/mock.log" 2>&1 & mock=$!
  for _ in $(seq 100); do curl -s -o /dev/null --cacert "$out/mock-tls-cert.pem" "https://127.0.0.1:$MOCK_PORT/v1/models" && break; sleep 0.3; done
  H="authorization: Bearer sk-sluice-bench-0001"; U="http://127.0.0.1:$SLUICE_PORT/v1/chat/completions"
}

tls_hold_warm() {
  local jar=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$SLUICE_PORT/health/ready" && break; sleep 0.3; done
  BENCH_MODEL=bench-hold BENCH_HEADERS="$H" timeout 60 wrk -t2 -c64 -d20s --timeout 10s -s "$root/bench/wrk/chat.lua" "$U" > /dev/null 2>&1
  timeout 60 java -Xmx1g -cp "$jar:$OUT/classes" StreamLoad "$U" bench-hold 100 1 6 27 "$H" 0 > /dev/null 2>&1
}

tls_hold_order() {
  local r=$1 i; shift
  specs=("$@")
  if [ $((r % 2)) = 0 ]; then specs=(); for ((i = $#; i >= 1; i--)); do specs+=("${!i}"); done; fi
}

tls_hold_serve() {
  rm -rf "$OUT"/sluice-ledger.db*
  java $1 $trust -jar "$2" serve -c "$OUT/sluice.yaml" > "$3" 2>&1 & sl=$!
  tls_hold_warm "$2"
}
