package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.billing.SpendReports;
import dev.sluice.core.Json;
import dev.sluice.extension.GatewayView;
import dev.sluice.store.stats.StatsCell;
import dev.sluice.store.stats.StatsDimension;
import dev.sluice.store.stats.StatsQuery;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/stats}: time series of one metric from the stats rollups of every replica, per
 * bucket of {@code step} and per group. Percentiles come from the merged histograms of all rows in
 * a bucket (every replica, every minute), never from averaged percentiles. Parameters:
 *
 * <ul>
 *   <li>{@code metric}: {@code latency | ttft | overhead} (count, p50, p90, p95, p99, max in ms),
 *       {@code requests}, {@code errors} (with requests), {@code tokens} (input, output),
 *       {@code cost} (micro-USD and USD); default {@code latency};
 *   <li>{@code group_by}: {@code model | provider | target | key | team | none} (default none);
 *   <li>{@code from}, {@code to}: ISO-8601 instants, dates or epoch milliseconds; rounded out to
 *       whole minutes; default the last hour;
 *   <li>{@code step}: {@code 1m}, {@code 5m}, {@code 1h}, {@code 1d} …; default the smallest of
 *       1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d giving at most 300 points;
 *   <li>{@code model}, {@code provider}, {@code key}, {@code team}: only requests with that value.
 * </ul>
 *
 * Buckets without requests are left out. Answers run their JDBC on the store's worker pool.
 */
final class StatsAdmin {
  static final int MAX_DEFAULT_POINTS = 300;
  static final long MAX_BUCKETS = 10_000;
  private static final Set<String> PARAMS = Set.of("metric", "group_by", "from", "to", "step", "model", "provider",
      "key", "team");
  private static final List<String> METRICS = List.of("latency", "ttft", "overhead", "requests", "errors", "tokens",
      "cost");
  private static final int[] NICE_STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440};
  private static final Pattern STEP = Pattern.compile("([1-9][0-9]{0,6})([mhd])");
  private static final Map<String, StatsDimension> FILTERS = Map.of("model", StatsDimension.MODEL, "provider",
      StatsDimension.PROVIDER, "key", StatsDimension.KEY, "team", StatsDimension.TEAM);

  private final GatewayView view;
  private final Clock clock;

  StatsAdmin(GatewayView view, Clock clock) {
    this.view = view;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/admin/stats").handler(this::stats);
  }

  private void stats(RoutingContext ctx) {
    Request r;
    try {
      r = parse(ctx);
    } catch (SpendReports.BadParam e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    // A day per key is ~10^5 cells and megabytes of JSON (seconds of work, bench/results/console-api.md):
    // built on a worker thread, never on the event loop.
    view.store().stats().query(r.query)
        .compose(cells -> ctx.vertx().executeBlocking(() -> Json.toBuffer(answer(r, cells)), false))
        .onSuccess(body -> AdminAudit.send(ctx, 200, body, null))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  /** A parsed request: the store query and what the answer echoes. */
  private record Request(String metric, StatsQuery query, String step) {}

  private Request parse(RoutingContext ctx) {
    var q = ctx.queryParams();
    for (String p : q.names()) {
      if (!PARAMS.contains(p)) {
        throw new SpendReports.BadParam(p, "Unknown parameter '" + p + "'; allowed: "
            + String.join(", ", PARAMS.stream().sorted().toList()));
      }
      if (q.getAll(p).size() > 1) {
        throw new SpendReports.BadParam(p, "Give '" + p + "' once");
      }
    }
    String metric = lower(q.get("metric"), "latency");
    if (!METRICS.contains(metric)) {
      throw new SpendReports.BadParam("metric", "metric must be one of " + String.join(", ", METRICS) + ", got '"
          + q.get("metric") + "'");
    }
    String g = lower(q.get("group_by"), "none");
    StatsDimension groupBy = g.equals("none") ? null : StatsDimension.parse(g);
    if (groupBy == null && !g.equals("none")) {
      throw new SpendReports.BadParam("group_by", "group_by must be one of model, provider, target, key, team, none, got '"
          + q.get("group_by") + "'");
    }
    Instant now = clock.instant();
    Instant to = time(q.get("to"), "to", now);
    Instant from = time(q.get("from"), "from", to.minus(Duration.ofHours(1)));
    long fromMinute = Math.floorDiv(from.toEpochMilli(), 60_000L);
    long toMinute = Math.floorDiv(to.toEpochMilli() + 59_999L, 60_000L);
    if (!from.isBefore(to)) {
      throw new SpendReports.BadParam("from", "from must be before to");
    }
    long range = toMinute - fromMinute;
    int step = q.get("step") == null || q.get("step").isBlank() ? defaultStep(range) : step(q.get("step"));
    if ((range + step - 1) / step > MAX_BUCKETS) {
      throw new SpendReports.BadParam("step", "step " + q.get("step") + " gives more than " + MAX_BUCKETS
          + " points between from and to; use a larger step");
    }
    Map<StatsDimension, String> filters = new EnumMap<>(StatsDimension.class);
    FILTERS.forEach((param, d) -> {
      String v = q.get(param);
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
    return new Request(metric, new StatsQuery(fromMinute, toMinute, step, groupBy, filters, timing), stepText(step));
  }

  /** The smallest nice step giving at most {@value #MAX_DEFAULT_POINTS} points; whole days beyond. */
  static int defaultStep(long rangeMinutes) {
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
      throw new SpendReports.BadParam("step", "step must be a whole number of minutes, hours or days (1m, 5m, 1h, 1d), got '"
          + text + "'");
    }
    long minutes = Long.parseLong(m.group(1)) * switch (m.group(2)) {
      case "h" -> 60;
      case "d" -> 1440;
      default -> 1;
    };
    if (minutes > 366L * 1440) {
      throw new SpendReports.BadParam("step", "step must be at most 366d");
    }
    return (int) minutes;
  }

  private static String stepText(int minutes) {
    return minutes % 1440 == 0 ? minutes / 1440 + "d" : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
  }

  /** Epoch milliseconds (digits only), or what {@link SpendReports#time} reads (ISO-8601 instant or date). */
  private static Instant time(String text, String param, Instant fallback) {
    if (text != null && !text.isBlank() && text.strip().chars().allMatch(Character::isDigit)) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(text.strip()));
      } catch (NumberFormatException e) {
        throw new SpendReports.BadParam(param, param + " is too large");
      }
    }
    return SpendReports.time(text, param, fallback);
  }

  private static String lower(String text, String fallback) {
    return text == null || text.isBlank() ? fallback : text.strip().toLowerCase(Locale.ROOT);
  }

  private static ObjectNode answer(Request r, List<StatsCell> cells) {
    StatsQuery q = r.query;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.stats");
    o.put("metric", r.metric);
    o.put("unit", switch (r.metric) {
      case "latency", "ttft", "overhead" -> "ms";
      case "tokens" -> "tokens";
      case "cost" -> "usd";
      default -> "requests";
    });
    if (q.groupBy() == null) {
      o.putNull("group_by");
    } else {
      o.put("group_by", q.groupBy().wire());
    }
    o.put("from", Instant.ofEpochMilli(q.fromMinute() * 60_000).toString());
    o.put("to", Instant.ofEpochMilli(q.toMinute() * 60_000).toString());
    o.put("step", r.step);
    ObjectNode filters = o.putObject("filters");
    q.filters().forEach((d, v) -> filters.put(d.wire(), v));
    Map<String, List<StatsCell>> byGroup = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
    for (StatsCell c : cells) {
      if (c.timing() == null || c.timing().count() > 0) {
        byGroup.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
      }
    }
    ArrayNode series = o.putArray("series");
    byGroup.forEach((group, points) -> {
      ObjectNode s = series.addObject();
      if (group == null) {
        s.putNull("group");
      } else {
        s.put("group", group);
      }
      ArrayNode p = s.putArray("points");
      points.forEach(c -> point(p.addObject(), r.metric, c));
    });
    return o;
  }

  private static void point(ObjectNode p, String metric, StatsCell c) {
    p.put("t", Instant.ofEpochMilli(c.bucketMinute() * 60_000).toString());
    switch (metric) {
      case "requests" -> p.put("requests", c.requests());
      case "errors" -> p.put("errors", c.errors()).put("requests", c.requests());
      case "tokens" -> p.put("input", c.inputTokens()).put("output", c.outputTokens());
      case "cost" -> p.put("cost_micros", c.costMicros()).put("cost_usd", SpendReports.usd(c.costMicros()));
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
