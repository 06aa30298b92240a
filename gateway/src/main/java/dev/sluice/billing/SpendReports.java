package dev.sluice.billing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.SpendQuery;
import dev.sluice.store.SpendRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON of spend reports, shared by the admin API ({@code GET /admin/spend}) and the tenant
 * route ({@code GET /v1/sluice/spend}), and the parsing of their query parameters. Money leaves as
 * decimal USD strings with six places, made from the integer micros ({@code "0.001250"}), never
 * through a floating-point number. Stateless.
 */
public final class SpendReports {
  private SpendReports() {}

  /** A query parameter that cannot be used; {@link #param} names it. */
  public static final class BadParam extends IllegalArgumentException {
    public final String param;

    public BadParam(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /**
   * {@code group_by} of {@code allowed} ({@code key}, {@code team}, {@code model}, {@code provider},
   * {@code day}); {@code fallback} when absent.
   */
  public static SpendQuery.GroupBy groupBy(String text, Set<String> allowed, String fallback) {
    String g = text == null || text.isBlank() ? fallback : text.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(g)) {
      throw new BadParam("group_by", "group_by must be one of " + String.join(", ", allowed.stream().sorted().toList())
          + ", got '" + text + "'");
    }
    return SpendQuery.GroupBy.valueOf(g.toUpperCase(Locale.ROOT));
  }

  /**
   * A time bound: an ISO-8601 instant ({@code 2026-01-31T12:00:00Z}), an offset date-time, or a
   * date ({@code 2026-01-31}, meaning its start in UTC); {@code fallback} when absent.
   */
  public static Instant time(String text, String param, Instant fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    String t = text.trim();
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadParam(param, param + " must be a date (2026-01-31) or an ISO-8601 time (2026-01-31T12:00:00Z), got '"
          + text + "'");
    }
  }

  /** The start of the budget period that contains {@code now}: the UTC day, the UTC month, or the epoch. */
  public static Instant periodStart(String period, Instant now) {
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period == null ? "monthly" : period) {
      case "daily" -> today.atStartOfDay(ZoneOffset.UTC).toInstant();
      case "total" -> Instant.EPOCH;
      default -> today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    };
  }

  /** {@code "12.345678"} from integer micro-USD. */
  public static String usd(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).toPlainString();
  }

  /** The whole report: query, one entry per group, and a total. */
  public static ObjectNode report(SpendQuery q, List<SpendRow> rows) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.spend");
    o.put("group_by", q.groupBy().name().toLowerCase(Locale.ROOT));
    o.put("from", q.from().toString());
    if (q.to() == null) {
      o.putNull("to");
    } else {
      o.put("to", q.to().toString());
    }
    if (q.keyName() != null) {
      o.put("key", q.keyName());
    }
    if (q.team() != null) {
      o.put("team", q.team());
    }
    ArrayNode data = o.putArray("data");
    long[] sum = new long[15];
    for (SpendRow r : rows) {
      data.add(row(r));
      long[] v = values(r);
      for (int i = 0; i < sum.length; i++) {
        sum[i] = Math.addExact(sum[i], v[i]);
      }
    }
    ObjectNode total = o.putObject("total");
    fill(total, sum);
    return o;
  }

  /** One group as JSON. */
  public static ObjectNode row(SpendRow r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (r.group() == null) {
      o.putNull("group");
    } else {
      o.put("group", r.group());
    }
    fill(o, values(r));
    return o;
  }

  private static long[] values(SpendRow r) {
    return new long[] {r.requests(), r.attempts(), r.inputTokens(), r.outputTokens(), r.cachedReadTokens(),
        r.cacheWriteTokens(), r.reasoningTokens(), r.costMicros(), r.answerCostMicros(), r.overheadCostMicros(),
        r.unpricedAttempts(), r.spentMicros(), r.responseCacheSavedMicros(), r.promptCacheSavedMicros(),
        r.shadowMicros()};
  }

  private static void fill(ObjectNode o, long[] v) {
    o.put("requests", v[0]);
    o.put("attempts", v[1]);
    ObjectNode tokens = o.putObject("tokens");
    tokens.put("input", v[2]);
    tokens.put("output", v[3]);
    tokens.put("cached_read", v[4]);
    tokens.put("cache_write", v[5]);
    tokens.put("reasoning", v[6]);
    o.put("cost_usd", usd(v[7]));
    o.put("answer_cost_usd", usd(v[8]));
    o.put("overhead_cost_usd", usd(v[9]));
    o.put("unpriced_attempts", v[10]);
    o.put("spent_usd", usd(v[11]));
    o.put("saved_by_response_cache_usd", usd(v[12]));
    o.put("saved_by_prompt_cache_usd", usd(v[13]));
    o.put("shadow_usd", usd(v[14]));
  }
}
