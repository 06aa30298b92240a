package dev.sluice.config;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the reliability keys of a model entry (routing, retries, breaker, timeouts, hedge, fallbacks, ...). */
final class ReliabilityParser {
  static final Set<String> MODEL_KEYS = Set.of("routing", "retries", "breaker", "timeouts", "hedge", "fallbacks",
      "on_context_length", "on_content_filter", "on_error", "degraded");
  private static final Set<String> ROUTINGS = Set.of("weighted", "priority", "least-busy", "latency", "cost");
  private static final Set<String> ACTIONS = Set.of("retry", "retry_same", "fail_over", "return");

  private ReliabilityParser() {}

  static ReliabilityConfig parse(ConfigNode m) {
    ReliabilityConfig d = ReliabilityConfig.defaults();
    String routing = m.string("routing", d.routing());
    if (!ROUTINGS.contains(routing)) {
      m.problem("routing", "must be one of " + String.join(" | ", ROUTINGS.stream().sorted().toList()) + "");
    }
    return new ReliabilityConfig(routing, retries(m.object("retries")), breaker(m.object("breaker")),
        timeouts(m.object("timeouts")), hedge(m.object("hedge")), m.stringList("fallbacks"),
        m.string("on_context_length", null), m.string("on_content_filter", null), onError(m.object("on_error")),
        degraded(m.object("degraded")));
  }

  private static ReliabilityConfig.Retries retries(ConfigNode r) {
    ReliabilityConfig.Retries d = ReliabilityConfig.Retries.DEFAULTS;
    if (r == null) {
      return d;
    }
    r.allowOnly(Set.of("max_attempts", "same_target", "budget", "backoff", "max_backoff"));
    int maxAttempts = r.integer("max_attempts", d.maxAttempts(), 1, 10);
    // A request makes at most max_attempts attempts, so more than max_attempts - 1 retries of one target cannot happen.
    int sameTarget = r.integer("same_target", d.sameTarget(), 0, 9);
    return new ReliabilityConfig.Retries(maxAttempts, sameTarget, r.ratio("budget", d.budget()),
        r.duration("backoff", d.backoff()), r.duration("max_backoff", d.maxBackoff()));
  }

  private static ReliabilityConfig.Breaker breaker(ConfigNode b) {
    ReliabilityConfig.Breaker d = ReliabilityConfig.Breaker.DEFAULTS;
    if (b == null) {
      return d;
    }
    b.allowOnly(Set.of("consecutive_failures", "failure_rate", "min_requests", "window", "cooldown", "max_cooldown"));
    Duration cooldown = b.duration("cooldown", d.cooldown());
    Duration maxCooldown = b.duration("max_cooldown", null);
    if (maxCooldown == null) {
      // Unset: the default cap, or the cool-down itself when that is longer (cooldown: 10m alone is valid).
      maxCooldown = cooldown != null && cooldown.compareTo(d.maxCooldown()) > 0 ? cooldown : d.maxCooldown();
    } else if (cooldown != null && maxCooldown.compareTo(cooldown) < 0) {
      b.problem("max_cooldown", "must be at least as long as cooldown");
      maxCooldown = cooldown;
    }
    return new ReliabilityConfig.Breaker(b.integer("consecutive_failures", d.consecutiveFailures(), 1, 1_000_000),
        b.ratio("failure_rate", d.failureRate()), b.integer("min_requests", d.minimumRequests(), 1, 1_000_000),
        b.duration("window", d.window()), cooldown, maxCooldown);
  }

  /** Model-level timeouts; absent keys stay null and fall back to the provider's. */
  private static UpstreamTimeouts timeouts(ConfigNode t) {
    if (t == null) {
      return null;
    }
    t.allowOnly(Set.of("connect", "first_token", "idle", "total"));
    return new UpstreamTimeouts(t.duration("connect", null), t.duration("first_token", null),
        t.duration("idle", null), t.duration("total", null));
  }

  private static ReliabilityConfig.Hedge hedge(ConfigNode h) {
    if (h == null) {
      return null;
    }
    h.allowOnly(Set.of("after", "max_extra"));
    String after = h.string("after", "p95");
    double percentile = Double.NaN;
    Duration fixed = Duration.ofMillis(250);
    if (after.matches("p\\d{1,2}(\\.\\d+)?")) {
      percentile = Double.parseDouble(after.substring(1)) / 100.0;
    } else {
      fixed = h.duration("after", fixed);
    }
    return new ReliabilityConfig.Hedge(percentile, fixed, h.ratio("max_extra", 0.1));
  }

  private static Map<ErrorClass, String> onError(ConfigNode e) {
    Map<ErrorClass, String> out = new EnumMap<>(ErrorClass.class);
    if (e == null) {
      return out;
    }
    Set<String> classes = new java.util.TreeSet<>();
    for (ErrorClass c : ErrorClass.values()) {
      classes.add(c.wireName());
    }
    e.allowOnly(classes);
    for (ErrorClass c : ErrorClass.values()) {
      String action = e.string(c.wireName(), null);
      if (action == null) {
        continue;
      }
      if (!ACTIONS.contains(action)) {
        e.problem(c.wireName(), "must be retry, fail_over or return");
      } else {
        out.put(c, action);
      }
    }
    return out;
  }

  private static ReliabilityConfig.Degraded degraded(ConfigNode d) {
    if (d == null) {
      return null;
    }
    d.allowOnly(Set.of("answer", "retry_after"));
    return new ReliabilityConfig.Degraded(d.string("answer", null), d.duration("retry_after", Duration.ofSeconds(5)));
  }

  /** Checks that fallbacks and on_* name other model entries (chains may loop: the runtime stops at a repeat). */
  static void checkReferences(List<ModelConfig> models, List<ConfigNode> nodes, Set<String> skippedModels) {
    Map<String, ModelConfig> byName = new java.util.HashMap<>();
    models.forEach(m -> byName.put(m.name(), m));
    for (int i = 0; i < models.size(); i++) {
      ModelConfig m = models.get(i);
      ConfigNode node = nodes.get(i);
      List<String> refs = new ArrayList<>(m.reliability().fallbacks());
      for (int j = 0; j < refs.size(); j++) {
        check(byName, skippedModels, m.name(), refs.get(j), node, "fallbacks[" + j + "]");
      }
      check(byName, skippedModels, m.name(), m.reliability().onContextLength(), node, "on_context_length");
      check(byName, skippedModels, m.name(), m.reliability().onContentFilter(), node, "on_content_filter");
    }
  }

  private static void check(Map<String, ModelConfig> byName, Set<String> skipped, String self, String ref,
      ConfigNode node, String key) {
    if (ref == null || skipped.contains(ref)) {
      return;
    }
    if (ref.equals(self)) {
      node.problem(key, "a model cannot fall back to itself");
    } else if (!byName.containsKey(ref)) {
      node.problem(key, "no model named '" + ref + "' is configured");
    }
  }
}
