package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;

/**
 * Applies one {@link ParamRule} to a {@link WorkingRequest} and records the change in the
 * {@code x-sluice-adapted-params} notation: {@code a->b} (renamed), {@code name=value} (the target
 * gets this value instead of the client's, or one the client did not send), {@code -name} (dropped).
 * A rule that finds nothing to do records nothing.
 */
final class RuleApplier {
  private RuleApplier() {}

  static void apply(ParamRule rule, WorkingRequest w) {
    String p = rule.param();
    switch (rule.kind()) {
      case RENAME -> {
        JsonNode v = w.get(p);
        if (v == null) {
          return;
        }
        w.put(p, null);
        if (!w.has(rule.to())) {
          w.put(rule.to(), v);
        }
        w.changed(p + "->" + rule.to());
      }
      case SET -> {
        JsonNode now = w.get(p);
        if (now != null && sameValue(now, rule.value())) {
          return;
        }
        w.put(p, rule.value());
        w.changed(p + "=" + show(rule.value()));
      }
      case DEFAULT -> {
        if (w.has(p)) {
          return;
        }
        w.put(p, rule.value());
        w.changed(p + "=" + show(rule.value()));
      }
      case CLAMP -> {
        JsonNode now = w.get(p);
        if (now == null || !now.isNumber()) {
          return;
        }
        double v = now.doubleValue();
        double c = v;
        if (rule.min() != null && c < rule.min()) {
          c = rule.min();
        }
        if (rule.max() != null && c > rule.max()) {
          c = rule.max();
        }
        if (c == v) {
          return;
        }
        JsonNode clamped = now.isIntegralNumber() && c == Math.rint(c) ? IntNode.valueOf((int) c) : DoubleNode.valueOf(c);
        w.put(p, clamped);
        w.changed(p + "=" + show(clamped));
      }
      case DROP -> {
        if (!w.has(p)) {
          return;
        }
        w.put(p, null);
        w.changed("-" + p);
      }
      default -> throw new IllegalStateException("unknown rule kind " + rule.kind());
    }
  }

  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() == b.doubleValue();
    }
    return a.equals(b);
  }

  /**
   * A value as the header shows it: {@code 1} rather than {@code 1.0}, text without quotes; a comma,
   * a {@code %} and anything outside printable ASCII percent-encoded (UTF-8), so the list stays
   * parseable and the header valid.
   */
  static String show(JsonNode v) {
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    String text = v.isTextual() ? v.textValue() : v.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '%') {
        return encode(text);
      }
    }
    return text;
  }

  private static String encode(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x20 || c > 0x7e || c == ',' || c == '%') {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
