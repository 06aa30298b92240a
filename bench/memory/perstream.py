"""Live heap per open stream from two bench/memory/run.sh breakdowns of one arm at different levels:
(histogram at the higher level - histogram at the lower) / (streams open at the higher - at the lower),
per class. Streams open = the live `dev.sluice.pipeline.Exchange`s in the histogram (one per client
request in progress), so streams that had not opened yet or had already ended do not count. (Open
descriptors / 2 undercounts them once the upstream is HTTP/2, HOLD_TLS=1, where streams share
connections; it is the fallback for a histogram without the class.)
Usage: perstream.py WORKDIR ARM LOW HIGH [ROUND]   (prints a table; run.sh's file names)"""
import collections, re, sys

work, arm, low, high = sys.argv[1:5]; rnd = sys.argv[5] if len(sys.argv) > 5 else "1"
def load(level):
    tag = f"{work}/{arm}-{level}-r{rnd}"
    fds = int(re.search(r"^fds: (\d+)", open(tag + ".breakdown.txt").read(), re.M).group(1))
    h = collections.Counter(); n = collections.Counter()
    for line in open(tag + ".histogram.txt"):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            n[m.group(3)] += int(m.group(1)); h[m.group(3)] += int(m.group(2))
    return fds, h, n
f1, h1, n1 = load(low); f2, h2, n2 = load(high)
EXCHANGE = "dev.sluice.pipeline.Exchange"
streams = n2[EXCHANGE] - n1[EXCHANGE] if n2[EXCHANGE] > n1[EXCHANGE] else (f2 - f1) / 2
total = (sum(h2.values()) - sum(h1.values())) / streams
print(f"{arm}: descriptors {f1} -> {f2}, {streams:.0f} more streams open; live heap {sum(h1.values())/2**20:.1f} -> "
      f"{sum(h2.values())/2**20:.1f} MiB: {total:.0f} B per open stream")
rows = sorted(((h2[k] - h1[k]) / streams, (n2[k] - n1[k]) / streams, k) for k in set(h1) | set(h2))[::-1]
print(f"{'B/stream':>9} {'objs/stream':>11}  class")
for b, c, k in rows[:int(sys.argv[6]) if len(sys.argv) > 6 else 40]:
    print(f"{b:9.0f} {c:11.2f}  {k}")
