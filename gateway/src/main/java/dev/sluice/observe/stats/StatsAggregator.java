package dev.sluice.observe.stats;

import dev.sluice.observe.RequestObserver;
import dev.sluice.observe.RequestSummary;
import dev.sluice.store.stats.StatsRow;
import dev.sluice.store.stats.StatsStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's stats rollups: per minute and per (model, provider, target, key, team), latency,
 * time-to-first-token and overhead histograms with counts, errors (also by error class), tokens and
 * cost, flushed to the {@link StatsStore} where every replica's rows are merged when read.
 *
 * <p><b>What counts.</b> Requests to the inference endpoints ({@code chat}, {@code messages},
 * {@code embeddings}) from an accepted key that named a model, whatever their outcome (refused by a
 * rate limit or budget, failed upstream, client gone): those are errors. Requests refused before
 * that (no or a wrong key, a body without a model) and the other routes are left to the metrics.
 * A request counts in the minute it finished, read from the injected clock.
 *
 * <p><b>Hot path.</b> {@link #requestFinished} runs on the request's event loop: one map look-up
 * and a few histogram records under that series' own lock; no I/O, no allocation beyond a new
 * series.
 *
 * <p><b>Flush.</b> Every {@code flushInterval} (and on {@link #stop}) the minutes that changed are
 * turned into rows on a worker thread and upserted in one transaction on the store's pool. Rows are
 * this replica's cumulative totals for the minute (so rewriting one is harmless and a failed flush
 * is simply redone by the next): the series that changed, plus the coarser grains (per model,
 * provider, team, target, key) summed from all series of the minute. A minute before the current
 * one is sealed at the flush's start and forgotten once its rows are stored. A crash loses at most
 * the last flush interval of stats; a clean stop loses nothing.
 *
 * <p>Thread-safe. Flushes never overlap: one asked for while another runs starts after it (callers
 * asking meanwhile share that one).
 */
public final class StatsAggregator implements RequestObserver {
  private static final Logger LOG = LoggerFactory.getLogger(StatsAggregator.class);
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);
  static final Set<String> ENDPOINTS = Set.of("chat", "messages", "embeddings");
  private static final long MINUTE_MILLIS = 60_000;
  /**
   * Past minutes kept while the store cannot take them; beyond, the oldest are dropped (and
   * counted): an outage of the store costs stats of its oldest minutes, never the heap.
   */
  static final int MAX_MINUTES_HELD = 60;

  /**
   * Minutes of each grain one flush may delete past the retention: with a flush every 10 s, a
   * backlog (a retention shortened, a replica started on an old store) goes 360 times faster than
   * time, while each delete stays a short range of the primary key.
   */
  static final int PRUNE_SPAN_MINUTES = 60;

  /** Periodic timers, injected so tests flush by hand; tasks must not block. */
  @FunctionalInterface
  public interface Timers {
    /** Runs {@code task} every {@code period}; the returned action cancels it. */
    Runnable every(Duration period, Runnable task);

    static Timers vertx(Vertx vertx) {
      return (period, task) -> {
        long id = vertx.setPeriodic(Math.max(1, period.toMillis()), t -> task.run());
        return () -> vertx.cancelTimer(id);
      };
    }
  }

  private final Vertx vertx;
  private final StatsStore store;
  private final String replica;
  private final Clock clock;
  private final Timers timers;
  private final ConcurrentHashMap<Long, MinuteSeries> minutes = new ConcurrentHashMap<>();
  /** Minutes before this are sealed: see {@link MinuteSeries}. Only rises. */
  private final AtomicLong floor = new AtomicLong(Long.MIN_VALUE);
  private final Object flushLock = new Object();
  private Future<Void> lastFlush = Future.succeededFuture();
  private Future<Void> nextFlush;
  private volatile Runnable cancelTimer;
  private final AtomicLong flushFailures = new AtomicLong();
  private final AtomicLong droppedMinutes = new AtomicLong();
  /** Rows older than this are deleted after each flush; null keeps them all. */
  private volatile Duration retention;

  private StatsAggregator(Vertx vertx, StatsStore store, String replica, Clock clock, Timers timers) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.replica = Objects.requireNonNull(replica, "replica");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timers = Objects.requireNonNull(timers, "timers");
  }

  /** An aggregator on Vert.x timers; {@code replica} names this process's rows (unique per process). */
  public static StatsAggregator create(Vertx vertx, StatsStore store, String replica, Clock clock) {
    return new StatsAggregator(vertx, store, replica, clock, Timers.vertx(vertx));
  }

  /** As {@link #create(Vertx, StatsStore, String, Clock)}, on the given timers. */
  public static StatsAggregator create(Vertx vertx, StatsStore store, String replica, Clock clock, Timers timers) {
    return new StatsAggregator(vertx, store, replica, clock, timers);
  }

  /** Deletes stats rows older than {@code keep} (of every replica) after each flush; null keeps them. */
  public StatsAggregator retainFor(Duration keep) {
    this.retention = keep;
    return this;
  }

  /** Starts flushing every {@code interval}. */
  public void start(Duration interval) {
    cancelTimer = timers.every(interval, this::flush);
  }

  public String replica() {
    return replica;
  }

  /** Flushes that failed so far (their rows were written by a later one, or are still waiting). */
  public long flushFailures() {
    return flushFailures.get();
  }

  /** Minutes dropped unstored because the store failed for longer than {@value #MAX_MINUTES_HELD} minutes. */
  public long droppedMinutes() {
    return droppedMinutes.get();
  }

  /** How many minutes are held in memory (the current one, and any not stored yet). */
  int minutesHeld() {
    return minutes.size();
  }

  @Override
  public void requestFinished(RequestSummary s) {
    if (!ENDPOINTS.contains(s.endpoint()) || s.keyName() == null || s.model() == null) {
      return;
    }
    SeriesKey key = new SeriesKey(s.model(), s.provider(), s.targetModel(), s.keyName(), s.team());
    long minute = Math.max(Math.floorDiv(clock.millis(), MINUTE_MILLIS), floor.get());
    while (!minutes.computeIfAbsent(minute, MinuteSeries::new).record(key, s, floor)) {
      minute = Math.max(minute + 1, floor.get()); // sealed meanwhile: the floor has passed it
    }
  }

  /**
   * Writes what changed since the last flush; completes when it is stored (fails if the store
   * failed: the rows are written again by the next flush). Never blocks.
   */
  public Future<Void> flush() {
    synchronized (flushLock) {
      if (nextFlush != null) {
        return nextFlush;
      }
      Promise<Void> done = Promise.promise();
      Future<Void> mine = done.future();
      nextFlush = mine;
      lastFlush.onComplete(ignored -> {
        synchronized (flushLock) {
          if (nextFlush == mine) {
            nextFlush = null;
          }
        }
        runFlush().onComplete(done);
      });
      lastFlush = mine;
      return mine;
    }
  }

  /** Stops the timer and flushes a last time. */
  public Future<Void> stop() {
    Runnable cancel = cancelTimer;
    if (cancel != null) {
      cancel.run();
    }
    return flush();
  }

  private Future<Void> runFlush() {
    long sealBefore = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
    floor.accumulateAndGet(sealBefore, Math::max);
    Map<MinuteSeries, List<MinuteSeries.Series>> taken = new LinkedHashMap<>();
    return vertx.<List<StatsRow>>executeBlocking(() -> rows(taken), false)
        .compose(rows -> rows.isEmpty() ? Future.<Void>succeededFuture() : store.upsert(rows))
        .onSuccess(v -> minutes.values().removeIf(m -> m.minute < floor.get() && !m.dirty.get()))
        .compose(v -> prune().otherwiseEmpty())
        .onFailure(e -> {
          taken.forEach(MinuteSeries::giveBack);
          flushFailures.incrementAndGet();
          LOG.warn("Stats flush failed; the next flush writes these minutes again: {}", e.toString());
          dropOldestBeyondLimit();
        });
  }

  /** Retention: one bounded delete of rows past {@link #retention}; a failure is logged, never the flush's. */
  private Future<Void> prune() {
    Duration keep = retention;
    if (keep == null) {
      return Future.succeededFuture();
    }
    long before = Math.floorDiv(clock.millis() - keep.toMillis(), MINUTE_MILLIS);
    return store.deleteOldest(before, PRUNE_SPAN_MINUTES)
        .onFailure(e -> LOG.warn("Stats retention failed; the next flush tries again: {}", e.toString()))
        .mapEmpty();
  }

  private void dropOldestBeyondLimit() {
    List<Long> held = new ArrayList<>(minutes.keySet());
    held.sort(null);
    for (int i = 0; i < held.size() - MAX_MINUTES_HELD && held.get(i) < floor.get(); i++) {
      if (minutes.remove(held.get(i)) != null) {
        droppedMinutes.incrementAndGet();
        LOG.warn("Stats of minute {} dropped: the store has refused them for {} minutes",
            java.time.Instant.ofEpochMilli(held.get(i) * MINUTE_MILLIS), MAX_MINUTES_HELD);
      }
    }
  }

  /** On a worker thread: the rows of every minute that changed, oldest first. */
  private List<StatsRow> rows(Map<MinuteSeries, List<MinuteSeries.Series>> taken) {
    Totals.Encoder encoder = new Totals.Encoder();
    List<StatsRow> rows = new ArrayList<>();
    List<MinuteSeries> changed = new ArrayList<>(minutes.values());
    changed.sort(Comparator.comparingLong(m -> m.minute));
    for (MinuteSeries m : changed) {
      if (m.dirty.getAndSet(false)) {
        List<MinuteSeries.Series> series = new ArrayList<>();
        taken.put(m, series);
        rows.addAll(m.rows(replica, encoder, series));
      }
    }
    return rows;
  }
}
