"""Summarises bench/latency/run.sh's raw rounds: per round, each arm's c=1 p50/p99 over nginx's and
its added time to first token (arm's TTFT p50 minus the upstream's own, "direct"), and for spaced
requests (GapProbe: one at a time, GAP_MS apart) its p50 over nginx's and its added time over direct's;
then the median over rounds of those same-round figures. Usage: summarize.py RAW.jsonl OUT.json OUT.md META_JSON"""
import json, statistics, sys

raw, out_json, out_md, meta = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
rows = [json.loads(l) for l in open(raw) if l.strip()]
lat = {(r["arm"], r["round"]): r["wrk"] for r in rows if r["phase"] == "latency"}
st = {(r["arm"], r["round"]): r["probe"] for r in rows if r["phase"] == "stream"}
sp = {(r["arm"], r["round"]): r["gap"] for r in rows if r["phase"] == "spaced"}
loads = [r["load1"] for r in rows]
arms = list(dict.fromkeys(r["arm"] for r in rows))
rounds = sorted({r["round"] for r in rows})
med = lambda xs: round(statistics.median(xs), 3) if xs else None
summary = {}
for a in arms:
    p50r, p99r, p50, p99, ttft, added, errs = [], [], [], [], [], [], 0
    gp50, gp50r, gadded = [], [], []
    for k in rounds:
        w, n = lat.get((a, k)), lat.get(("nginx", k))
        if w and n:
            p50.append(w["lat_p50_us"] / 1000); p99.append(w["lat_p99_us"] / 1000)
            p50r.append(w["lat_p50_us"] / n["lat_p50_us"]); p99r.append(w["lat_p99_us"] / n["lat_p99_us"])
            errs += w["err_status"] + w["err_read"] + w["err_connect"] + w["err_timeout"]
        s, d = st.get((a, k)), st.get(("direct", k))
        if s and d:
            # first content token, as bench/run.sh's Report: Sluice holds the role chunk until then
            ttft.append(s["first_content_p50_ms"]); added.append(s["first_content_p50_ms"] - d["first_content_p50_ms"])
            errs += s["failures"]
        g, gn, gd = sp.get((a, k)), sp.get(("nginx", k)), sp.get(("direct", k))
        if g and gn and gd:
            gp50.append(g["p50_us"] / 1000); gp50r.append(g["p50_us"] / gn["p50_us"])
            gadded.append((g["p50_us"] - gd["p50_us"]) / 1000)
            errs += g["failures"]
    summary[a] = {"c1_p50_ms": med(p50), "c1_p99_ms": med(p99), "c1_p50_vs_nginx": med(p50r),
                  "c1_p99_vs_nginx": med(p99r), "first_token_p50_ms": med(ttft), "added_ttft_ms": med(added),
                  "c1_p99_ms_rounds": [round(x, 3) for x in p99], "c1_p99_vs_nginx_rounds": [round(x, 2) for x in p99r], "c1_p50_vs_nginx_rounds": [round(x, 2) for x in p50r],
                  "added_ttft_ms_rounds": [round(x, 3) for x in added],
                  "spaced_p50_ms": med(gp50), "spaced_p50_vs_nginx": med(gp50r), "spaced_added_p50_ms": med(gadded),
                  "spaced_p50_vs_nginx_rounds": [round(x, 2) for x in gp50r], "spaced_added_p50_ms_rounds": [round(x, 3) for x in gadded],
                  "errors": errs}
# A/B: each arm against a reference arm of the same round: "base" (another jar) when there is one,
# else meta["ref"] (e.g. the default collector among GC variants).
ref = "base" if "base" in arms else meta.get("ref")
if ref in arms:
    for a in arms:
        r50, r99, dt, g50 = [], [], [], []
        for k in rounds:
            w, b = lat.get((a, k)), lat.get((ref, k))
            if w and b:
                r50.append(w["lat_p50_us"] / b["lat_p50_us"]); r99.append(w["lat_p99_us"] / b["lat_p99_us"])
            s1, sb = st.get((a, k)), st.get((ref, k))
            if s1 and sb:
                dt.append(s1["first_content_p50_ms"] - sb["first_content_p50_ms"])
            g1, gb = sp.get((a, k)), sp.get((ref, k))
            if g1 and gb:
                g50.append(g1["p50_us"] / gb["p50_us"])
        summary[a].update({"c1_p50_vs_base": med(r50), "c1_p99_vs_base": med(r99), "first_token_minus_base_ms": med(dt),
                           "c1_p50_vs_base_rounds": [round(x, 2) for x in r50], "c1_p99_vs_base_rounds": [round(x, 2) for x in r99],
                           "first_token_minus_base_ms_rounds": [round(x, 3) for x in dt],
                           "spaced_p50_vs_base": med(g50), "spaced_p50_vs_base_rounds": [round(x, 2) for x in g50]})
meta["load1_min_max"] = [min(loads), max(loads)] if loads else None
steals = [r["steal_percent"] for r in rows if "steal_percent" in r]  # CPU taken by other guests, c=1 windows
meta["steal_percent_min_median_max"] = [min(steals), statistics.median(steals), max(steals)] if steals else None
json.dump({"meta": meta, "summary": summary, "raw": rows}, open(out_json, "w"), indent=1)
with open(out_md, "w") as f:
    f.write(f"# Latency at low load ({meta['date']}, commit {meta['commit']})\n\n")
    f.write(f"{meta['rounds']} rounds, arms alternated (order rotated), wrk c=1 {meta['lat_s']} s per arm per round, "
            f"{meta['streams']} streams per arm per round ({meta['stream_fault']}); {meta['cpus']} cores shared with other work, "
            f"load average before {meta['load_before']}, after {meta['load_after']}, 1-min load during rounds "
            f"{meta['load1_min_max']}"
            + (f", CPU stolen by other guests during the c=1 windows (min, median, max %) {meta['steal_percent_min_median_max']}"
               if meta.get("steal_percent_min_median_max") else "")
            + ". Medians over rounds of same-round figures.\n\n")
    f.write("| arm | c=1 p50 ms | c=1 p99 ms | p50 / nginx | p99 / nginx | p99 / nginx per round | first token p50 ms | added TTFT ms | errors |\n")
    f.write("|---|---|---|---|---|---|---|---|---|\n")
    for a in arms:
        s = summary[a]
        f.write(f"| {a} | {s['c1_p50_ms']} | {s['c1_p99_ms']} | {s['c1_p50_vs_nginx']} | {s['c1_p99_vs_nginx']} | "
                f"{s['c1_p99_vs_nginx_rounds']} | {s['first_token_p50_ms']} | {s['added_ttft_ms']} | {s['errors']} |\n")
    if any(summary[a]["spaced_p50_ms"] is not None for a in arms):
        f.write(f"\nSpaced requests: {meta.get('gap_n')} per arm per round, one at a time, {meta.get('gap_ms')} ms apart "
                "(clients/GapProbe.java): each finds the caches cold, as sporadic traffic does.\n\n"
                "| arm | p50 ms | p50 / nginx | per round | added over direct, ms | per round |\n|---|---|---|---|---|---|\n")
        for a in arms:
            s = summary[a]
            f.write(f"| {a} | {s['spaced_p50_ms']} | {s['spaced_p50_vs_nginx']} | {s['spaced_p50_vs_nginx_rounds']} | "
                    f"{s['spaced_added_p50_ms']} | {s['spaced_added_p50_ms_rounds']} |\n")
    compared = [a for a in arms if a not in (ref, "direct", "nginx", "vertx")]
    if ref in arms and compared:
        f.write(f"\nA/B against `{ref}` (same-round ratios, median over rounds; per-round values in brackets):\n\n")
        spaced = any(summary[a]["spaced_p50_vs_base"] is not None for a in compared)  # GAP_MS=0: no column
        f.write(f"| arm | c=1 p50 / {ref} | c=1 p99 / {ref} | first token − {ref}, ms |"
                + (f" spaced p50 / {ref} |" if spaced else "") + "\n|---|---|---|---|" + ("---|" if spaced else "") + "\n")
        for a in compared:
            s = summary[a]
            f.write(f"| {a} | {s['c1_p50_vs_base']} {s['c1_p50_vs_base_rounds']} | {s['c1_p99_vs_base']} {s['c1_p99_vs_base_rounds']} | "
                    f"{s['first_token_minus_base_ms']} {s['first_token_minus_base_ms_rounds']} |"
                    + (f" {s['spaced_p50_vs_base']} {s['spaced_p50_vs_base_rounds']} |" if spaced else "") + "\n")
    f.write("\nSluice arms: " + "; ".join(f"`{x['name']}`: {x['jar']} ({x['java']} {x['opts']})"
                                        + (f", its ledger started as a copy of {x['seed']}" if x.get("seed") else "")
                                        for x in meta["sluice_arms"]) + "\n")
    if meta.get("gc_logs"):
        f.write("\nGC during the measured rounds (-Xlog:gc; pauses as logged, stretched by the machine's load; "
                "ZGC logs no pause times at this level):\n\n| arm | collections | pauses | pause total ms | max ms | mean ms | heap after last GC MB |\n|---|---|---|---|---|---|---|\n")
        for a, g in meta["gc_logs"].items():
            f.write(f"| {a} | {g['collections']} | {g['pauses']} | {g['pause_total_ms']} | {g['pause_max_ms']} | {g['pause_mean_ms']} | {g['heap_after_last_mb']} |\n")
    f.write("\nJVM at the end (jstat young/full GCs, total GC s; RSS kB): " + json.dumps(meta["jvm"]) + "\n")
