package dev.sluice.switching;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One parameter rule of a target or a model family, acting on a top-level request parameter.
 * Values are checked where the rule is read (config, family catalog); applying one never fails.
 *
 * <ul>
 *   <li>{@code rename}: the value moves to {@code to}; when the client also sent {@code to}, the
 *       client's {@code to} wins and the old name is dropped;
 *   <li>{@code set}: the value is forced, sent or not; {@code default}: set only when absent;
 *   <li>{@code clamp}: a number outside {@code [min, max]} is moved to the nearest bound;
 *   <li>{@code drop}: the parameter is not sent.
 * </ul>
 */
public record ParamRule(Kind kind, String param, String to, JsonNode value, Double min, Double max) {
  /** What a rule does. */
  public enum Kind { RENAME, SET, DEFAULT, CLAMP, DROP }

  public ParamRule {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(param, "param");
  }

  public static ParamRule rename(String param, String to) {
    return new ParamRule(Kind.RENAME, param, Objects.requireNonNull(to, "to"), null, null, null);
  }

  public static ParamRule set(String param, JsonNode value) {
    return new ParamRule(Kind.SET, param, null, Objects.requireNonNull(value, "value"), null, null);
  }

  public static ParamRule byDefault(String param, JsonNode value) {
    return new ParamRule(Kind.DEFAULT, param, null, Objects.requireNonNull(value, "value"), null, null);
  }

  public static ParamRule clamp(String param, Double min, Double max) {
    return new ParamRule(Kind.CLAMP, param, null, null, min, max);
  }

  public static ParamRule drop(String param) {
    return new ParamRule(Kind.DROP, param, null, null, null, null);
  }

  /** The rule as config spells it ({@code rename}, {@code set}, ...), with its fields. */
  public static ParamRule of(String op, String param, String to, JsonNode value, Double min, Double max) {
    return switch (op) {
      case "rename" -> rename(param, to);
      case "set" -> set(param, value);
      case "default" -> byDefault(param, value);
      case "clamp" -> clamp(param, min, max);
      case "drop" -> drop(param);
      default -> throw new IllegalArgumentException("unknown parameter rule '" + op + "'");
    };
  }
}
