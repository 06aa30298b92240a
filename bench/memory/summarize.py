#!/usr/bin/env python3
"""Folds a bench/memory/run.sh work directory into one JSON document (stdout): per run the load
result, RSS, GC pauses, NMT committed per category, the live heap and its per-connection items."""
import json, re, sys, pathlib

work = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "bench/memory/work")
runs = []
for line in (work / "results.jsonl").read_text().splitlines():
    r = json.loads(line)
    tag = f"{r['arm']}-{r['level']}-r{r['round']}"
    b = (work / f"{tag}.breakdown.txt")
    h = (work / f"{tag}.histogram.txt")
    if b.exists():
        text = b.read_text()
        r["nmt_committed_mb"] = {m.group(1).strip(): round(int(m.group(2)) / 1024, 1)
                                 for m in re.finditer(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB\)", text, re.M)}
        m = re.search(r"^fds: (\d+)", text, re.M)
        r["fds_at_breakdown"] = int(m.group(1)) if m else None
        r["largest_mappings_kb_resident"] = [int(m.group(1)) for m in
            re.finditer(r"^[0-9a-f]{16}\s+\d+\s+(\d+)\s+\d+", text, re.M)][:6]
    if h.exists():
        rows = {}
        total = 0
        for line2 in h.read_text().splitlines():
            p = line2.split()
            if len(p) >= 4 and p[0].endswith(":"):
                rows[p[3]] = (int(p[1]), int(p[2]))
            elif p and p[0] == "Total":
                total = int(p[2])
        channels = rows.get("io.netty.channel.socket.nio.NioSocketChannel", (0, 0))[0]
        queues = rows.get("io.netty.util.internal.shaded.org.jctools.queues.MpscUnboundedArrayQueue", (0, 0))
        r["live_heap_mb"] = round(total / 1048576, 1)
        r["open_sockets"] = channels
        r["live_bytes_per_socket"] = round(total / channels) if channels else None
        r["default_write_queues"] = queues[0]
        r["object_arrays_mb"] = round(rows.get("[Ljava.lang.Object;", (0, 0))[1] / 1048576, 1)
    runs.append(r)
json.dump({"runs": runs}, sys.stdout, indent=1)
print()
