package dev.sluice.observe.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.requestlog.RequestDetail;
import dev.sluice.store.requestlog.RequestPage;
import dev.sluice.store.requestlog.RequestRow;
import java.math.BigDecimal;

/**
 * The JSON of the request log, shared by the admin API ({@code /admin/requests}) and the client-key
 * routes ({@code /v1/sluice/requests}). Durations leave as milliseconds with microsecond decimals,
 * money as decimal USD strings made from the integer micros. Stateless.
 */
public final class RequestLogViews {
  private RequestLogViews() {}

  /** A page: {@code {"object":"list","data":[…],"has_more":…,"next_cursor":…}}. */
  public static ObjectNode page(RequestPage page) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    page.rows().forEach(r -> data.add(summary(r)));
    o.put("has_more", page.next() != null);
    if (page.next() == null) {
      o.putNull("next_cursor");
    } else {
      o.put("next_cursor", page.next().cursor());
    }
    return o;
  }

  /** One request as the list shows it. */
  public static ObjectNode summary(RequestRow r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.request");
    o.put("id", r.id());
    o.put("created_at", r.ts().toString());
    o.put("endpoint", r.endpoint());
    nullable(o, "key", r.keyName());
    nullable(o, "team", r.team());
    nullable(o, "model", r.model());
    if (r.provider() == null) {
      o.putNull("served_by");
    } else {
      ObjectNode served = o.putObject("served_by");
      served.put("provider", r.provider());
      nullable(served, "model", r.targetModel());
    }
    o.put("status", r.status());
    nullable(o, "error_class", r.errorClass());
    o.put("stream", r.stream());
    o.put("client_disconnected", r.clientDisconnected());
    o.put("latency_ms", ms(r.latencyMicros()));
    if (r.ttftMicros() == null) {
      o.putNull("ttft_ms");
    } else {
      o.put("ttft_ms", ms(r.ttftMicros()));
    }
    o.put("queue_wait_ms", ms(r.queueWaitMicros()));
    o.put("overhead_ms", ms(r.overheadMicros()));
    tokens(o, r.inputTokens(), r.outputTokens(), r.cachedReadTokens(), r.cacheWriteTokens(), r.reasoningTokens());
    o.put("cost_usd", usd(r.costMicros()));
    o.put("attempts", r.attempts());
    return o;
  }

  /**
   * One request with its timeline (queue wait, then each attempt's start, first token and end as
   * milliseconds after the request arrived, its outcome and cost, and which attempt answered) and
   * its stored bodies ({@code null} when none were kept or they have aged out).
   */
  public static ObjectNode detail(RequestDetail d) {
    RequestRow r = d.request();
    ObjectNode o = summary(r);
    ObjectNode timeline = o.putObject("timeline");
    timeline.put("queue_wait_ms", ms(r.queueWaitMicros()));
    Integer winner = null;
    ArrayNode attempts = timeline.putArray("attempts");
    long arrived = r.ts().toEpochMilli();
    for (LedgerRow a : d.attempts()) {
      boolean won = a.outcome() == Outcome.OK;
      if (won && winner == null) {
        winner = a.attemptNo();
      }
      ObjectNode x = attempts.addObject();
      x.put("attempt", a.attemptNo());
      x.put("kind", kind(a));
      x.put("model_entry", a.modelEntry());
      x.put("provider", a.provider());
      x.put("model", a.targetModel());
      if (a.startedAt() == null) {
        x.putNull("started_at");
        x.putNull("start_ms");
        x.putNull("first_token_ms");
        x.putNull("end_ms");
      } else {
        long start = a.startedAt().toEpochMilli() - arrived;
        x.put("started_at", a.startedAt().toString());
        x.put("start_ms", start);
        if (a.ttftMs() == null) {
          x.putNull("first_token_ms");
        } else {
          x.put("first_token_ms", start + a.ttftMs());
        }
        x.put("end_ms", start + a.latencyMs());
      }
      x.put("latency_ms", a.latencyMs());
      if (a.ttftMs() == null) {
        x.putNull("ttft_ms");
      } else {
        x.put("ttft_ms", a.ttftMs());
      }
      x.put("status", a.status());
      x.put("outcome", a.outcome().wire());
      nullable(x, "error_class", a.errorClass());
      tokens(x, a.inputTokens(), a.outputTokens(), a.cachedReadTokens(), a.cacheWriteTokens(), a.reasoningTokens());
      x.put("cost_usd", usd(a.costMicros()));
      x.put("price_known", a.priceKnown());
      x.put("estimated", a.estimated());
      x.put("retry", a.retry());
      x.put("hedge", a.hedge());
      x.put("fallback", a.fallback());
      x.put("won", won);
    }
    if (winner == null) {
      timeline.putNull("winner");
    } else {
      timeline.put("winner", winner);
    }
    RequestRow.Bodies b = r.bodies();
    if (b == null) {
      o.putNull("bodies");
    } else {
      ObjectNode bodies = o.putObject("bodies");
      nullable(bodies, "request", b.request());
      nullable(bodies, "response", b.response());
      bodies.put("request_truncated", b.requestTruncated());
      bodies.put("response_truncated", b.responseTruncated());
    }
    return o;
  }

  /**
   * Why an attempt was made: {@code first}; {@code retry} (the same target again); {@code failover}
   * (the next target of the same model entry); {@code fallback} (a target of a fallback model entry);
   * {@code hedge} (a parallel attempt because the first was slow).
   */
  static String kind(LedgerRow a) {
    if (a.hedge()) {
      return "hedge";
    }
    if (a.fallback()) {
      return "fallback";
    }
    if (a.retry()) {
      return "retry";
    }
    return a.attemptNo() == 1 ? "first" : "failover";
  }

  private static void tokens(ObjectNode o, long input, long output, long cachedRead, long cacheWrite, long reasoning) {
    ObjectNode t = o.putObject("tokens");
    t.put("input", input);
    t.put("output", output);
    t.put("cached_read", cachedRead);
    t.put("cache_write", cacheWrite);
    t.put("reasoning", reasoning);
  }

  /** Milliseconds from microseconds, three decimals (a display value, not money). */
  private static double ms(long micros) {
    return micros / 1000.0;
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static void nullable(ObjectNode o, String field, String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
