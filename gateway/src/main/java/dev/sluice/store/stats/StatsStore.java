package dev.sluice.store.stats;

import io.vertx.core.Future;
import java.util.List;

/**
 * Per-minute stats rollups of every replica: the SPI the stats aggregator
 * ({@code dev.sluice.observe.stats}) writes through, and {@code GET /admin/stats} reads. All calls
 * run JDBC on the store's worker pool.
 *
 * <p>Percentiles are exact to the histograms' precision: rows are never summarized before they are
 * merged, so the p99 of three replicas over an hour is the p99 of every request they recorded, not
 * an average of p99s. The histograms hold two significant digits: a percentile is within 1% (1/128)
 * of the recorded value it stands for.
 */
public interface StatsStore {

  /**
   * Writes the rows in one transaction, each replacing the row with the same grain, minute, replica
   * and series (rows are cumulative), so writing the same rows again is harmless.
   */
  Future<Void> upsert(List<StatsRow> rows);

  /**
   * The cells of a query, by bucket then group; buckets and groups without rows are left out.
   * Rows of every replica are added up, histograms merged before percentiles are taken.
   */
  Future<List<StatsCell>> query(StatsQuery query);

  /**
   * Retention: deletes this store's rows of minutes before {@code beforeMinute} (minutes since the
   * epoch), at most the {@code span} oldest minutes of each grain per call, so one call holds the
   * writer briefly. Completes with the rows deleted; 0 means nothing older is left.
   */
  Future<Integer> deleteOldest(long beforeMinute, int span);
}
