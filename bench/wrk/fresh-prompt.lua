-- wrk script: chat.lua (headers, status counting, the one-line JSON summary) with a long prompt that
-- nobody sent before on every request, as a retrieval-augmented call sends fresh documents: ~FRESH_KB
-- kB of sentences, each naming the second the run started, the request and the sentence, so no two
-- requests (of this run or an earlier one) share a text. FRESH_DELAY_MS: a connection's pause between
-- its requests (wrk's delay()), so a few connections make a light background load. Environment: as
-- chat.lua (BENCH_MODEL, BENCH_HEADERS), FRESH_KB (16), FRESH_DELAY_MS (0).
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
dofile(dir .. "/chat.lua")
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
local bytes = tonumber(os.getenv("FRESH_KB") or "16") * 1024
local pause = tonumber(os.getenv("FRESH_DELAY_MS") or "0")
local started = os.time()
local sent = 0

function request()
  sent = sent + 1
  local parts, len = {}, 0
  while len < bytes do
    local s = string.format("Report %d-%d-%d: region %d grew by %d percent while churn fell to %d. ",
      started, sent, #parts, math.random(1, 999), math.random(1, 99), math.random(1, 99))
    parts[#parts + 1] = s
    len = len + #s
  end
  return wrk.format(nil, nil, nil, '{"model":"' .. model .. '","messages":[{"role":"user","content":"' ..
    table.concat(parts) .. '"}],"max_tokens":64}')
end

if pause > 0 then
  function delay() return pause end
end
