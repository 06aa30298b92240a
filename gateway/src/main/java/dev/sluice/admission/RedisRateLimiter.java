package dev.sluice.admission;

import dev.sluice.core.Ticker;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link RateLimiter} shared by every gateway replica through Redis: one atomic Lua script per
 * reserve (check all scopes, then charge all or none) and one per settle ({@link RedisScripts}).
 * Keys are {@code sluice:rl:<kind>:<id>:r|t|c}. A script touches the keys of several scopes, so
 * they must live on one node: standalone or Sentinel Redis, not Cluster.
 *
 * <p>Tolerance: rpm and tpm are leaky buckets (GCRA), exact at every instant across replicas — at
 * no moment does the fleet hold more than the limit — with the token-bucket allowance over time: in
 * any interval of length t at most {@code limit × (1 + t / 1 min)} pass. Time is Redis's own
 * {@code TIME}, so replicas' clocks do not matter. A reserve that times out on our side but still
 * runs in Redis is released as soon as its late answer arrives (its rpm stays charged, as for any
 * release); if no answer ever comes, its concurrency lease ends with {@code leaseTtl}.
 *
 * <p>When Redis does not answer within {@code commandTimeout} the {@link FailureMode} applies, and
 * keeps applying without asking Redis until a probe (one call per {@code probeInterval}) gets an
 * answer; see {@link FallbackSwitch}. Reservations settle where they were made.
 *
 * <p>Threading: thread-safe and non-blocking; futures complete on the Redis client's event loop,
 * or at once for fallback answers. Lifecycle: the caller owns the {@link Redis} client and closes
 * it after the last settle.
 */
public final class RedisRateLimiter implements RateLimiter {
  static final String KEY_PREFIX = "sluice:rl:";

  /** Where limits are enforced now. */
  public enum Mode { SHARED, FALLBACK }

  /** Told of every switch between modes; for metrics. Must not block. */
  @FunctionalInterface
  public interface ModeListener {
    /** {@code cause} is the failure that switched to fallback, null when switching back. */
    void onModeChange(Mode mode, Throwable cause);
  }

  private final Redis redis;
  private final FailureMode failureMode;
  private final int expectedReplicas;
  private final Duration commandTimeout;
  private final Duration probeInterval;
  private final long leaseMicros;
  private final long concurrencyRetryMicros;
  private final LongSupplier sharedClockMicros;
  private final String replicaId;
  private final AtomicLong sequence = new AtomicLong();
  private final FallbackSwitch fallback;
  private final LocalRateLimiter local;

  private RedisRateLimiter(RedisRateLimiterBuilder b) {
    this.redis = Objects.requireNonNull(b.redis, "redis");
    this.failureMode = b.failureMode;
    this.expectedReplicas = b.expectedReplicas;
    this.commandTimeout = b.commandTimeout;
    this.probeInterval = b.probeInterval;
    this.leaseMicros = b.leaseTtl.toNanos() / 1000;
    this.concurrencyRetryMicros = b.concurrencyRetry.toNanos() / 1000;
    this.sharedClockMicros = b.sharedClockMicros;
    this.replicaId = b.replicaId != null ? b.replicaId : UUID.randomUUID().toString();
    this.fallback = new FallbackSwitch(b.ticker, b.probeInterval, b.failureMode, b.listener);
    this.local = new LocalRateLimiter(b.ticker, b.concurrencyRetry);
  }

  public static RedisRateLimiterBuilder builder(Redis redis) {
    return new RedisRateLimiterBuilder(redis);
  }

  /** SHARED while Redis answers, FALLBACK while the failure mode applies. */
  public Mode mode() {
    return fallback.mode();
  }

  /** How many times the limiter has switched from shared to fallback. */
  public long fallbackTransitions() {
    return fallback.fallbackTransitions();
  }

  public FailureMode failureMode() {
    return failureMode;
  }

  @Override
  public Future<Admission> reserve(List<ScopedLimit> limits, long estimatedTokens) {
    Limits.check(limits, estimatedTokens);
    List<ScopedLimit> held = limits.stream().filter(l -> !l.spec().unlimited()).toList();
    if (held.isEmpty()) {
      return Future.succeededFuture(Admission.admitted(Reservation.none(estimatedTokens), RateLimitHeaders.NONE));
    }
    if (!fallback.useRedis()) {
      return fallbackReserve(held, estimatedTokens);
    }
    String id = replicaId + ":" + sequence.incrementAndGet();
    List<String> keys = new ArrayList<>(held.size() * 3);
    List<String> args = new ArrayList<>(6 + held.size() * 3);
    args.add(now());
    args.add(Long.toString(Bucket.WINDOW_NANOS / 1000));
    args.add(Long.toString(estimatedTokens));
    args.add(Long.toString(leaseMicros));
    args.add(id);
    args.add(Long.toString(concurrencyRetryMicros));
    for (ScopedLimit l : held) {
      String base = KEY_PREFIX + l.scope() + ":";
      keys.add(base + "r");
      keys.add(base + "t");
      keys.add(base + "c");
      args.add(Long.toString(l.spec().rpm()));
      args.add(Long.toString(l.spec().tpm()));
      args.add(Integer.toString(l.spec().maxConcurrency()));
    }
    Future<Response> sent = RedisScripts.run(redis, RedisScripts.RESERVE, RedisScripts.RESERVE_SHA, keys, args);
    return sent
        .timeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            // A slow Redis may still run the script after we stopped waiting; whatever it admitted
            // then is nobody's, so it goes straight back instead of holding a slot for a lease.
            sent.onSuccess(late -> {
              if (late.get(0).toInteger() == 1) {
                settle(held, -estimatedTokens, id);
              }
            });
            fallback.redisFailed(ar.cause());
            return fallbackReserve(held, estimatedTokens);
          }
          fallback.redisAnswered();
          return Future.succeededFuture(decode(ar.result(), held, estimatedTokens, id));
        });
  }

  private Future<Admission> fallbackReserve(List<ScopedLimit> held, long estimatedTokens) {
    return switch (failureMode) {
      case FAIL_OPEN -> Future.succeededFuture(Admission.admitted(Reservation.none(estimatedTokens), RateLimitHeaders.NONE));
      case FAIL_CLOSED -> Future.succeededFuture(Admission.unavailable(probeInterval));
      case LOCAL -> local.reserve(held.stream()
          .map(l -> new ScopedLimit(l.scope(), l.spec().dividedBy(expectedReplicas))).toList(), estimatedTokens);
    };
  }

  private Admission decode(Response r, List<ScopedLimit> held, long estimatedTokens, String id) {
    HeaderTracker headers = new HeaderTracker();
    if (r.get(4).toLong() >= 0) {
      headers.requests(new RateLimitHeaders.Quota(r.get(4).toLong(), r.get(5).toLong(), micros(r.get(6).toLong())));
    }
    if (r.get(7).toLong() >= 0) {
      headers.tokens(new RateLimitHeaders.Quota(r.get(7).toLong(), r.get(8).toLong(), micros(r.get(9).toLong())));
    }
    int verdict = r.get(0).toInteger();
    if (verdict == 1) {
      return Admission.admitted(new RedisReservation(held, estimatedTokens, id), headers.build());
    }
    ScopedLimit refusing = held.get(r.get(1).toInteger() - 1);
    if (verdict == 2) {
      return Admission.tooLarge(refusing.scope(), estimatedTokens, refusing.spec().tpm(), headers.build());
    }
    LimitKind kind = LimitKind.values()[r.get(2).toInteger() - 1]; // the script numbers them in declaration order
    return Admission.limited(refusing.scope(), kind, micros(r.get(3).toLong()), headers.build());
  }

  private Future<Void> settle(List<ScopedLimit> held, long delta, String id) {
    List<String> keys = new ArrayList<>(held.size() * 2);
    List<String> args = new ArrayList<>(4 + held.size() * 2);
    args.add(now());
    args.add(Long.toString(Bucket.WINDOW_NANOS / 1000));
    args.add(Long.toString(delta));
    args.add(id);
    for (ScopedLimit l : held) {
      String base = KEY_PREFIX + l.scope() + ":";
      keys.add(base + "t");
      keys.add(base + "c");
      args.add(Long.toString(l.spec().tpm()));
      args.add(Integer.toString(l.spec().maxConcurrency()));
    }
    return RedisScripts.run(redis, RedisScripts.SETTLE, RedisScripts.SETTLE_SHA, keys, args)
        .timeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            // The token adjustment is lost; the concurrency slot comes back when its lease ends.
            fallback.redisFailed(ar.cause());
            return Future.failedFuture(ar.cause());
          }
          fallback.redisAnswered();
          return Future.succeededFuture();
        });
  }

  private String now() {
    return sharedClockMicros == null ? "" : Long.toString(sharedClockMicros.getAsLong());
  }

  private static Duration micros(long us) {
    return Duration.ofNanos(Math.max(0, us) * 1000);
  }

  private final class RedisReservation implements Reservation {
    private final List<ScopedLimit> held;
    private final long estimated;
    private final String id;
    private final AtomicBoolean done = new AtomicBoolean();

    RedisReservation(List<ScopedLimit> held, long estimated, String id) {
      this.held = held;
      this.estimated = estimated;
      this.id = id;
    }

    @Override
    public long estimatedTokens() {
      return estimated;
    }

    @Override
    public Future<Void> settle(long actualTokens) {
      if (!done.compareAndSet(false, true)) {
        return Future.succeededFuture();
      }
      return RedisRateLimiter.this.settle(held, Math.max(0, actualTokens) - estimated, id);
    }

    @Override
    public boolean done() {
      return done.get();
    }
  }

  static RedisRateLimiter create(RedisRateLimiterBuilder b) {
    return new RedisRateLimiter(b);
  }
}
