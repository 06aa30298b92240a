"""Folds a bench/latency/gc-young.sh run (WORKDIR: raw.jsonl, rss.jsonl, arms.tsv, gc-ARM.log with
-Xlog:gc*,gc+age=trace:...:time,uptime) into JSON on stdout. Only collections that end inside an
arm's own wrk c=1 windows count. Per arm: requests, young/full collections, and per 10,000
requests young collections, bytes left in the survivor space (the age table's total) and bytes
promoted to the old generation (its growth across young collections) -- counts the machine's load
does not change; pause p50/p99/max and the share of window time spent in pauses (load-dependent:
compare within one run). Usage: gc-young.py WORKDIR META_JSON"""
import datetime, json, os, re, statistics, sys

work, meta = sys.argv[1], json.loads(sys.argv[2])
raw = [json.loads(l) for l in open(os.path.join(work, "raw.jsonl")) if l.strip()]
rss = {r["arm"]: r["rss_kb"] for r in (json.loads(l) for l in open(os.path.join(work, "rss.jsonl")) if l.strip())}
opts = dict(l.rstrip("\n").split("\t", 1) for l in open(os.path.join(work, "arms.tsv")) if l.strip())
TS = re.compile(r"^\[(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4})\]")
K = lambda s: int(s) * 1024

def collections(path):
    """GC id -> {t, kind, pause_ms, survivor, promoted, eden_kb}"""
    gcs = {}
    for line in open(path, errors="replace"):
        m = re.search(r"GC\((\d+)\) (.*)$", line)
        if not m:
            continue
        g = gcs.setdefault(int(m.group(1)), {"survivor": 0})
        text = m.group(2).strip()
        p = re.match(r"Pause (Young|Full)\b.* ([0-9.]+)ms$", text)
        if p:
            g["kind"], g["pause_ms"] = p.group(1).lower(), float(p.group(2))
            g["t"] = datetime.datetime.strptime(TS.match(line).group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        a = re.match(r"- age +\d+: +\d+ bytes, +(\d+) total", text)
        if a:
            g["survivor"] = int(a.group(1))
        o = re.match(r"(Tenured|ParOldGen|PSOldGen): (\d+)K\(\d+K\)->(\d+)K", text)
        if o:
            g["promoted"] = K(o.group(3)) - K(o.group(2))
        e = re.match(r"(DefNew|PSYoungGen): .*?Eden: \d+K\((\d+)K\)", text)
        if e:
            g["eden_kb"] = int(e.group(2))
        ps = re.match(r"PSYoungGen: (\d+)K\((\d+)K\)->(\d+)K", text)
        if ps and "survivor" in g and g["survivor"] == 0:
            g["survivor"] = K(ps.group(3))
    return [g for g in gcs.values() if "t" in g]

out = {"meta": meta, "arms": {}}
for arm in opts:
    wins = [r for r in raw if r["arm"] == arm]
    req = sum(r["wrk"]["requests"] for r in wins)
    secs = sum(r["t1"] - r["t0"] for r in wins)
    inside = [g for g in collections(os.path.join(work, f"gc-{arm}.log"))
              if any(w["t0"] <= g["t"] <= w["t1"] for w in wins)]
    young = [g for g in inside if g["kind"] == "young"]
    pauses = sorted(g["pause_ms"] for g in inside)
    per10k = lambda x: round(x * 10000 / req, 2) if req else None
    q = lambda p: round(pauses[min(len(pauses) - 1, int(p * len(pauses)))], 3) if pauses else None
    out["arms"][arm] = {
        "opts": opts[arm], "requests": req, "window_s": round(secs, 1), "rps": round(req / secs, 1) if secs else None,
        "young": len(young), "full": len(inside) - len(young),
        "young_per_10k_req": per10k(len(young)),
        "eden_mb": round(statistics.median([g.get("eden_kb", 0) for g in young]) / 1024, 1) if young else None,
        "survivor_kb_per_young": round(statistics.mean(g["survivor"] for g in young) / 1024, 1) if young else None,
        "survivor_kb_per_10k_req": per10k(sum(g["survivor"] for g in young) / 1024),
        "promoted_kb_per_10k_req": per10k(sum(max(0, g.get("promoted", 0)) for g in young) / 1024),
        "pause_p50_ms": q(0.5), "pause_p99_ms": q(0.99), "pause_max_ms": pauses[-1] if pauses else None,
        "pause_share_pct": round(100 * sum(pauses) / 1000 / secs, 3) if secs else None,
        "wrk_p99_us_median": statistics.median(r["wrk"]["lat_p99_us"] for r in wins) if wins else None,
        "wrk_p50_us_median": statistics.median(r["wrk"]["lat_p50_us"] for r in wins) if wins else None,
        "rss_after_mb": round(rss.get(arm, 0) / 1024, 1),
    }
# same-round p99 ratio to the first arm (the base), median over rounds
first = next(iter(opts))
for arm in out["arms"]:
    rs = []
    for r in {w["round"] for w in raw}:
        a = [w for w in raw if w["arm"] == arm and w["round"] == r]; b = [w for w in raw if w["arm"] == first and w["round"] == r]
        if a and b and b[0]["wrk"]["lat_p99_us"]:
            rs.append(a[0]["wrk"]["lat_p99_us"] / b[0]["wrk"]["lat_p99_us"])
    out["arms"][arm]["p99_over_" + first + "_median"] = round(statistics.median(rs), 3) if rs else None
print(json.dumps(out, indent=1))
