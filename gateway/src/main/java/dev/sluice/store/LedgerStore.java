package dev.sluice.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The cost ledger: one row per upstream attempt. This is the SPI the ledger writer
 * ({@code dev.sluice.observe.ledger.LedgerWriter}) writes through; reports and budget checks read
 * through it. All calls run JDBC on the store's worker pool.
 */
public interface LedgerStore {

  /**
   * Inserts the rows in one transaction, skipping any whose {@link LedgerRow#id() id} is already
   * stored ({@code INSERT … ON CONFLICT DO NOTHING}; on PostgreSQL the key is {@code (ts, id)}, the same
   * row's ts being the same), so writing a batch again is harmless.
   * Completes with the number of rows actually inserted; fails (and inserts none) if the
   * transaction fails.
   */
  Future<Integer> insertBatch(List<LedgerRow> rows);

  /**
   * A spend report, groups ordered by their value ({@code null} last), read like {@link #totals}:
   * whole UTC days and hours from the rollups, the partial edge hours from the rows. Shadow calls count
   * by model, provider and day (they cost money, in {@link SpendRow#shadowMicros()}), never by key or
   * team, nor within one key's or team's spend.
   */
  Future<List<SpendRow>> spend(SpendQuery query);

  /**
   * Total cost in micro-units since {@code from} (inclusive) of one key ({@code scopeKind = "key"},
   * {@code id} = the key's name as in {@link LedgerRow#keyName()}) or one team
   * ({@code scopeKind = "team"}). Every attempt counts, overhead included: it is what providers
   * bill; shadow calls ({@link RowKind#SHADOW}) are not the key's or team's and never count. 0 when
   * there are none.
   */
  Future<Long> spentMicros(String scopeKind, String id, Instant from);

  /**
   * Total cost in micro-units since {@code from} (inclusive) of every key ({@code scopeKind =
   * "key"}, by key name) or every team ({@code "team"}) with attempts in that time; what
   * {@link #spentMicros} gives for each (shadow calls left out), in one query. Read from an index of (name, time, cost)
   * alone, so a month of a busy gateway is a short index scan, not a pass over the ledger's rows.
   */
  Future<java.util.Map<String, Long>> spentMicrosByName(String scopeKind, Instant from);

  /** Rows with {@code ts >= since}, by time then id (for replaying costs into counters). */
  default Future<List<LedgerRow>> rowsSince(Instant since) {
    return rowsBetween(since, null);
  }

  /** Rows with {@code from <= ts < to} ({@code to} null: no end), by time, request id and attempt. */
  Future<List<LedgerRow>> rowsBetween(Instant from, Instant to);

  /**
   * The attempts of {@code [from, to)} ({@code to} null: no end) summed per group, to the
   * millisecond: whole UTC days are read from the daily rollup the inserts keep (V12), the whole
   * hours of the edge days from the hourly one (V9), only the partial hours at the window's edges
   * from the ledger's rows, so a month of a busy gateway is some thousands of rollup rows and at
   * most two hours of attempts. Groups in value order ({@code null} last).
   */
  Future<List<LedgerTotals>> totals(Instant from, Instant to, LedgerTotals.By by);

  /**
   * Deletes at most {@code max} rows with {@code ts < cutoff} (retention), in one short
   * transaction; completes with how many it deleted (fewer than {@code max}: none older are left).
   * When none older are left, the rollups' hours and days that end by {@code cutoff} go too. On
   * PostgreSQL the monthly partitions that end by {@code cutoff} are dropped first, their rows
   * counted in the result beyond {@code max}; row deletes only happen in the month at the edge.
   */
  Future<Integer> deleteBefore(Instant cutoff, int max);
}
