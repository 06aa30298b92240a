"""Summarises the -Xlog:gc files of bench/latency/run.sh's Sluice arms (work/gc-<arm>.log): number of
collections, stop-the-world pauses (count, total, max, mean; as the collectors log them at -Xlog:gc —
ZGC logs no pause times there, its pauses are sub-millisecond by design), the live heap after the
last collection. Only what was logged after SINCE counts (the measured rounds, not start-up and
warm-up): SINCE is a Unix time for logs with the `time` decorator (run.sh's), or "uptime:N" seconds.
Usage: gclogs.py WORKDIR [SINCE] (prints JSON)."""
import datetime, glob, json, os, re, sys

since = sys.argv[2] if len(sys.argv) > 2 else "0"
def counted(line):
    t = re.match(r"\[(\d{4}-\d\d-\d\dT[\d:.]+[+-]\d{4})\]", line)
    if since.startswith("uptime:"):
        u = re.search(r"\[([\d.]+)s\]", line)
        return u is not None and float(u.group(1)) >= float(since[7:])
    if t:
        return datetime.datetime.strptime(t.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() >= float(since)
    return True

out = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "gc-*.log"))):
    arm = os.path.basename(path)[3:-4]
    pauses, collections, after = [], set(), None
    for line in open(path, errors="replace"):
        m = re.search(r"GC\((\d+)\) (.*)", line)
        if not m or not counted(line):
            continue
        collections.add(m.group(1))
        text = m.group(2)
        p = re.search(r"Pause .* ([0-9.]+)ms$", text.strip())
        if p:
            pauses.append(float(p.group(1)))
        a = re.search(r"->(\d+)M", text)
        if a:
            after = int(a.group(1))
    out[arm] = {"collections": len(collections), "pauses": len(pauses),
                "pause_total_ms": round(sum(pauses), 1), "pause_max_ms": round(max(pauses), 2) if pauses else None,
                "pause_mean_ms": round(sum(pauses) / len(pauses), 2) if pauses else None, "heap_after_last_mb": after}
print(json.dumps(out))
