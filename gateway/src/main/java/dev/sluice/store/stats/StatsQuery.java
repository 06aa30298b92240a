package dev.sluice.store.stats;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stats time series: rows with {@code fromMinute <= minute < toMinute}, in buckets of
 * {@code stepMinutes} counted from {@code fromMinute}, one group per value of {@code groupBy}
 * (or one group when it is null), only series matching every filter.
 *
 * @param timing the histogram to merge and summarize, or null for counts, tokens and cost only
 * @param errorClasses whether each cell also gets its errors by error class
 */
public record StatsQuery(long fromMinute, long toMinute, int stepMinutes, StatsDimension groupBy,
    Map<StatsDimension, String> filters, Timing timing, boolean errorClasses) {

  /** A query without errors by class. */
  public StatsQuery(long fromMinute, long toMinute, int stepMinutes, StatsDimension groupBy,
      Map<StatsDimension, String> filters, Timing timing) {
    this(fromMinute, toMinute, stepMinutes, groupBy, filters, timing, false);
  }

  /** The three histograms kept per series. */
  public enum Timing {
    LATENCY("latency"), TTFT("ttft"), OVERHEAD("overhead");

    /** The table column this figure's histogram is stored in. */
    public final String column;

    Timing(String column) {
      this.column = column;
    }
  }

  public StatsQuery {
    if (toMinute <= fromMinute) {
      throw new IllegalArgumentException("to must be after from");
    }
    if (stepMinutes < 1) {
      throw new IllegalArgumentException("step must be at least one minute");
    }
    filters = filters.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(filters));
    filters.values().forEach(v -> Objects.requireNonNull(v, "filter value"));
  }

  /** How many buckets the answer can have. */
  public long buckets() {
    return (toMinute - fromMinute + stepMinutes - 1) / stepMinutes;
  }

  /** The grain that answers this query: the cheapest with the group and every filtered dimension. */
  public StatsGrain grain() {
    Set<StatsDimension> needed = EnumSet.noneOf(StatsDimension.class);
    needed.addAll(filters.keySet());
    if (groupBy != null) {
      needed.add(groupBy);
    }
    return StatsGrain.covering(needed);
  }
}
