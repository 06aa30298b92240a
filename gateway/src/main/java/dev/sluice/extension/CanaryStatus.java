package dev.sluice.extension;

import java.time.Instant;

/**
 * A model entry's canary as the admin API shows it (this replica's latest view of it; with Redis,
 * the shared state as of its last read, at most a second old).
 *
 * @param model the model entry
 * @param canary where its canary share goes
 * @param state {@code ramping | complete | paused | rolled_back}
 * @param percent the share sent to the canary now
 * @param stepStartedAt when the current step, and its window, started
 * @param windowRequests canary requests in the window
 * @param windowErrors those that failed on the canary
 * @param p95TtftMillis the window's p95 time to first token (bucket bound); null when none answered
 * @param lastRollbackReason why it was last rolled back, with the numbers; null if never
 * @param rolledBackAt when; null if never
 */
public record CanaryStatus(String model, String canary, String state, double percent, double startPercent,
    double stepPercent, double maxPercent, long everySeconds, Instant stepStartedAt, long windowRequests,
    long windowErrors, Long p95TtftMillis, double errorRateLimit, Long p95TtftLimitMillis, long minRequests,
    String lastRollbackReason, Instant rolledBackAt) {

  /** The window's failed share; 0 when empty. */
  public double errorRate() {
    return windowRequests == 0 ? 0 : (double) windowErrors / windowRequests;
  }
}
