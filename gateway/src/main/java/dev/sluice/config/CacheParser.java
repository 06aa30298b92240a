package dev.sluice.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model entry's {@code cache}: absent or {@code false} is off, {@code true} or a mapping is on
 * ({@code ttl}, {@code max_entry_bytes}, {@code max_bytes}, {@code nondeterministic}, {@code scope},
 * {@code coalesce}, {@code coalesce_wait}).
 */
final class CacheParser {
  private static final Set<String> KEYS = Set.of("ttl", "max_entry_bytes", "max_bytes", "nondeterministic", "scope",
      "coalesce", "coalesce_wait");
  private static final Set<String> SCOPES = Set.of("key", "team", "global");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");

  private CacheParser() {
  }

  /** Null when the entry has no response cache. */
  static CacheConfig parse(ConfigNode model) {
    com.fasterxml.jackson.databind.JsonNode raw = model.raw("cache");
    String flag = raw != null && raw.isValueNode() ? model.string("cache", null) : null;
    if (flag != null) {
      if (flag.equals("true")) {
        return CacheConfig.defaults();
      }
      if (!flag.equals("false")) {
        model.problem("cache", "must be true, false or a mapping");
      }
      return null;
    }
    ConfigNode c = model.object("cache");
    if (c == null) {
      return null;
    }
    c.allowOnly(KEYS);
    CacheConfig d = CacheConfig.defaults();
    Duration ttl = c.duration("ttl", d.ttl());
    if (ttl.toMillis() < 1000) {
      c.problem("ttl", "must be at least 1s");
      ttl = d.ttl();
    }
    String scope = c.string("scope", d.scope()).toLowerCase(Locale.ROOT);
    if (!SCOPES.contains(scope)) {
      c.problem("scope", "must be key, team or global");
      scope = d.scope();
    }
    Duration wait = c.duration("coalesce_wait", d.coalesceWait());
    if (wait.isZero() || wait.isNegative()) {
      c.problem("coalesce_wait", "must be positive");
      wait = d.coalesceWait();
    }
    return new CacheConfig(ttl, bytes(c, "max_entry_bytes", d.maxEntryBytes()), bytes(c, "max_bytes", d.maxBytes()),
        c.bool("nondeterministic", d.nondeterministic()), scope, c.bool("coalesce", d.coalesce()), wait);
  }

  /** A size: a number of bytes, or with a unit {@code KB}, {@code MB}, {@code GB} (powers of 1024). */
  private static long bytes(ConfigNode c, String key, long fallback) {
    String text = c.string(key, null);
    if (text == null) {
      return fallback;
    }
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      c.problem(key, "is not a size (use e.g. 65536, 512KB, 1MB, 1GB)");
      return fallback;
    }
    long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
      case "kb" -> 1L << 10;
      case "mb" -> 1L << 20;
      case "gb" -> 1L << 30;
      default -> 1;
    };
    try {
      long value = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
      if (value < 1024) {
        c.problem(key, "must be at least 1KB");
        return fallback;
      }
      return value;
    } catch (ArithmeticException | NumberFormatException e) {
      c.problem(key, "is too large");
      return fallback;
    }
  }
}
