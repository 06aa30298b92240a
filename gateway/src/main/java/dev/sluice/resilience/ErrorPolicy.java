package dev.sluice.resilience;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.UpstreamError;
import dev.sluice.resilience.RetryDecision.Action;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maps each {@link ErrorClass} to an {@link Action}. Immutable and thread-safe. Defaults:
 *
 * <ul>
 *   <li>RATE_LIMITED, OVERLOADED, TIMEOUT → FAIL_OVER (this target is busy or slow now; the caller
 *       also cools a rate-limited target down for its Retry-After);
 *   <li>SERVER_ERROR, CONNECTION → RETRY_SAME (a blip; the next attempt likely works);
 *   <li>AUTH, NOT_FOUND → FAIL_OVER: a bad key or a model missing at one provider is the gateway's
 *       misconfiguration at that target, not the client's 4xx — another target may serve it;
 *   <li>BAD_REQUEST, CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTER → RETURN: the request itself is the
 *       problem, and every target would say the same.
 * </ul>
 *
 * Budgets, attempt limits and breakers still apply on top: this only says which way to go.
 */
public final class ErrorPolicy {
  private static final ErrorPolicy DEFAULTS = new ErrorPolicy(defaultMap());

  private final EnumMap<ErrorClass, Action> actions;

  private ErrorPolicy(EnumMap<ErrorClass, Action> actions) {
    this.actions = actions;
  }

  public static ErrorPolicy defaults() {
    return DEFAULTS;
  }

  private static EnumMap<ErrorClass, Action> defaultMap() {
    EnumMap<ErrorClass, Action> m = new EnumMap<>(ErrorClass.class);
    for (ErrorClass c : ErrorClass.values()) {
      m.put(c, switch (c) {
        case RATE_LIMITED, OVERLOADED, TIMEOUT, AUTH, NOT_FOUND -> Action.FAIL_OVER;
        case SERVER_ERROR, CONNECTION -> Action.RETRY_SAME;
        case BAD_REQUEST, CONTEXT_LENGTH_EXCEEDED, CONTENT_FILTER -> Action.RETURN;
      });
    }
    return m;
  }

  /** A copy of this policy with {@code errorClass} mapped to {@code action}. */
  public ErrorPolicy withOverride(ErrorClass errorClass, Action action) {
    Objects.requireNonNull(errorClass, "errorClass");
    Objects.requireNonNull(action, "action");
    EnumMap<ErrorClass, Action> m = new EnumMap<>(actions);
    m.put(errorClass, action);
    return new ErrorPolicy(m);
  }

  public Action actionFor(ErrorClass errorClass) {
    return actions.get(errorClass);
  }

  /** The decision for one failed attempt: its class's action, with the upstream's Retry-After. */
  public RetryDecision decide(UpstreamError error) {
    return RetryDecision.of(actionFor(error.errorClass()), error);
  }

  /** The whole mapping (a copy), for config dumps. */
  public Map<ErrorClass, Action> asMap() {
    return new EnumMap<>(actions);
  }

  /**
   * The error class for a config name: its {@link ErrorClass#wireName()} such as
   * {@code rate_limited} (case and {@code -}/{@code _} do not matter).
   *
   * @throws IllegalArgumentException naming the valid names
   */
  public static ErrorClass parseWireName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (ErrorClass c : ErrorClass.values()) {
      if (c.wireName().equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown error class '" + name + "'; valid: "
        + Stream.of(ErrorClass.values()).map(ErrorClass::wireName).collect(Collectors.joining(", ")));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ErrorPolicy p && p.actions.equals(actions);
  }

  @Override
  public int hashCode() {
    return actions.hashCode();
  }

  @Override
  public String toString() {
    return "ErrorPolicy" + actions;
  }
}
