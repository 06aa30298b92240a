package dev.sluice.store.stats;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which dimensions a stats row is kept by. Every grain partitions all requests: the rows of one
 * minute of any grain add up to the same totals. {@link #ALL} keeps every dimension and answers any
 * query; the coarser grains hold far fewer rows and answer the common ones (a day per model) fast.
 * A row's dimensions outside its grain are {@code null}.
 */
public enum StatsGrain {
  // Cheapest first: a query reads the first grain that has every dimension it needs.
  PROVIDER(EnumSet.of(StatsDimension.PROVIDER)),
  MODEL(EnumSet.of(StatsDimension.MODEL)),
  TEAM(EnumSet.of(StatsDimension.TEAM)),
  TARGET(EnumSet.of(StatsDimension.PROVIDER, StatsDimension.TARGET)),
  KEY(EnumSet.of(StatsDimension.KEY, StatsDimension.TEAM)),
  ALL(EnumSet.allOf(StatsDimension.class));

  private final Set<StatsDimension> dimensions;

  StatsGrain(EnumSet<StatsDimension> dimensions) {
    this.dimensions = java.util.Collections.unmodifiableSet(dimensions);
  }

  public Set<StatsDimension> dimensions() {
    return dimensions;
  }

  /** The value stored in the {@code grain} column. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The cheapest grain that keeps every one of {@code needed}. */
  public static StatsGrain covering(Set<StatsDimension> needed) {
    for (StatsGrain g : values()) {
      if (g.dimensions.containsAll(needed)) {
        return g;
      }
    }
    return ALL;
  }
}
