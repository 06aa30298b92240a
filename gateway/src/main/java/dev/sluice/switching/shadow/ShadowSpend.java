package dev.sluice.switching.shadow;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daily spend counters of shadow candidates: reserve the worst case before a call, settle on
 * its actual cost after. In-process for one replica, or in Redis shared by every replica (one
 * Lua script checks and reserves, so replicas cannot together pass the cap). Thread-safe.
 */
public interface ShadowSpend {

  /** Reserves {@code worstMicros} on {@code key}'s counter for {@code day} unless it would pass {@code capMicros}. */
  Future<Boolean> tryReserve(String key, String day, long capMicros, long worstMicros);

  /** Replaces a reservation by what the call really cost. */
  void settle(String key, String day, long reservedMicros, long actualMicros);

  /** Micro-USD counted for {@code key} on {@code day} (settled plus reserved). */
  Future<Long> spent(String key, String day);

  /** Counters of this process only. */
  static ShadowSpend local() {
    return new ShadowSpend() {
      private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

      private AtomicLong counter(String key, String day) {
        if (counters.size() > 10_000) {
          counters.keySet().removeIf(k -> !k.endsWith(":" + day)); // earlier days are done with
        }
        return counters.computeIfAbsent(key + ":" + day, k -> new AtomicLong());
      }

      @Override
      public Future<Boolean> tryReserve(String key, String day, long capMicros, long worstMicros) {
        AtomicLong c = counter(key, day);
        while (true) {
          long now = c.get();
          if (now + worstMicros > capMicros) {
            return Future.succeededFuture(false);
          }
          if (c.compareAndSet(now, now + worstMicros)) {
            return Future.succeededFuture(true);
          }
        }
      }

      @Override
      public void settle(String key, String day, long reservedMicros, long actualMicros) {
        counter(key, day).addAndGet(actualMicros - reservedMicros);
      }

      @Override
      public Future<Long> spent(String key, String day) {
        return Future.succeededFuture(counter(key, day).get());
      }
    };
  }

  /**
   * Counters in Redis, under {@code sluice:shadow:spend:<key>:<day>}, kept two days. A replica that
   * dies mid-call leaves its reservation counted for the rest of the day (the cap errs low, never high).
   */
  static ShadowSpend redis(Redis redis) {
    String reserve = """
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        if cur + tonumber(ARGV[2]) > tonumber(ARGV[1]) then return 0 end
        redis.call('INCRBY', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], 172800000)
        return 1
        """;
    return new ShadowSpend() {
      @Override
      public Future<Boolean> tryReserve(String key, String day, long capMicros, long worstMicros) {
        return redis.send(Request.cmd(Command.EVAL).arg(reserve).arg(1).arg(redisKey(key, day)).arg(capMicros)
            .arg(worstMicros)).map(r -> r.toLong() == 1L);
      }

      @Override
      public void settle(String key, String day, long reservedMicros, long actualMicros) {
        if (actualMicros != reservedMicros) {
          redis.send(Request.cmd(Command.INCRBY).arg(redisKey(key, day)).arg(actualMicros - reservedMicros));
        }
      }

      @Override
      public Future<Long> spent(String key, String day) {
        return redis.send(Request.cmd(Command.GET).arg(redisKey(key, day))).map(r -> r == null ? 0L : r.toLong());
      }

      private String redisKey(String key, String day) {
        return "sluice:shadow:spend:" + key + ":" + day;
      }
    };
  }
}
