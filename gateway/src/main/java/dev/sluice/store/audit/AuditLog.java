package dev.sluice.store.audit;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * The admin audit log. An entry is written ahead of the write it records: {@link #insert} a
 * {@linkplain AuditEntry#pending pending} entry before anything changes, then {@link #complete} it
 * once, with its outcome, before the answer goes out. So a write that changed something always has
 * its entry, even if the process stops half-way (the entry then stays pending). A completed entry
 * never changes again. All calls run JDBC on the store's worker pool; thread-safe.
 */
public interface AuditLog {

  /** The audit log over the store's JDBC layer. */
  static AuditLog jdbc(JdbcCalls calls) {
    return new JdbcAuditLog(calls);
  }

  /**
   * Inserts {@code entry} (pending or already complete); fails when its id exists, or when
   * {@code beforeJson} or {@code afterJson} is not a JSON object.
   */
  Future<Void> insert(AuditEntry entry);

  /**
   * Records the outcome of a pending entry: its target, status, error, before and after, taken
   * from {@code done} (same id). False when there is no pending entry with that id (none, or
   * completed already: a completed entry is left as it is).
   */
  Future<Boolean> complete(AuditEntry done);

  /** A page, newest first (time, then id, descending). */
  Future<AuditPage> list(AuditQuery query);

  /** Retention: deletes at most {@code max} entries older than {@code cutoff}; how many it deleted. */
  Future<Integer> deleteBefore(Instant cutoff, int max);
}
