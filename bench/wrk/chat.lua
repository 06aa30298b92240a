-- wrk script: POSTs a small chat-completion request and prints a one-line JSON summary.
-- Environment: BENCH_MODEL (the "model" field), BENCH_HEADERS ("name: value|name: value").
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
wrk.method = "POST"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are a helpful assistant."},' ..
  '{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":64}'
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

-- Count non-2xx answers per thread; wrk only reports them in aggregate as "non-2xx".
local bad = 0
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.1f,' ..
    '"lat_mean_us":%.1f,"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
