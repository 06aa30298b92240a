#!/bin/bash
# A java launcher for bench/latency/run.sh's EXTRA_ARMS that lowers the JVM's store threads
# (sluice-store-*: the ledger's batch writes, request log, key lookups) to STORE_NICE (default 10),
# or with STORE_POLICY=idle to the SCHED_IDLE policy (chrt --idle), to measure whether their CPU
# bursts reach the event loop's c=1 tail. A woken normal thread always preempts a SCHED_IDLE one at
# once, where a niced one may keep its core for the rest of its slice (EEVDF's run-to-parity).
# Worker threads start lazily, so the threads are checked every 2 s for the first 2 minutes and
# every 30 s after (bash builtins, so the check costs little). exec keeps the PID the harness waits
# on. Arm examples:
#   EXTRA_ARMS="nice10|gateway/target/sluice.jar|$OPTS|env STORE_NICE=10 bench/latency/java-store-nice.sh"
#   EXTRA_ARMS="idle|gateway/target/sluice.jar|$OPTS|env STORE_POLICY=idle bench/latency/java-store-nice.sh"
n=${STORE_NICE:-10}; policy=${STORE_POLICY:-nice}
( i=0; while kill -0 $$ 2>/dev/null; do
    for t in /proc/$$/task/*; do
      read -r c < "$t/comm" 2>/dev/null || continue
      case $c in sluice-store*)
        read -r st < "$t/stat"; set -- ${st##*) }
        if [ "$policy" = idle ]; then
          [ "${39}" = 5 ] || chrt --idle -p 0 "${t##*/}" >/dev/null 2>&1   # policy 5: SCHED_IDLE
        else
          [ "${17}" = "$n" ] || renice -n "$n" -p "${t##*/}" >/dev/null 2>&1
        fi;;
      esac
    done; i=$((i + 1)); [ $i -lt 60 ] && sleep 2 || sleep 30; done ) &
exec java "$@"
