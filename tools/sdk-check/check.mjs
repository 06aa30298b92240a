import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
const base = process.env.BASE;
const key = "sk-sluice-demo";
const oa = new OpenAI({ baseURL: base + "/v1", apiKey: key, maxRetries: 0 });
const an = new Anthropic({ baseURL: base, apiKey: key, maxRetries: 0 });
const r1 = await oa.chat.completions.create({ model: "demo", messages: [{ role: "user", content: "Hello SDK" }] });
console.log("openai whole:", r1.choices[0].message.content, r1.usage);
let text = "";
const s1 = await oa.chat.completions.create({ model: "demo", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hello stream" }] });
let usage;
for await (const c of s1) { text += c.choices[0]?.delta?.content ?? ""; if (c.usage) usage = c.usage; }
console.log("openai stream:", text, usage);
const tc = await oa.chat.completions.create({ model: "demo", messages: [{ role: "user", content: "weather?" }], tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }], tool_choice: "required" });
console.log("openai tool:", JSON.stringify(tc.choices[0].message.tool_calls), tc.choices[0].finish_reason);
const rr = await oa.responses.create({ model: "demo", instructions: "Be terse.", input: "Hello Responses" });
console.log("responses whole:", rr.output_text, rr.status, rr.usage);
const rs = await oa.responses.create({ model: "demo", input: "Hello Responses stream", stream: true });
let rtext = "", rdone;
const rtypes = [];
for await (const e of rs) { rtypes.push(e.type); if (e.type === "response.output_text.delta") rtext += e.delta; if (e.type === "response.completed") rdone = e.response; }
console.log("responses stream:", rtext, rtypes.length, "events, first", rtypes[0], "last", rtypes.at(-1), rdone?.usage);
const rt = await oa.responses.create({ model: "demo", input: "weather?", tools: [{ type: "function", name: "get_weather", parameters: { type: "object", properties: {} }, strict: false }], tool_choice: "required" });
const call = rt.output.find(i => i.type === "function_call");
console.log("responses tool:", JSON.stringify(call));
const rt2 = await oa.responses.create({ model: "demo", input: [{ role: "user", content: "weather?" }, call, { type: "function_call_output", call_id: call?.call_id, output: "sunny" }] });
console.log("responses tool output round trip:", rt2.output_text);
try { await oa.responses.create({ model: "demo", input: "x", previous_response_id: "resp_123" }); } catch (e) { console.log("responses refused:", e.status, e.error?.message ?? e.message); }
const m1 = await an.messages.create({ model: "demo", max_tokens: 100, messages: [{ role: "user", content: "Hello Claude SDK" }] });
console.log("anthropic whole:", m1.content[0].text, m1.stop_reason, m1.usage);
const st = an.messages.stream({ model: "demo", max_tokens: 100, messages: [{ role: "user", content: "Hello Claude stream" }] });
st.on("text", () => {});
const fin = await st.finalMessage();
console.log("anthropic stream:", fin.content[0].text, fin.stop_reason, fin.usage);
const tm = await an.messages.create({ model: "demo", max_tokens: 100, tools: [{ name: "get_weather", input_schema: { type: "object", properties: {} } }], tool_choice: { type: "any" }, messages: [{ role: "user", content: "weather?" }] });
console.log("anthropic tool:", JSON.stringify(tm.content), tm.stop_reason);
const ts = an.messages.stream({ model: "demo", max_tokens: 100, tools: [{ name: "get_weather", input_schema: { type: "object", properties: {} } }], tool_choice: { type: "any" }, messages: [{ role: "user", content: "weather?" }] });
const tfin = await ts.finalMessage();
console.log("anthropic tool stream:", JSON.stringify(tfin.content), tfin.stop_reason);
const ct = await an.messages.countTokens({ model: "demo", messages: [{ role: "user", content: "Count these tokens please" }] });
console.log("count_tokens:", ct);
const models = await an.models.list();
console.log("anthropic models:", models.data.map(m => m.id));
try { await oa.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }); } catch (e) { console.log("openai error:", e.status, e.error?.code ?? e.code); }
try { await an.messages.create({ model: "nope", max_tokens: 5, messages: [{ role: "user", content: "x" }] }); } catch (e) { console.log("anthropic error:", e.status, e.error?.error?.type, "request id:", e.requestID ?? e.request_id); }
