package dev.sluice.observe.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.store.AnswerRoute;
import dev.sluice.store.BatchRow;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.RowKind;
import dev.sluice.store.requestlog.RequestRow;
import java.time.Instant;

/**
 * One row as one line of JSON in the journal. The field names are the table's column names, plus
 * {@code "v": 1} and, for a request-log row, {@code "kind": "request"} (a line without a kind is a
 * ledger row, as every line was before the request log), so a journal stays readable by hand and
 * across versions.
 */
final class JournalCodec {
  private static final int VERSION = 1;
  private static final String KIND_REQUEST = "request";

  private JournalCodec() {}

  static String encode(BatchRow row) {
    if (row instanceof RequestRow r) {
      return RequestLineCodec.encode(r, Json.MAPPER.createObjectNode().put("v", VERSION).put("kind", KIND_REQUEST));
    }
    LedgerRow r = (LedgerRow) row;
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("v", VERSION);
    o.put("request_id", r.requestId());
    o.put("attempt_no", r.attemptNo());
    o.put("ts", r.ts().toEpochMilli());
    o.put("key_name", r.keyName());
    o.put("key_id", r.keyId());
    o.put("team", r.team());
    o.put("model_entry", r.modelEntry());
    o.put("provider", r.provider());
    o.put("target_model", r.targetModel());
    o.put("status", r.status());
    o.put("error_class", r.errorClass());
    o.put("outcome", r.outcome().wire());
    o.put("input_tokens", r.inputTokens());
    o.put("output_tokens", r.outputTokens());
    o.put("cached_read_tokens", r.cachedReadTokens());
    o.put("cache_write_tokens", r.cacheWriteTokens());
    o.put("reasoning_tokens", r.reasoningTokens());
    o.put("cost_micros", r.costMicros());
    o.put("price_known", r.priceKnown());
    o.put("estimated", r.estimated());
    o.put("latency_ms", r.latencyMs());
    o.put("ttft_ms", r.ttftMs());
    o.put("stream", r.stream());
    o.put("client_disconnected", r.clientDisconnected());
    o.put("hedge", r.hedge());
    o.put("retry", r.retry());
    o.put("fallback", r.fallback());
    if (r.startedAt() != null) {
      o.put("started_at", r.startedAt().toEpochMilli());
    }
    // "kind" names the journal line's type (ledger | request); the ledger row's own kind is "row_kind".
    if (r.kind() != RowKind.CALL) {
      o.put("row_kind", r.kind().wire());
    }
    if (r.savedMicros() != 0) {
      o.put("saved_micros", r.savedMicros());
    }
    if (r.route() != null) {
      o.put("route", r.route().wire());
    }
    putIfSet(o, "route_cost_micros", r.routeCostMicros());
    putIfSet(o, "route_baseline_micros", r.routeBaselineMicros());
    putIfSet(o, "uncached_cost_micros", r.uncachedCostMicros());
    return o.toString();
  }

  /** Decodes a line; throws {@link IllegalArgumentException} for a torn or foreign line. */
  static BatchRow decode(String line) {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.isObject() || o.path("v").asInt() != VERSION) {
      throw new IllegalArgumentException("not a version-" + VERSION + " journal line");
    }
    String kind = text(o, "kind");
    if (KIND_REQUEST.equals(kind)) {
      return RequestLineCodec.decode(o);
    }
    if (kind != null && !"ledger".equals(kind)) {
      throw new IllegalArgumentException("unknown journal row kind '" + kind + "'");
    }
    try {
      return new LedgerRow(text(o, "request_id"), o.get("attempt_no").asInt(),
          Instant.ofEpochMilli(o.get("ts").asLong()), text(o, "key_name"), text(o, "key_id"), text(o, "team"),
          text(o, "model_entry"), text(o, "provider"), text(o, "target_model"), o.get("status").asInt(),
          text(o, "error_class"), Outcome.parse(text(o, "outcome")), o.get("input_tokens").asLong(),
          o.get("output_tokens").asLong(), o.get("cached_read_tokens").asLong(),
          o.get("cache_write_tokens").asLong(), o.get("reasoning_tokens").asLong(), o.get("cost_micros").asLong(),
          o.get("price_known").asBoolean(), o.get("estimated").asBoolean(), o.get("latency_ms").asLong(),
          o.hasNonNull("ttft_ms") ? o.get("ttft_ms").asLong() : null, o.get("stream").asBoolean(),
          o.get("client_disconnected").asBoolean(), o.get("hedge").asBoolean(), o.get("retry").asBoolean(),
          o.get("fallback").asBoolean(),
          o.hasNonNull("started_at") ? Instant.ofEpochMilli(o.get("started_at").asLong()) : null,
          o.hasNonNull("row_kind") ? RowKind.parse(text(o, "row_kind")) : RowKind.CALL,
          o.path("saved_micros").asLong(0), o.hasNonNull("route") ? AnswerRoute.parse(text(o, "route")) : null,
          optionalLong(o, "route_cost_micros"), optionalLong(o, "route_baseline_micros"),
          optionalLong(o, "uncached_cost_micros"));
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException("incomplete journal line: " + e.getMessage(), e);
    }
  }

  private static void putIfSet(ObjectNode o, String field, Long v) {
    if (v != null) {
      o.put(field, v);
    }
  }

  private static Long optionalLong(JsonNode o, String field) {
    return o.hasNonNull(field) ? o.get(field).asLong() : null;
  }

  static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
