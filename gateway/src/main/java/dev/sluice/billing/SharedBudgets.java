package dev.sluice.billing;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Budgets shared by every replica through Redis. Per budget and period two keys: {@code …:spent}
 * (micro-USD settled so far, seeded once from this replica's ledger view) and {@code …:holds}, a
 * hash of in-flight reservations with a sorted set of their expiry, so a replica that dies
 * mid-request leaks its reservation only until the hold expires. Check-and-reserve is one Lua
 * script: replicas cannot together pass the limit. Thread-safe; never blocks.
 */
public final class SharedBudgets {
  /** How long a hold lives if its replica never settles it (longer than any request's deadline). */
  static final long HOLD_TTL_MS = 15 * 60 * 1000;

  private static final String RESERVE = """
      redis.call('SET', KEYS[1], ARGV[6], 'NX')
      local now = tonumber(ARGV[4])
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do redis.call('HDEL', KEYS[3], id) end
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
      local held = 0
      for _, v in ipairs(redis.call('HVALS', KEYS[3])) do held = held + tonumber(v) end
      if tonumber(redis.call('GET', KEYS[1])) + held + tonumber(ARGV[2]) > tonumber(ARGV[1]) then return 0 end
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[3])
      redis.call('HSET', KEYS[3], ARGV[3], ARGV[2])
      for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[7])) end
      return 1
      """;

  private static final String SETTLE = """
      redis.call('HDEL', KEYS[3], ARGV[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return redis.call('INCRBY', KEYS[1], ARGV[2])
      """;

  private final Redis redis;

  public SharedBudgets(Redis redis) {
    this.redis = redis;
  }

  /**
   * Reserves {@code worst} on the budget {@code key} unless spent + held + worst would pass
   * {@code limit}; {@code seedSpent} initialises the spend the first time any replica uses the key.
   */
  Future<Boolean> tryReserve(String key, long limit, long worst, String holdId, long seedSpent, long keepMs) {
    return redis.send(Request.cmd(Command.EVAL).arg(RESERVE).arg(3).arg(key + ":spent").arg(key + ":exp")
        .arg(key + ":holds").arg(limit).arg(worst).arg(holdId).arg(System.currentTimeMillis()).arg(HOLD_TTL_MS)
        .arg(seedSpent).arg(keepMs)).map(r -> r.toLong() == 1L);
  }

  /** Replaces a hold by the actual cost; answers the budget's spend afterwards. */
  Future<Long> settle(String key, String holdId, long actual) {
    return redis.send(Request.cmd(Command.EVAL).arg(SETTLE).arg(3).arg(key + ":spent").arg(key + ":exp")
        .arg(key + ":holds").arg(holdId).arg(actual)).map(Response::toLong);
  }
}
