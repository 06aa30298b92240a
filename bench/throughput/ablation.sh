#!/usr/bin/env bash
# What each pipeline feature costs a non-streamed request (issue 19): one jar, several arms in the
# same run (bench/throughput/ab.sh), each on the bench config with features taken out.
#
#   bench/throughput/ablation.sh path/to/sluice.jar
#
# Arms: full (bench/conf/sluice-bench.yaml as is), nolimits (no rpm/tpm/concurrency limits on the
# key, its team or the model entries), nobudget (no budget on the key), onetarget (the canned model
# entry has one target instead of two weighted ones), bare (all three taken out: key auth, routing to
# one target, the reliability layer, metrics, the ledger and the request log stay; they cannot be
# turned off). The ledger's cost is the store thread's: cpu_us_per_req - loop_cpu_us_per_req in the
# raw lines, less GC and JIT. ab.sh's knobs apply (ROUNDS, WARMUP_S, TPUT_S, OUT, WORK, ...); the
# JVM flags are ./sluice's unless SLUICE_JAVA_OPTS is set. Summary: summary.py $OUT full.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(cd "$here/.." && pwd)
jar=${1:?usage: ablation.sh path/to/sluice.jar}
confs=$(mktemp -d /tmp/sluice-ablation.XXXXXX)
python3 - "$bench/conf/sluice-bench.yaml" "$confs" <<'PY'
import re, sys
src, out = sys.argv[1], sys.argv[2]
full = open(src).read()

def cut(text, old, new):
    if old not in text:
        sys.exit(f"ablation.sh: {old!r} is not in {src}: update the edits here")
    return text.replace(old, new)

def nolimits(t):
    t = re.sub(r"(?m)^    limits: \{ rpm: \d+, tpm: \d+ \}\n", "", t)
    t = cut(t, "{ name: bench-team, limits: { rpm: 100000000, tpm: 10000000000 } }", "{ name: bench-team }")
    return cut(t, "\n      limits: { rpm: 100000000, tpm: 10000000000, max_concurrency: 50000 },", "")

def nobudget(t):
    return cut(t, "name: bench, team: bench-team,\n      limits: { rpm: 100000000, tpm: 10000000000, max_concurrency: 50000 },\n"
               "      budget: { usd: 1000000, period: total, mode: hard } }",
               "name: bench, team: bench-team,\n      limits: { rpm: 100000000, tpm: 10000000000, max_concurrency: 50000 } }")

def onetarget(t):
    return cut(t, "targets: [ { provider: canned-a, model: gpt-4o-mini, weight: 3 }, { provider: canned-b, model: gpt-4o-mini, weight: 1 } ]",
               "targets: [ { provider: canned-a, model: gpt-4o-mini } ]")

def bare(t):
    t = onetarget(nobudget(t))
    t = re.sub(r"(?m)^    limits: \{ rpm: \d+, tpm: \d+ \}\n", "", t)
    t = cut(t, "{ name: bench-team, limits: { rpm: 100000000, tpm: 10000000000 } }", "{ name: bench-team }")
    return cut(t, ",\n      limits: { rpm: 100000000, tpm: 10000000000, max_concurrency: 50000 } }", " }")

for name, f in {"nolimits": nolimits, "nobudget": nobudget, "onetarget": onetarget, "bare": bare}.items():
    open(f"{out}/{name}.yaml", "w").write(f(full))
PY
export SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmn32m -Xmx512m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=5000}
CONF_nolimits=$confs/nolimits.yaml CONF_nobudget=$confs/nobudget.yaml CONF_onetarget=$confs/onetarget.yaml \
  CONF_bare=$confs/bare.yaml exec "$here/ab.sh" full="$jar" nolimits="$jar" nobudget="$jar" onetarget="$jar" bare="$jar"
