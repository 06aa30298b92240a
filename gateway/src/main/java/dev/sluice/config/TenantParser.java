package dev.sluice.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads keys, teams, limits, budgets, prices, admission, Redis and store settings. */
final class TenantParser {
  private static final Set<String> KEY_KEYS = Set.of("key", "name", "team", "priority", "allow_priority_header",
      "limits", "budget", "models", "log_bodies");
  private static final Set<String> TEAM_KEYS = Set.of("name", "limits", "budget", "log_bodies");
  private static final Set<String> LIMIT_KEYS = Set.of("rpm", "tpm", "max_concurrency");
  private static final Set<String> BUDGET_KEYS = Set.of("usd", "period", "mode", "alert_webhook", "alert_thresholds");
  private static final Set<String> PRICE_KEYS = Set.of("input_per_mtok", "output_per_mtok", "cached_input_per_mtok",
      "cache_write_per_mtok");
  private static final Set<String> PRIORITIES = Set.of("high", "normal", "low");

  private TenantParser() {}

  static List<TeamConfig> teams(ConfigNode top) {
    List<TeamConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode t : top.list("teams")) {
      t.allowOnly(TEAM_KEYS);
      String name = t.requiredString("name");
      if (name != null && !names.add(name)) {
        t.problem("name", "duplicate team name '" + name + "'");
      }
      LimitsConfig limits = limits(t.object("limits"));
      BudgetConfig budget = budget(t.object("budget"));
      if (name != null) {
        out.add(new TeamConfig(name, limits, budget, ObservabilityParser.logBodies(t.object("log_bodies"))));
      }
    }
    return out;
  }

  static List<KeyConfig> keys(ConfigNode top, List<TeamConfig> teams, Set<String> modelNames) {
    Set<String> teamNames = new HashSet<>();
    teams.forEach(t -> teamNames.add(t.name()));
    List<KeyConfig> out = new ArrayList<>();
    for (ConfigNode k : top.list("keys")) {
      k.allowOnly(KEY_KEYS);
      String key = k.requiredString("key");
      String name = k.string("name", "key-" + out.size());
      String team = k.string("team", null);
      String priority = k.string("priority", "normal");
      if (!PRIORITIES.contains(priority)) {
        k.problem("priority", "must be high, normal or low");
      }
      boolean header = k.bool("allow_priority_header", false);
      LimitsConfig limits = limits(k.object("limits"));
      BudgetConfig budget = budget(k.object("budget"));
      List<String> models = k.stringList("models");
      // A key's team need not be declared under teams: (a team with no limits or budget of its own).
      if (key != null && key.length() < 8) {
        k.problem("key", "must be at least 8 characters");
      } else if (key != null) {
        out.add(new KeyConfig(key, name, team, priority, header, limits, budget, models,
            ObservabilityParser.logBodies(k.object("log_bodies"))));
      }
    }
    return out;
  }

  static LimitsConfig limits(ConfigNode l) {
    if (l == null) {
      return LimitsConfig.NONE;
    }
    l.allowOnly(LIMIT_KEYS);
    return new LimitsConfig(l.longValue("rpm", 0, 0), l.longValue("tpm", 0, 0),
        l.integer("max_concurrency", 0, 0, 10_000_000));
  }

  static BudgetConfig budget(ConfigNode b) {
    if (b == null) {
      return null;
    }
    b.allowOnly(BUDGET_KEYS);
    BigDecimal usd = money(b, "usd", true);
    String period = b.string("period", "monthly");
    if (!Set.of("daily", "monthly", "total").contains(period)) {
      b.problem("period", "must be daily, monthly or total");
    }
    String mode = b.string("mode", "hard");
    if (!Set.of("hard", "soft").contains(mode)) {
      b.problem("mode", "must be hard or soft");
    }
    List<Double> thresholds = new ArrayList<>();
    for (String t : b.stringList("alert_thresholds")) {
      try {
        String v = t.trim();
        thresholds.add(v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v));
      } catch (NumberFormatException e) {
        b.problem("alert_thresholds", "must be shares such as 50% or 0.8");
      }
    }
    if (thresholds.isEmpty()) {
      thresholds = List.of(0.5, 0.8, 1.0);
    }
    return new BudgetConfig(usd == null ? BigDecimal.ZERO : usd, period, mode, b.string("alert_webhook", null),
        thresholds);
  }

  static PriceConfig price(ConfigNode p) {
    if (p == null) {
      return null;
    }
    p.allowOnly(PRICE_KEYS);
    return new PriceConfig(money(p, "input_per_mtok", false), money(p, "output_per_mtok", false),
        money(p, "cached_input_per_mtok", false), money(p, "cache_write_per_mtok", false));
  }

  /** A non-negative decimal read from the config text itself: never through a double. */
  static BigDecimal money(ConfigNode n, String key, boolean required) {
    String text = required ? n.requiredString(key) : n.string(key, null);
    if (text == null) {
      return null;
    }
    try {
      BigDecimal v = new BigDecimal(text.trim());
      if (v.signum() < 0) {
        n.problem(key, "must not be negative");
        return null;
      }
      // Costs are kept in whole micro-USD in a long (cost.Micros): an amount beyond that would stop
      // the gateway at start-up, or (1e999999999) keep it busy computing a billion-digit number.
      if (v.signum() > 0 && (v.precision() - v.scale() > 13 || v.stripTrailingZeros().scale() > 6)) {
        n.problem(key, "must be at most 9,000,000,000,000 with at most six decimal places");
        return null;
      }
      return v;
    } catch (NumberFormatException e) {
      n.problem(key, "must be a decimal amount such as 0.15");
      return null;
    }
  }

  static FlowConfig flow(ConfigNode admission, ConfigNode redis) {
    FlowConfig d = FlowConfig.DEFAULTS;
    int maxQueue = d.maxQueue();
    java.time.Duration maxWait = d.maxWait();
    int maxInFlight = d.maxInFlight();
    if (admission != null) {
      admission.allowOnly(Set.of("max_queue", "max_wait", "max_in_flight"));
      maxQueue = admission.integer("max_queue", maxQueue, 0, 10_000_000);
      maxWait = admission.duration("max_wait", maxWait);
      maxInFlight = admission.integer("max_in_flight", maxInFlight, 1, 10_000_000);
    }
    String url = null;
    String onFailure = d.redisOnFailure();
    int replicas = d.expectedReplicas();
    if (redis != null) {
      redis.allowOnly(Set.of("url", "on_failure", "expected_replicas"));
      url = redis.requiredString("url");
      if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
        redis.problem("url", "must start with redis:// or rediss://");
      }
      onFailure = redis.string("on_failure", onFailure);
      if (!Set.of("local", "fail-open", "fail-closed").contains(onFailure)) {
        redis.problem("on_failure", "must be local, fail-open or fail-closed");
      }
      replicas = redis.integer("expected_replicas", replicas, 1, 1000);
    }
    return new FlowConfig(maxQueue, maxWait, maxInFlight, url, onFailure, replicas);
  }

  /** {@code store.url}, defaulting to an SQLite file next to the config. */
  static String storeUrl(ConfigNode store, Path baseDir) {
    String fallback = "sqlite:" + baseDir.resolve("sluice.db");
    if (store == null) {
      return fallback;
    }
    store.allowOnly(Set.of("url"));
    String url = store.string("url", fallback);
    if (!url.startsWith("sqlite:") && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      store.problem("url", "must be sqlite:PATH or postgresql://user:pass@host:port/db");
    }
    return url;
  }
}
