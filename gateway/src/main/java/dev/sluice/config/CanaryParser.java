package dev.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A model entry's {@code canary} and {@code sticky}. */
final class CanaryParser {
  static final Set<String> CANARY_KEYS = Set.of("model", "start", "step", "every", "max", "rollback_if");
  static final Set<String> ROLLBACK_KEYS = Set.of("error_rate", "p95_ttft", "min_requests");

  private CanaryParser() {
  }

  /** Null when the entry has no canary (or it is malformed: the problems are recorded). */
  static CanaryConfig canary(ConfigNode model) {
    ConfigNode c = model.object("canary");
    if (c == null) {
      return null;
    }
    c.allowOnly(CANARY_KEYS);
    String target = c.requiredString("model");
    double start = c.ratio("start", 0.01);
    double step = c.ratio("step", 0.10);
    Duration every = c.duration("every", Duration.ofMinutes(10));
    double max = c.ratio("max", 1.0);
    if (start <= 0) {
      c.problem("start", "must be above 0% (a canary at 0% gets no traffic)");
    }
    if (max <= 0) {
      c.problem("max", "must be above 0%");
    } else if (start > max) {
      c.problem("start", "must not be above max");
    }
    ConfigNode r = c.object("rollback_if");
    double errorRate = 0.02;
    Duration p95 = null;
    long minRequests = 200;
    if (r != null) {
      r.allowOnly(ROLLBACK_KEYS);
      errorRate = r.ratio("error_rate", errorRate);
      p95 = r.duration("p95_ttft", null);
      minRequests = r.longValue("min_requests", minRequests, 1);
    }
    return target == null ? null : new CanaryConfig(target, start, step, every, max, errorRate, p95, minRequests);
  }

  /** Whether a conversation stays on one target (default true). */
  static boolean sticky(ConfigNode model) {
    return model.bool("sticky", true);
  }

  /**
   * A canary's {@code model} must name another configured model entry or a configured
   * {@code provider/model}; an entry that is itself a canary's target cannot have a canary.
   */
  static void checkReferences(List<ModelConfig> models, List<ConfigNode> nodes, Set<String> providers) {
    Set<String> names = new java.util.HashSet<>();
    models.forEach(m -> names.add(m.name()));
    for (int i = 0; i < models.size(); i++) {
      CanaryConfig c = models.get(i).canary();
      if (c == null) {
        continue;
      }
      ConfigNode node = nodes.get(i);
      String x = c.model();
      int slash = x.indexOf('/');
      boolean direct = !names.contains(x) && slash > 0 && slash < x.length() - 1
          && providers.contains(x.substring(0, slash));
      if (x.equals(models.get(i).name())) {
        node.problem("canary.model", "must name another model than the entry itself");
      } else if (!names.contains(x) && !direct) {
        node.problem("canary.model", "must name a configured model entry or provider/model of a configured provider");
      }
    }
  }
}
