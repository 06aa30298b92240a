package dev.sluice.observe.stats;

import dev.sluice.observe.RequestSummary;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsRow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One minute of one replica: a series per (model, provider, target, key, team) seen in it. Series
 * are recorded into from every event loop (each behind its own lock, held for a few histogram
 * records); a flush reads them from a worker thread.
 *
 * <p>Once the aggregator's floor passes this minute, it is sealed: records refuse it (the caller
 * moves on to the floor's minute), so the rows a flush writes after that are final, and the minute
 * can be forgotten once they are stored. Checking the floor under the series lock is what makes
 * that safe: the flush raises the floor before it takes the locks.
 */
final class MinuteSeries {
  /** The grains derived from the series at each flush, besides {@link StatsGrain#ALL} itself. */
  private static final List<StatsGrain> COARSE = List.of(StatsGrain.PROVIDER, StatsGrain.MODEL, StatsGrain.TEAM,
      StatsGrain.TARGET, StatsGrain.KEY);

  /** One series: its totals, and whether they changed since they were last handed to a flush. */
  static final class Series {
    final SeriesKey key;
    final Totals totals = new Totals();
    boolean changed;

    Series(SeriesKey key) {
      this.key = key;
    }
  }

  final long minute;
  final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
  /** Some series changed since the last flush took this minute. */
  final AtomicBoolean dirty = new AtomicBoolean();

  MinuteSeries(long minute) {
    this.minute = minute;
  }

  /** Records {@code s}; false (recording nothing) when the minute is sealed by {@code floor}. */
  boolean record(SeriesKey key, RequestSummary s, AtomicLong floor) {
    Series series = this.series.computeIfAbsent(key, Series::new);
    synchronized (series) {
      if (minute < floor.get()) {
        return false;
      }
      series.totals.record(s);
      series.changed = true;
    }
    dirty.set(true);
    return true;
  }

  /**
   * The rows to write for this minute: the series of the finest grain that changed, and the series
   * of the coarser grains that any of those falls in (each the sum of all its finest series, as the
   * rows are cumulative). Adds the series it took as changed to {@code taken}, so a failed write can
   * give them back ({@link #giveBack}).
   */
  List<StatsRow> rows(String replica, Totals.Encoder encoder, List<Series> taken) {
    List<StatsRow> rows = new ArrayList<>();
    Map<StatsGrain, Map<SeriesKey, Coarse>> coarse = new EnumMap<>(StatsGrain.class);
    for (Series s : series.values()) {
      synchronized (s) {
        if (s.totals.requests == 0) {
          continue;
        }
        boolean changed = s.changed;
        if (changed) {
          rows.add(s.totals.row(StatsGrain.ALL, minute, replica, s.key, encoder));
          s.changed = false;
          taken.add(s);
        }
        for (StatsGrain g : COARSE) {
          Coarse c = coarse.computeIfAbsent(g, x -> new HashMap<>()).computeIfAbsent(s.key.project(g),
              x -> new Coarse());
          s.totals.addTo(c.totals);
          c.changed |= changed;
        }
      }
    }
    coarse.forEach((g, sums) -> sums.forEach((k, c) -> {
      if (c.changed) {
        rows.add(c.totals.row(g, minute, replica, k, encoder));
      }
    }));
    return rows;
  }

  /** A coarser grain's series being summed, and whether any of its finest series changed. */
  private static final class Coarse {
    final Totals totals = new Totals();
    boolean changed;
  }

  /** A write of these series failed: the next flush writes them again. */
  void giveBack(List<Series> taken) {
    for (Series s : taken) {
      synchronized (s) {
        s.changed = true;
      }
    }
    dirty.set(true);
  }
}
