package dev.sluice.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP as a reload trigger, through {@code sun.misc.Signal} (module {@code jdk.unsupported}, present
 * on every usual JDK and JRE). Where there is no such signal (Windows) or no such module, installing
 * does nothing and says so in the log.
 */
final class HangupSignal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

  private final sun.misc.Signal signal;
  private final sun.misc.SignalHandler previous;

  private HangupSignal(sun.misc.Signal signal, sun.misc.SignalHandler previous) {
    this.signal = signal;
    this.previous = previous;
  }

  /**
   * Runs {@code onHangup} on each SIGHUP (on the JVM's signal thread: it must return at once) until
   * {@link #close}; null when this platform has no SIGHUP.
   */
  static HangupSignal install(Runnable onHangup) {
    try {
      sun.misc.Signal hup = new sun.misc.Signal("HUP");
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(hup, s -> onHangup.run());
      return new HangupSignal(hup, previous);
    } catch (IllegalArgumentException | LinkageError e) {
      LOG.info("No SIGHUP on this platform ({}): reload with POST /admin/config/reload instead", e.toString());
      return null;
    }
  }

  /** Gives SIGHUP back to the handler it had before. */
  @Override
  public void close() {
    try {
      sun.misc.Signal.handle(signal, previous);
    } catch (IllegalArgumentException e) {
      LOG.debug("SIGHUP handler not restored: {}", e.toString());
    }
  }
}
