package dev.sluice.observe.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.requestlog.RequestRow;
import java.time.Instant;

/** A request-log row's fields in a journal line (see {@link JournalCodec}); bodies are stored already redacted. */
final class RequestLineCodec {
  private RequestLineCodec() {}

  static String encode(RequestRow r, ObjectNode o) {
    o.put("id", r.id());
    o.put("ts", r.ts().toEpochMilli());
    o.put("endpoint", r.endpoint());
    o.put("key_name", r.keyName());
    o.put("key_id", r.keyId());
    o.put("team", r.team());
    o.put("model", r.model());
    o.put("provider", r.provider());
    o.put("target_model", r.targetModel());
    o.put("status", r.status());
    o.put("error_class", r.errorClass());
    o.put("stream", r.stream());
    o.put("client_disconnected", r.clientDisconnected());
    o.put("latency_us", r.latencyMicros());
    o.put("ttft_us", r.ttftMicros());
    o.put("queue_wait_us", r.queueWaitMicros());
    o.put("overhead_us", r.overheadMicros());
    o.put("input_tokens", r.inputTokens());
    o.put("output_tokens", r.outputTokens());
    o.put("cached_read_tokens", r.cachedReadTokens());
    o.put("cache_write_tokens", r.cacheWriteTokens());
    o.put("reasoning_tokens", r.reasoningTokens());
    o.put("cost_micros", r.costMicros());
    o.put("attempts", r.attempts());
    RequestRow.Bodies b = r.bodies();
    if (b != null) {
      ObjectNode bodies = o.putObject("bodies");
      bodies.put("request", b.request());
      bodies.put("response", b.response());
      bodies.put("request_truncated", b.requestTruncated());
      bodies.put("response_truncated", b.responseTruncated());
    }
    return o.toString();
  }

  static RequestRow decode(JsonNode o) {
    try {
      JsonNode b = o.get("bodies");
      RequestRow.Bodies bodies = b == null || b.isNull() ? null : new RequestRow.Bodies(JournalCodec.text(b, "request"),
          JournalCodec.text(b, "response"), b.get("request_truncated").asBoolean(),
          b.get("response_truncated").asBoolean());
      return new RequestRow(JournalCodec.text(o, "id"), Instant.ofEpochMilli(o.get("ts").asLong()),
          JournalCodec.text(o, "endpoint"), JournalCodec.text(o, "key_name"), JournalCodec.text(o, "key_id"),
          JournalCodec.text(o, "team"), JournalCodec.text(o, "model"), JournalCodec.text(o, "provider"),
          JournalCodec.text(o, "target_model"), o.get("status").asInt(), JournalCodec.text(o, "error_class"),
          o.get("stream").asBoolean(), o.get("client_disconnected").asBoolean(), o.get("latency_us").asLong(),
          o.hasNonNull("ttft_us") ? o.get("ttft_us").asLong() : null, o.get("queue_wait_us").asLong(),
          o.get("overhead_us").asLong(), o.get("input_tokens").asLong(), o.get("output_tokens").asLong(),
          o.get("cached_read_tokens").asLong(), o.get("cache_write_tokens").asLong(),
          o.get("reasoning_tokens").asLong(), o.get("cost_micros").asLong(), o.get("attempts").asInt(), bodies);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException("incomplete journal line: " + e.getMessage(), e);
    }
  }
}
