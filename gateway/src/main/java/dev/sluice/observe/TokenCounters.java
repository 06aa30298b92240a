package dev.sluice.observe;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The {@code sluice.tokens} counters of one (model, provider), one per token kind. A kind's counter
 * is registered the first time it has tokens to count, as before caching: a model that never
 * reports reasoning tokens shows no {@code type="reasoning"} series in /metrics.
 */
final class TokenCounters {
  static final int INPUT = 0;
  static final int OUTPUT = 1;
  static final int CACHED_READ = 2;
  static final int CACHE_WRITE = 3;
  static final int REASONING = 4;
  private static final String[] KINDS = {"input", "output", "cached_read", "cache_write", "reasoning"};

  private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(KINDS.length);
  private final Function<String, Counter> register;

  /** @param register the registered counter of a kind ("input", "output" ...) */
  TokenCounters(Function<String, Counter> register) {
    this.register = register;
  }

  void add(int kind, long n) {
    if (n <= 0) {
      return;
    }
    Counter c = counters.get(kind);
    if (c == null) {
      // A race registers the same meter twice: the registry hands both callers the one instance.
      c = register.apply(KINDS[kind]);
      counters.set(kind, c);
    }
    c.increment(n);
  }
}
