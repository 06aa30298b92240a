package dev.sluice.store.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stats API's parameters and answer (the HTTP side of {@link StatsQuery} and {@link StatsCell}),
 * shared by {@code GET /admin/stats} (every key) and
 * {@code GET /v1/sluice/stats} (the calling key's own, with {@link #TENANT} and a key filter the
 * caller cannot change). Parameters:
 *
 * <ul>
 *   <li>{@code metric}: {@code latency | ttft | overhead} (count, p50, p90, p95, p99, max in ms),
 *       {@code requests}, {@code errors} (with requests, and {@code error_classes}: the errors by
 *       class), {@code tokens} (input, output), {@code cost} (micro-USD and USD); default
 *       {@code latency};
 *   <li>{@code group_by}: {@code model | provider | target | key | team | none} (default none), and
 *       for {@code metric=errors} also {@code error_class}: a series per class, each point its
 *       errors and the bucket's requests;
 *   <li>{@code from}, {@code to}: ISO-8601 instants, dates or epoch milliseconds; rounded out to
 *       whole minutes; default the last hour;
 *   <li>{@code step}: {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d} …; default the smallest of
 *       1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d giving at most 300 points;
 *   <li>{@code model}, {@code provider}, {@code key}, {@code team}: only requests with that value.
 * </ul>
 *
 * Buckets without requests are left out. Every problem is a {@link BadParam} naming the parameter.
 * Stateless.
 */
public final class StatsParams {
  public static final int MAX_DEFAULT_POINTS = 300;
  public static final long MAX_BUCKETS = 10_000;
  /** What the admin API accepts. */
  public static final Set<String> ADMIN = Set.of("metric", "group_by", "from", "to", "step", "model", "provider",
      "key", "team");
  /** What a client key accepts: its own numbers only, so no key or team. */
  public static final Set<String> TENANT = Set.of("metric", "group_by", "from", "to", "step", "model", "provider");
  private static final List<String> METRICS = List.of("latency", "ttft", "overhead", "requests", "errors", "tokens",
      "cost");
  private static final String ERROR_CLASS = "error_class";
  private static final int[] NICE_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440};
  private static final Pattern STEP = Pattern.compile("([1-9][0-9]{0,6})([mhd])");
  private static final Map<String, StatsDimension> FILTERS = Map.of("model", StatsDimension.MODEL, "provider",
      StatsDimension.PROVIDER, "key", StatsDimension.KEY, "team", StatsDimension.TEAM);

  private StatsParams() {}

  /** A parameter that cannot be used. */
  public static final class BadParam extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    public final String param;

    BadParam(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /**
   * A parsed request: the store query and what the answer echoes.
   *
   * @param byErrorClass {@code group_by=error_class}: the store query has no group and asks for the
   *     errors by class, which the answer turns into one series per class
   */
  public record Request(String metric, StatsQuery query, String step, boolean byErrorClass) {}

  /**
   * The request {@code params} make, among {@code allowed} ({@link #ADMIN} or {@link #TENANT});
   * {@code now} is the default end.
   */
  public static Request parse(MultiMap params, Set<String> allowed, Instant now) {
    for (String p : params.names()) {
      if (!allowed.contains(p)) {
        throw new BadParam(p, "Unknown parameter '" + p + "'; allowed: "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (params.getAll(p).size() > 1) {
        throw new BadParam(p, "Give '" + p + "' once");
      }
    }
    String metric = lower(params.get("metric"), "latency");
    if (!METRICS.contains(metric)) {
      throw new BadParam("metric", "metric must be one of " + String.join(", ", METRICS) + ", got '"
          + params.get("metric") + "'");
    }
    String g = lower(params.get("group_by"), "none");
    boolean byErrorClass = g.equals(ERROR_CLASS);
    if (byErrorClass && !metric.equals("errors")) {
      throw new BadParam("group_by", "group_by=error_class needs metric=errors");
    }
    StatsDimension groupBy = g.equals("none") || byErrorClass ? null : StatsDimension.parse(g);
    if (groupBy == null && !g.equals("none") && !byErrorClass
        || groupBy != null && !allowed.contains(groupBy.wire()) && groupBy != StatsDimension.TARGET) {
      throw new BadParam("group_by", "group_by must be one of " + groups(allowed) + ", got '"
          + params.get("group_by") + "'");
    }
    Instant to = time(params.get("to"), "to", now);
    Instant from = time(params.get("from"), "from", to.minus(Duration.ofHours(1)));
    long fromMinute = Math.floorDiv(from.toEpochMilli(), 60_000L);
    long toMinute = Math.floorDiv(to.toEpochMilli() + 59_999L, 60_000L);
    if (!from.isBefore(to)) {
      throw new BadParam("from", "from must be before to");
    }
    long range = toMinute - fromMinute;
    String stepText = params.get("step");
    int step = stepText == null || stepText.isBlank() ? defaultStep(range) : step(stepText);
    if ((range + step - 1) / step > MAX_BUCKETS) {
      throw new BadParam("step", "step " + stepText + " gives more than " + MAX_BUCKETS
          + " points between from and to; use a larger step");
    }
    Map<StatsDimension, String> filters = new EnumMap<>(StatsDimension.class);
    FILTERS.forEach((param, d) -> {
      String v = params.get(param);
      if (v != null && !v.isBlank()) {
        filters.put(d, v.strip());
      }
    });
    StatsQuery.Timing timing = switch (metric) {
      case "latency" -> StatsQuery.Timing.LATENCY;
      case "ttft" -> StatsQuery.Timing.TTFT;
      case "overhead" -> StatsQuery.Timing.OVERHEAD;
      default -> null;
    };
    return new Request(metric, new StatsQuery(fromMinute, toMinute, step, groupBy, filters, timing,
        metric.equals("errors")), stepText(step), byErrorClass);
  }

  /** {@code r} with one more filter, which no parameter can undo: a tenant's own key. */
  public static Request only(Request r, StatsDimension d, String value) {
    StatsQuery q = r.query();
    Map<StatsDimension, String> filters = new EnumMap<>(StatsDimension.class);
    filters.putAll(q.filters());
    filters.put(d, value);
    return new Request(r.metric(), new StatsQuery(q.fromMinute(), q.toMinute(), q.stepMinutes(), q.groupBy(), filters,
        q.timing(), q.errorClasses()), r.step(), r.byErrorClass());
  }

  private static String groups(Set<String> allowed) {
    List<String> g = new ArrayList<>();
    for (StatsDimension d : StatsDimension.values()) {
      if (allowed.contains(d.wire()) || d == StatsDimension.TARGET) {
        g.add(d.wire());
      }
    }
    g.add("none");
    g.add(ERROR_CLASS + " (with metric=errors)");
    return String.join(", ", g);
  }

  /** The smallest nice step giving at most {@value #MAX_DEFAULT_POINTS} points; whole days beyond. */
  public static int defaultStep(long rangeMinutes) {
    for (int s : NICE_STEPS) {
      if ((rangeMinutes + s - 1) / s <= MAX_DEFAULT_POINTS) {
        return s;
      }
    }
    long days = (rangeMinutes + 1440L * MAX_DEFAULT_POINTS - 1) / (1440L * MAX_DEFAULT_POINTS);
    return (int) Math.min(Integer.MAX_VALUE / 1440, days) * 1440;
  }

  private static int step(String text) {
    Matcher m = STEP.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new BadParam("step", "step must be a whole number of minutes, hours or days (1m, 5m, 1h, 1d), got '"
          + text + "'");
    }
    long minutes = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "h" -> 60;
      case "d" -> 1440;
      default -> 1;
    };
    if (minutes > 366L * 1440) {
      throw new BadParam("step", "step must be at most 366d");
    }
    return (int) minutes;
  }

  private static String stepText(int minutes) {
    return minutes % 1440 == 0 ? minutes / 1440 + "d" : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
  }

  /** Epoch milliseconds (digits only), an ISO-8601 instant or a date; {@code fallback} when blank. */
  private static Instant time(String text, String param, Instant fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    String t = text.strip();
    if (t.chars().allMatch(Character::isDigit)) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(t));
      } catch (NumberFormatException e) {
        throw new BadParam(param, param + " is too large");
      }
    }
    try {
      return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadParam(param, param + " must be a date (2026-01-31), an ISO-8601 time (2026-01-31T12:00:00Z) "
          + "or epoch milliseconds, got '" + text + "'");
    }
  }

  private static String lower(String text, String fallback) {
    return text == null || text.isBlank() ? fallback : text.strip().toLowerCase(Locale.ROOT);
  }

  /** The answer to {@code r}, from the store's cells. */
  public static ObjectNode answer(Request r, List<StatsCell> cells) {
    StatsQuery q = r.query();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.stats");
    o.put("metric", r.metric());
    o.put("unit", switch (r.metric()) {
      case "latency", "ttft", "overhead" -> "ms";
      case "tokens" -> "tokens";
      case "cost" -> "usd";
      default -> "requests";
    });
    if (r.byErrorClass()) {
      o.put("group_by", ERROR_CLASS);
    } else if (q.groupBy() == null) {
      o.putNull("group_by");
    } else {
      o.put("group_by", q.groupBy().wire());
    }
    o.put("from", Instant.ofEpochMilli(q.fromMinute() * 60_000).toString());
    o.put("to", Instant.ofEpochMilli(q.toMinute() * 60_000).toString());
    o.put("step", r.step());
    ObjectNode filters = o.putObject("filters");
    q.filters().forEach((d, v) -> filters.put(d.wire(), v));
    ArrayNode series = o.putArray("series");
    if (r.byErrorClass()) {
      byErrorClass(series, cells);
      return o;
    }
    Map<String, List<StatsCell>> byGroup = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    for (StatsCell c : cells) {
      if (c.timing() == null || c.timing().count() > 0) {
        byGroup.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
      }
    }
    byGroup.forEach((group, points) -> {
      ObjectNode s = series.addObject();
      if (group == null) {
        s.putNull("group");
      } else {
        s.put("group", group);
      }
      ArrayNode p = s.putArray("points");
      points.forEach(c -> point(p.addObject(), r.metric(), c));
    });
    return o;
  }

  /** One series per error class (by name); a point per bucket with errors of that class. */
  private static void byErrorClass(ArrayNode series, List<StatsCell> cells) {
    Map<String, List<ObjectNode>> byClass = new TreeMap<>();
    for (StatsCell c : cells) {
      String t = Instant.ofEpochMilli(c.bucketMinute() * 60_000).toString();
      c.errorClasses().forEach((cls, n) -> byClass.computeIfAbsent(cls, k -> new ArrayList<>())
          .add(JsonNodeFactory.instance.objectNode().put("t", t).put("errors", n).put("requests", c.requests())));
    }
    byClass.forEach((cls, points) -> {
      ObjectNode s = series.addObject();
      s.put("group", cls);
      s.putArray("points").addAll(points);
    });
  }

  private static void point(ObjectNode p, String metric, StatsCell c) {
    p.put("t", Instant.ofEpochMilli(c.bucketMinute() * 60_000).toString());
    switch (metric) {
      case "requests" -> p.put("requests", c.requests());
      case "errors" -> {
        p.put("errors", c.errors()).put("requests", c.requests());
        ObjectNode classes = p.putObject("error_classes");
        new LinkedHashMap<>(c.errorClasses()).forEach(classes::put);
      }
      case "tokens" -> p.put("input", c.inputTokens()).put("output", c.outputTokens());
      case "cost" -> p.put("cost_micros", c.costMicros()).put("cost_usd", BigDecimal.valueOf(c.costMicros(), 6)
          .toPlainString());
      default -> {
        StatsCell.Percentiles t = c.timing();
        p.put("count", t.count()).put("p50", ms(t.p50())).put("p90", ms(t.p90())).put("p95", ms(t.p95()))
            .put("p99", ms(t.p99())).put("max", ms(t.max()));
      }
    }
  }

  private static BigDecimal ms(long micros) {
    return BigDecimal.valueOf(micros, 3);
  }
}
