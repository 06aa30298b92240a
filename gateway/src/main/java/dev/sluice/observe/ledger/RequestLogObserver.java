package dev.sluice.observe.ledger;

import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestObserver;
import dev.sluice.observe.RequestSummary;
import dev.sluice.observe.requestlog.CapturedBodies;
import dev.sluice.store.requestlog.RequestRow;
import java.time.Instant;
import java.util.Objects;

/**
 * The request log's writer side: each finished request becomes one {@link RequestRow}, offered to
 * the same batch writer as the ledger (so it shares its queue, batches, journal and crash
 * guarantee). Called on the request's event loop: builds one record and returns; never blocks.
 * Bodies arrive already redacted and cut (they are never journaled or stored otherwise).
 * Thread-safe.
 */
public final class RequestLogObserver implements RequestObserver {
  private final LedgerWriter writer;

  public RequestLogObserver(LedgerWriter writer) {
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void requestFinished(RequestSummary summary) {
    // A key's reads of its own key, spend, stats and requests (GET /v1/sluice/...) are not logged:
    // the console reads them every few seconds and would bury the key's real traffic under its own reads.
    if (summary.endpoint() != null && summary.endpoint().startsWith(SELF_SERVICE_PREFIX)) {
      return;
    }
    // A request refused because the writer is behind (or cannot write at all) is not written through
    // it: each would add to the backlog it was refused for. The refusals are counted in the request metrics.
    if (LedgerWriter.isRefusal(summary.errorClass())) {
      return;
    }
    writer.offer(row(summary));
  }

  /** The endpoint names of the self-service reads under {@code /v1/sluice/}. */
  public static final String SELF_SERVICE_PREFIX = "sluice_";

  /** The row a summary is stored as: durations to microseconds, bodies as captured. */
  static RequestRow row(RequestSummary s) {
    TokenUsage u = s.usage() == null ? TokenUsage.ZERO : s.usage();
    CapturedBodies b = s.bodies();
    return RequestRow.builder(s.requestId(), Instant.ofEpochMilli(s.startedAtMillis()))
        .endpoint(s.endpoint())
        .key(s.keyName(), s.keyId(), s.team())
        .model(s.model())
        .servedBy(s.provider(), s.targetModel())
        .status(s.status())
        .errorClass(s.errorClass())
        .stream(s.stream())
        .clientDisconnected(s.clientDisconnected())
        .timing(micros(s.latencyNanos()), s.ttftNanos() < 0 ? null : micros(s.ttftNanos()),
            micros(s.queueWaitNanos()), micros(s.overheadNanos()))
        .tokens(u.input(), u.output(), u.cachedRead(), u.cacheWrite(), u.reasoning())
        .cost(Math.max(0, s.costMicros()))
        .attempts(s.attempts())
        .bodies(b == null ? null
            : new RequestRow.Bodies(b.request(), b.response(), b.requestTruncated(), b.responseTruncated()))
        .build();
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos) / 1_000;
  }
}
