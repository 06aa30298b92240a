#!/usr/bin/env python3
"""Medians of per-round ratios against the first arm, from ab.sh's raw.jsonl. Usage: summary.py raw.jsonl [base]

With MAX_STEAL=N in the environment, a round's pair is left out of the ratios when either arm's window
had more than N % of the CPU stolen by other guests (steal_percent): those arms did not get the same machine."""
import json, os, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
arms = list(dict.fromkeys(r["arm"] for r in rows))
base = sys.argv[2] if len(sys.argv) > 2 else arms[0]
by = {(r["arm"], r["round"]): r for r in rows}
rounds = sorted({r["round"] for r in rows})
out = {"base": base, "rounds": len(rounds), "load1": [r["load1"] for r in rows], "arms": {}}
if all("steal_percent" in r for r in rows):  # CPU taken by other guests during each measured window
    out["steal_percent"] = [r["steal_percent"] for r in rows]
for a in arms:
    mine = [by[(a, k)] for k in rounds if (a, k) in by]
    m = lambda f: statistics.median(f(r) for r in mine)
    d = {"rps": m(lambda r: r["wrk"]["rps"]), "cpu_us_per_req": m(lambda r: r["cpu_us_per_req"]),
         "loop_cpu_us_per_req": m(lambda r: r["loop_cpu_us_per_req"]), "alloc_b_per_req": m(lambda r: r["alloc_b_per_req"]),
         "loop_alloc_b_per_req": m(lambda r: r["loop_alloc_b_per_req"]), "p50_us": m(lambda r: r["wrk"]["lat_p50_us"]),
         "p90_us": m(lambda r: r["wrk"]["lat_p90_us"]),
         "p99_us": m(lambda r: r["wrk"]["lat_p99_us"]),
         "errors": sum(r["wrk"]["err_status"] + r["wrk"]["err_timeout"] for r in mine)}
    if all("bg" in r["wrk"] for r in mine):  # ab.sh with BG_SCRIPT: the background wrk's own figures
        d["bg_rps"] = m(lambda r: r["wrk"]["bg"]["rps"])
        d["bg_p50_us"] = m(lambda r: r["wrk"]["bg"]["lat_p50_us"])
        d["bg_errors"] = sum(r["wrk"]["bg"]["err_status"] + r["wrk"]["bg"]["err_timeout"] for r in mine)
    if a != base:
        pairs = [(by[(a, k)], by[(base, k)]) for k in rounds if (a, k) in by and (base, k) in by]
        if os.environ.get("MAX_STEAL"):
            cap = float(os.environ["MAX_STEAL"])
            pairs = [(x, y) for x, y in pairs if max(x.get("steal_percent", 0), y.get("steal_percent", 0)) <= cap]
            d["rounds_within_max_steal"] = len(pairs)
        d["rps_ratio"] = statistics.median(x["wrk"]["rps"] / y["wrk"]["rps"] for x, y in pairs)
        d["cpu_ratio"] = statistics.median(x["cpu_us_per_req"] / y["cpu_us_per_req"] for x, y in pairs)
        d["loop_cpu_ratio"] = statistics.median(x["loop_cpu_us_per_req"] / y["loop_cpu_us_per_req"] for x, y in pairs)
        d["p50_ratio"] = statistics.median(x["wrk"]["lat_p50_us"] / y["wrk"]["lat_p50_us"] for x, y in pairs)
        d["p90_ratio"] = statistics.median(x["wrk"]["lat_p90_us"] / y["wrk"]["lat_p90_us"] for x, y in pairs)
        d["p99_ratio"] = statistics.median(x["wrk"]["lat_p99_us"] / y["wrk"]["lat_p99_us"] for x, y in pairs)
        d["alloc_ratio"] = statistics.median(x["alloc_b_per_req"] / y["alloc_b_per_req"] for x, y in pairs)
    out["arms"][a] = d
print(json.dumps(out, indent=1))
