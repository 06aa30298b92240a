-- wrk script: POSTs one deterministic chat request (temperature 0: cacheable) and prints a one-line
-- JSON summary. Environment: BENCH_MODEL, BENCH_HEADERS ("name: value|name: value"), BENCH_GET=1 for a GET.
local model = os.getenv("BENCH_MODEL") or "bench-cached"
if os.getenv("BENCH_GET") ~= "1" then
  wrk.method = "POST"
  wrk.body = '{"model":"' .. model .. '","temperature":0,"messages":[{"role":"system","content":"You are a helpful assistant."},' ..
    '{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
  wrk.headers["Content-Type"] = "application/json"
end
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"rps":%.1f,"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"err_status":%d,"err_other":%d}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(90),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
