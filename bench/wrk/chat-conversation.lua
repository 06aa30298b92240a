-- wrk script: chat.lua (headers, status counting, the one-line JSON summary) with another body: the
-- fourth turn of a support conversation, ~4 kB, a system prompt and three earlier exchanges sent
-- again as chat clients do. Environment: as chat.lua (BENCH_MODEL, BENCH_HEADERS).
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
dofile(dir .. "/chat.lua")
local model = os.getenv("BENCH_MODEL") or "gpt-4o-mini"
local para = "Our return policy allows returns within thirty days of delivery for unused items in their " ..
  "original packaging; refunds go to the original payment method within five business days. "
local messages = { '{"role":"system","content":"' .. string.rep(para, 6) .. '"}' }
for turn = 0, 2 do
  messages[#messages + 1] = '{"role":"user","content":"Question ' .. turn .. ': ' .. string.rep(para, 2) .. '"}'
  messages[#messages + 1] = '{"role":"assistant","content":"' .. string.rep(para, 3) .. '"}'
end
messages[#messages + 1] = '{"role":"user","content":"And for gifts?"}'
wrk.body = '{"model":"' .. model .. '","messages":[' .. table.concat(messages, ",") .. '],"max_tokens":64}'
