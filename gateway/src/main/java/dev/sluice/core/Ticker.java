package dev.sluice.core;

/**
 * A source of monotonic nanoseconds, injected wherever time matters so tests can advance a fake
 * one instead of sleeping. Only differences between two readings mean anything (as with
 * {@link System#nanoTime()}); compare with {@code a - b > 0}, never {@code a > b}.
 *
 * <p>Implementations must be thread-safe and cheap: it is read on the hot path.
 */
@FunctionalInterface
public interface Ticker {

  long nanos();

  /** The JVM's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
