package dev.sluice.resilience;

import dev.sluice.core.Target;
import dev.sluice.core.Ticker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The circuit breakers of all targets, keyed by {@link Target#label()} and created on first use
 * with the config the supplied function gives for that target. Thread-safe; lookups of an existing
 * breaker do not lock.
 */
public final class BreakerRegistry {
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Function<Target, BreakerConfig> configs;
  private final Ticker ticker;
  private final BiConsumer<Target, BreakerState> listener;

  public BreakerRegistry(Function<Target, BreakerConfig> configs, Ticker ticker) {
    this(configs, ticker, (t, s) -> { });
  }

  /**
   * @param listener told each state change of each breaker, with the breaker's monitor held (see
   *     {@link CircuitBreaker}): keep it quick
   */
  public BreakerRegistry(Function<Target, BreakerConfig> configs, Ticker ticker,
      BiConsumer<Target, BreakerState> listener) {
    this.configs = Objects.requireNonNull(configs, "configs");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Every target gets {@link BreakerConfig#defaults()}. */
  public static BreakerRegistry withDefaults(Ticker ticker) {
    BreakerConfig defaults = BreakerConfig.defaults();
    return new BreakerRegistry(t -> defaults, ticker);
  }

  public CircuitBreaker forTarget(Target t) {
    CircuitBreaker b = breakers.get(t.label());
    if (b != null) {
      return b;
    }
    return breakers.computeIfAbsent(t.label(),
        label -> new CircuitBreaker(configs.apply(t), ticker, s -> listener.accept(t, s)));
  }

  /**
   * Forgets the breaker of {@code label}: the next use creates a fresh one (CLOSED) with the config
   * the function gives then (a config reload changed that target). A request holding the old one
   * reports to it harmlessly.
   */
  public void forget(String label) {
    breakers.remove(label);
  }

  /** Each known breaker's state by target label, sorted by label; a copy. */
  public Map<String, BreakerState> snapshot() {
    Map<String, BreakerState> out = new TreeMap<>();
    breakers.forEach((label, b) -> out.put(label, b.state()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The targets of {@code ordered}, in order, whose breaker is available ({@link
   * CircuitBreaker#isAvailable()}: not OPEN, or OPEN with its cooldown elapsed). <b>Panic rule:</b>
   * when that would leave none, returns {@code ordered} unchanged — never eject every target at
   * once; try them anyway. In that case {@link #anyAvailable} is false and the caller should send
   * without {@link CircuitBreaker#tryAcquire()} (which would refuse). Allocates only when
   * something is filtered out.
   */
  public List<Target> admissible(List<Target> ordered) {
    int n = ordered.size();
    int firstOut = -1;
    for (int i = 0; i < n; i++) {
      if (!forTarget(ordered.get(i)).isAvailable()) {
        firstOut = i;
        break;
      }
    }
    if (firstOut < 0) {
      return ordered;
    }
    List<Target> kept = new ArrayList<>(n - 1);
    for (int i = 0; i < n; i++) {
      Target t = ordered.get(i);
      if (i < firstOut || (i > firstOut && forTarget(t).isAvailable())) {
        kept.add(t);
      }
    }
    return kept.isEmpty() ? ordered : Collections.unmodifiableList(kept);
  }

  /** Whether any target of {@code targets} has an available breaker (false: panic mode). */
  public boolean anyAvailable(List<Target> targets) {
    for (Target t : targets) {
      if (forTarget(t).isAvailable()) {
        return true;
      }
    }
    return false;
  }
}
