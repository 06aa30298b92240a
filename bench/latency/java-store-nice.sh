#!/bin/bash
# A java launcher for bench/latency/run.sh's EXTRA_ARMS that renices the JVM's store threads
# (sluice-store-*: the ledger's batch writes, request log, key lookups) to STORE_NICE (default 10),
# to measure whether their CPU bursts reach the event loop's c=1 tail. Worker threads start lazily,
# so the threads are checked every 2 s for the first 2 minutes and every 30 s after (bash builtins,
# so the check costs little). exec keeps the PID the harness waits on. Arm example:
#   EXTRA_ARMS="nice10|gateway/target/sluice.jar|$OPTS|env STORE_NICE=10 bench/latency/java-store-nice.sh"
n=${STORE_NICE:-10}
( i=0; while kill -0 $$ 2>/dev/null; do
    for t in /proc/$$/task/*; do
      read -r c < "$t/comm" 2>/dev/null || continue
      case $c in sluice-store*) read -r st < "$t/stat"; set -- ${st##*) }; [ "${17}" = "$n" ] || renice -n "$n" -p "${t##*/}" >/dev/null 2>&1;; esac
    done; i=$((i + 1)); [ $i -lt 60 ] && sleep 2 || sleep 30; done ) &
exec java "$@"
