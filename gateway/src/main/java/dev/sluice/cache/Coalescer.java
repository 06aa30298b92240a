package dev.sluice.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Concurrent identical misses, in this process: the first one to miss leads (calls the provider),
 * the others follow (wait for the leader's answer). A follower waits at most its bounded wait; when
 * the leader ends without an answer to share (an error, a refusal, a client gone) or the wait runs
 * out, each follower goes on by itself — one leader's failure is never handed to the others.
 *
 * <p>Thread-safe: leaders and followers may live on different event loops; a follower's answer is
 * handed back on its own context.
 */
public final class Coalescer {
  private final Vertx vertx;
  private final ConcurrentHashMap<String, CompletableFuture<CachedAnswer>> flights = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong waiting = new java.util.concurrent.atomic.AtomicLong();

  public Coalescer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A request's place in a flight: the leader's {@code landing} to complete, or a follower's wait. */
  public record Seat(CompletableFuture<CachedAnswer> landing, Future<CachedAnswer> answer) {
    public boolean leads() {
      return landing != null;
    }
  }

  /**
   * Joins the flight for {@code key}: leads a new one, or follows the one in the air. A follower's
   * {@code answer} is the leader's answer, or null (go on alone) when there is none within {@code wait}.
   */
  public Seat join(String key, Duration wait) {
    CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
    CompletableFuture<CachedAnswer> existing = flights.putIfAbsent(key, mine);
    if (existing == null) {
      return new Seat(mine, null);
    }
    Promise<CachedAnswer> answer = Promise.promise();
    waiting.incrementAndGet();
    answer.future().onComplete(ar -> waiting.decrementAndGet());
    Context ctx = vertx.getOrCreateContext();
    long timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> answer.tryComplete(null));
    existing.whenComplete((a, e) -> ctx.runOnContext(v -> {
      vertx.cancelTimer(timer);
      answer.tryComplete(e == null ? a : null);
    }));
    return new Seat(null, answer.future());
  }

  /** The leader of {@code seat} is done: {@code answer} is what it stored, or null for nothing to share. */
  public void land(String key, Seat seat, CachedAnswer answer) {
    if (seat == null || !seat.leads()) {
      return;
    }
    flights.remove(key, seat.landing());
    seat.landing().complete(answer);
  }

  /** Followers waiting for a leader's answer now. */
  public long waiting() {
    return waiting.get();
  }
}
