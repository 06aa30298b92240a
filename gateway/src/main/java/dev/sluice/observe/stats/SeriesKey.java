package dev.sluice.observe.stats;

import dev.sluice.store.stats.StatsDimension;
import dev.sluice.store.stats.StatsGrain;
import java.util.Set;

/** The dimensions of one series; null where a request had none, or the grain does not keep one. */
record SeriesKey(String model, String provider, String target, String keyName, String team) {

  /** This series as seen by a coarser grain: the dimensions it does not keep become null. */
  SeriesKey project(StatsGrain grain) {
    Set<StatsDimension> d = grain.dimensions();
    return new SeriesKey(d.contains(StatsDimension.MODEL) ? model : null,
        d.contains(StatsDimension.PROVIDER) ? provider : null, d.contains(StatsDimension.TARGET) ? target : null,
        d.contains(StatsDimension.KEY) ? keyName : null, d.contains(StatsDimension.TEAM) ? team : null);
  }
}
