package dev.sluice.observe.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for {@link LedgerWriter}.
 *
 * @param journalDir where the spill journal lives (created if missing); one writer per folder
 * @param queueCapacity rows held in memory before offers spill to the journal
 * @param batchSize rows per {@code insertBatch}; a full batch is written at once, without waiting
 *     for the flush interval
 * @param flushInterval how often the queue is drained when batches are not full: the most a row
 *     waits in memory, and so the most a {@code kill -9} can lose (see {@link LedgerWriter})
 * @param retryInterval how often the journal is replayed into the store (after a store failure,
 *     or rows that spilled)
 * @param writeTimeout how long one {@code insertBatch} may take before its rows go to the journal
 *     instead (the store may still commit it later: ids make that harmless)
 * @param maxQueuedBodyBytes stored request/answer bodies held in the queue, at most (about two bytes
 *     a character); a request row whose bodies would pass it goes to the journal instead
 */
public record LedgerWriterOptions(Path journalDir, int queueCapacity, int batchSize, Duration flushInterval,
    Duration retryInterval, Duration writeTimeout, long maxQueuedBodyBytes) {

  /** 32 MiB of bodies in memory at most. */
  public static final long DEFAULT_MAX_QUEUED_BODY_BYTES = 32L << 20;

  public LedgerWriterOptions {
    Objects.requireNonNull(journalDir, "journalDir");
    if (queueCapacity < 1 || batchSize < 1 || maxQueuedBodyBytes < 1) {
      throw new IllegalArgumentException("queueCapacity, batchSize and maxQueuedBodyBytes must be positive");
    }
    for (Duration d : new Duration[] {flushInterval, retryInterval, writeTimeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("intervals and timeouts must be positive");
      }
    }
  }

  /** With the default bound on queued bodies. */
  public LedgerWriterOptions(Path journalDir, int queueCapacity, int batchSize, Duration flushInterval,
      Duration retryInterval, Duration writeTimeout) {
    this(journalDir, queueCapacity, batchSize, flushInterval, retryInterval, writeTimeout,
        DEFAULT_MAX_QUEUED_BODY_BYTES);
  }

  /** 10,000 rows in memory, batches of 500, flush every 100 ms, replay every 5 s, 10 s per write, 32 MiB of bodies. */
  public static LedgerWriterOptions defaults(Path journalDir) {
    return new LedgerWriterOptions(journalDir, 10_000, 500, Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  public LedgerWriterOptions withQueueCapacity(int n) {
    return new LedgerWriterOptions(journalDir, n, batchSize, flushInterval, retryInterval, writeTimeout,
        maxQueuedBodyBytes);
  }

  public LedgerWriterOptions withBatchSize(int n) {
    return new LedgerWriterOptions(journalDir, queueCapacity, n, flushInterval, retryInterval, writeTimeout,
        maxQueuedBodyBytes);
  }

  public LedgerWriterOptions withFlushInterval(Duration d) {
    return new LedgerWriterOptions(journalDir, queueCapacity, batchSize, d, retryInterval, writeTimeout,
        maxQueuedBodyBytes);
  }

  public LedgerWriterOptions withRetryInterval(Duration d) {
    return new LedgerWriterOptions(journalDir, queueCapacity, batchSize, flushInterval, d, writeTimeout,
        maxQueuedBodyBytes);
  }

  public LedgerWriterOptions withMaxQueuedBodyBytes(long bytes) {
    return new LedgerWriterOptions(journalDir, queueCapacity, batchSize, flushInterval, retryInterval, writeTimeout,
        bytes);
  }

  public LedgerWriterOptions withWriteTimeout(Duration d) {
    return new LedgerWriterOptions(journalDir, queueCapacity, batchSize, flushInterval, retryInterval, d,
        maxQueuedBodyBytes);
  }
}
