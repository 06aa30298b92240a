package dev.sluice.switching.canary;

import dev.sluice.core.Target;
import java.util.Set;

/**
 * One canary-routed request's view of its attempts: the first attempt on one of the canary's
 * targets that ends (answered, or failed in a way that counts against the target) is the request's
 * outcome in the canary's window; later attempts (retries, fallbacks to the entry's own targets)
 * are not counted again. Attempts that end because the client left or a hedge lost say nothing.
 * Lives on the request's event loop; not thread-safe.
 */
public final class CanaryTap {
  private final CanaryDirector director;
  private final String entry;
  private final Set<String> labels;
  private boolean recorded;

  CanaryTap(CanaryDirector director, String entry, Set<String> labels) {
    this.director = director;
    this.entry = entry;
    this.labels = labels;
  }

  /** The entry whose canary this request belongs to. */
  public String entry() {
    return entry;
  }

  /** An attempt on {@code t} answered, its first token after {@code ttftNanos}. */
  public void answered(Target t, long ttftNanos) {
    if (!recorded && labels.contains(t.label())) {
      recorded = true;
      director.record(entry, CanaryOutcome.answered(ttftNanos / 1_000_000));
    }
  }

  /** An attempt on {@code t} failed (a failure that counts against the target). */
  public void failed(Target t) {
    if (!recorded && labels.contains(t.label())) {
      recorded = true;
      director.record(entry, CanaryOutcome.failed());
    }
  }
}
