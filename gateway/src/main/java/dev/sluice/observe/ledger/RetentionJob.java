package dev.sluice.observe.ledger;

import dev.sluice.store.LedgerStore;
import dev.sluice.store.requestlog.RequestLogStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what has outlived {@code observability.retention}: stored bodies, request-log rows and
 * ledger rows, each by its own age (bodies never outlive their request), and the admin audit log
 * with the ledger's age (both are records kept for accounting). Runs in the background
 * every {@code every}: each kind is deleted {@code batch} rows per statement (one short transaction
 * on the store's worker pool), with a {@code pause} between statements, so the ledger writer's
 * inserts, which share SQLite's single writer connection, wait at most one small delete.
 *
 * <p>Time and timers are injected ({@link Clock}, {@link LedgerTimers}): tests run passes by hand.
 * One pass at a time; thread-safe. {@link #stop()} ends the schedule and any pass at its next step.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  /** How long each kind is kept. */
  public record Ages(Duration requests, Duration bodies, Duration ledger) {
    public Ages {
      Objects.requireNonNull(requests, "requests");
      Objects.requireNonNull(bodies, "bodies");
      Objects.requireNonNull(ledger, "ledger");
    }
  }

  /** Rows one pass deleted, by kind. */
  public record Deleted(long requests, long bodies, long ledger, long audit) {}

  /**
   * Deletes at most {@code max} rows older than {@code cutoff} and tells how many it deleted (the
   * audit log's {@code deleteBefore}); seen through this seam, observe needs nothing more of it.
   */
  @FunctionalInterface
  public interface RowPurger {
    RowPurger NONE = (cutoff, max) -> Future.succeededFuture(0);

    Future<Integer> deleteBefore(Instant cutoff, int max);

    /**
     * {@code first}, then {@code then} once {@code first} has nothing more to delete: one purger for
     * several tables kept as long as the ledger (a batch that comes back short ends the pass, so the
     * second table is only asked when the first one's batch came back short).
     */
    static RowPurger inTurn(RowPurger first, RowPurger then) {
      return (cutoff, max) -> first.deleteBefore(cutoff, max)
          .compose(a -> a >= max ? Future.succeededFuture(a) : then.deleteBefore(cutoff, max).map(b -> a + b));
    }
  }

  /**
   * The schedule.
   *
   * @param every time between passes (the first one {@code every} after {@link #start()})
   * @param batch rows per DELETE statement
   * @param pause time between two statements of a pass
   */
  public record Schedule(Duration every, int batch, Duration pause) {
    /** A pass every 10 minutes, 500 rows per statement, 50 ms apart. */
    public static final Schedule DEFAULT = new Schedule(Duration.ofMinutes(10), 500, Duration.ofMillis(50));

    public Schedule {
      if (batch < 1 || every.isNegative() || every.isZero() || pause.isNegative()) {
        throw new IllegalArgumentException("batch and every must be positive, pause not negative");
      }
    }
  }

  private final RequestLogStore requests;
  private final LedgerStore ledger;
  private final RowPurger audit;
  private final Ages ages;
  private final Clock clock;
  private final LedgerTimers timers;
  private final Schedule schedule;
  private final AtomicReference<Future<Deleted>> running = new AtomicReference<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile LedgerTimers.Timer periodic;

  /** Without an audit log to purge. */
  public RetentionJob(RequestLogStore requests, LedgerStore ledger, Ages ages, Clock clock, LedgerTimers timers,
      Schedule schedule) {
    this(requests, ledger, RowPurger.NONE, ages, clock, timers, schedule);
  }

  /** {@code audit} is purged with the ledger's age. */
  public RetentionJob(RequestLogStore requests, LedgerStore ledger, RowPurger audit, Ages ages, Clock clock,
      LedgerTimers timers, Schedule schedule) {
    this.requests = Objects.requireNonNull(requests, "requests");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.ages = Objects.requireNonNull(ages, "ages");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
  }

  /** Starts the schedule; returns this. */
  public RetentionJob start() {
    periodic = timers.every(schedule.every(), () -> runOnce().onFailure(e -> LOG.warn("Retention pass failed", e)));
    return this;
  }

  /** Ends the schedule; a pass under way stops before its next statement. Idempotent. */
  public void stop() {
    stopped.set(true);
    LedgerTimers.Timer t = periodic;
    if (t != null) {
      t.cancel();
    }
  }

  /**
   * One pass over the four kinds, cut-offs fixed at its start. While one runs, a second call gets
   * the same pass. A store failure ends that kind's deletes for this pass (the next pass retries);
   * the pass itself always succeeds.
   */
  public Future<Deleted> runOnce() {
    Promise<Deleted> p = Promise.promise();
    if (!running.compareAndSet(null, p.future())) {
      Future<Deleted> current = running.get();
      return current != null ? current : runOnce();
    }
    Instant now = clock.instant();
    Duration bodyAge = ages.bodies().compareTo(ages.requests()) < 0 ? ages.bodies() : ages.requests();
    long[] counts = new long[4];
    purge("bodies", now.minus(bodyAge), requests::deleteBodiesBefore, 0, counts)
        .compose(v -> purge("requests", now.minus(ages.requests()), requests::deleteBefore, 1, counts))
        .compose(v -> purge("ledger", now.minus(ages.ledger()), ledger::deleteBefore, 2, counts))
        .compose(v -> purge("audit log", now.minus(ages.ledger()), audit::deleteBefore, 3, counts))
        .onComplete(ar -> {
          Deleted d = new Deleted(counts[1], counts[0], counts[2], counts[3]);
          if (d.requests() + d.bodies() + d.ledger() + d.audit() > 0) {
            LOG.info("Retention deleted {} requests, {} stored bodies, {} ledger rows, {} audit entries", d.requests(),
                d.bodies(), d.ledger(), d.audit());
          }
          running.set(null);
          p.complete(d);
        });
    return p.future();
  }

  /** Deletes one kind, a batch at a time, until a batch comes back short. */
  private Future<Void> purge(String kind, Instant cutoff, BiFunction<Instant, Integer, Future<Integer>> delete,
      int slot, long[] counts) {
    if (stopped.get()) {
      return Future.succeededFuture();
    }
    Future<Integer> batch;
    try {
      batch = delete.apply(cutoff, schedule.batch());
    } catch (RuntimeException e) {
      batch = Future.failedFuture(e);
    }
    return batch.transform(ar -> {
      if (ar.failed()) {
        LOG.warn("Retention of {} failed; retried next pass: {}", kind, ar.cause().toString());
        return Future.<Void>succeededFuture();
      }
      counts[slot] += ar.result();
      if (ar.result() < schedule.batch() || stopped.get()) {
        return Future.<Void>succeededFuture();
      }
      return pause().compose(v -> purge(kind, cutoff, delete, slot, counts));
    });
  }

  private Future<Void> pause() {
    Promise<Void> p = Promise.promise();
    timers.after(schedule.pause(), p::tryComplete);
    return p.future();
  }
}
