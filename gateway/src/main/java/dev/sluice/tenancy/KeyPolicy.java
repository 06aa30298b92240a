package dev.sluice.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.LimitsConfig;
import dev.sluice.core.Json;
import java.util.Set;

/**
 * What a stored key's {@code limits} JSON column holds: its rate limits and its place in the
 * admission queue. The store keeps the column as opaque JSON text; this is its one reader and
 * writer (the admin API writes it, authentication reads it). Immutable.
 *
 * <p>Shape: {@code {"rpm":60,"tpm":100000,"max_concurrency":4,"priority":"low",
 * "allow_priority_header":true}}; every field optional (absent: no limit, {@code normal}, false).
 *
 * @param limits rate limits; {@link LimitsConfig#NONE} for none
 * @param priority high | normal | low
 * @param allowPriorityHeader whether the client may choose its priority per request
 */
public record KeyPolicy(LimitsConfig limits, String priority, boolean allowPriorityHeader) {
  // Before DEFAULT: the constructor that makes DEFAULT reads it.
  public static final Set<String> PRIORITIES = Set.of("high", "normal", "low");
  public static final KeyPolicy DEFAULT = new KeyPolicy(LimitsConfig.NONE, "normal", false);

  public KeyPolicy {
    java.util.Objects.requireNonNull(limits, "limits");
    if (!PRIORITIES.contains(priority)) {
      throw new IllegalArgumentException("priority must be high, normal or low: " + priority);
    }
  }

  /**
   * Reads the column; {@code null} is {@link #DEFAULT}. Lenient: a field of the wrong type or an
   * unparsable text counts as absent (the admin API never writes such a value, and a key must not
   * stop working because someone edited the row by hand).
   */
  public static KeyPolicy parse(String json) {
    if (json == null || json.isBlank()) {
      return DEFAULT;
    }
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      return DEFAULT;
    }
    if (n == null || !n.isObject()) {
      return DEFAULT;
    }
    LimitsConfig limits = new LimitsConfig(nonNegative(n.get("rpm")), nonNegative(n.get("tpm")),
        (int) Math.min(Integer.MAX_VALUE, nonNegative(n.get("max_concurrency"))));
    String priority = n.path("priority").asText("normal");
    return new KeyPolicy(limits.isNone() ? LimitsConfig.NONE : limits,
        PRIORITIES.contains(priority) ? priority : "normal", n.path("allow_priority_header").asBoolean(false));
  }

  private static long nonNegative(JsonNode v) {
    return v != null && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : 0;
  }

  /** The column text, or {@code null} when everything is the default (the column is then NULL). */
  public String toJson() {
    if (equals(DEFAULT)) {
      return null;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (limits.rpm() > 0) {
      o.put("rpm", limits.rpm());
    }
    if (limits.tpm() > 0) {
      o.put("tpm", limits.tpm());
    }
    if (limits.maxConcurrency() > 0) {
      o.put("max_concurrency", limits.maxConcurrency());
    }
    if (!"normal".equals(priority)) {
      o.put("priority", priority);
    }
    if (allowPriorityHeader) {
      o.put("allow_priority_header", true);
    }
    return o.toString();
  }

  public KeyPolicy withLimits(LimitsConfig l) {
    return new KeyPolicy(l.isNone() ? LimitsConfig.NONE : l, priority, allowPriorityHeader);
  }

  public KeyPolicy withPriority(String p) {
    return new KeyPolicy(limits, p, allowPriorityHeader);
  }

  public KeyPolicy withAllowPriorityHeader(boolean allow) {
    return new KeyPolicy(limits, priority, allow);
  }
}
