package dev.sluice.admission;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The two Lua scripts of {@link RedisRateLimiter}: each runs atomically inside Redis, so "check
 * every scope, then charge every scope or none" cannot interleave with another replica.
 *
 * <p>Per scope three keys: {@code …:r} and {@code …:t} are hashes {@code {l: level, t: µs}} — the
 * leaky buckets of {@link Bucket}, same arithmetic — and {@code …:c} is a sorted set of in-flight
 * reservation ids scored by lease expiry, so a replica that dies mid-request leaks its slot only
 * until the lease ends. Every key carries a TTL of when it would have drained anyway.
 *
 * <p>Time is microseconds since the epoch: Redis's own {@code TIME} when ARGV[1] is empty (one
 * clock for all replicas), else ARGV[1] (tests that share a fake clock).
 */
final class RedisScripts {
  private RedisScripts() {}

  private static final String COMMON = """
      local now
      if ARGV[1] == '' then
        local t = redis.call('TIME')
        now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      else
        now = tonumber(ARGV[1])
      end
      local window = tonumber(ARGV[2])
      local function level(key, limit)
        local v = redis.call('HMGET', key, 'l', 't')
        local l = tonumber(v[1])
        if not l then return 0 end
        local elapsed = now - tonumber(v[2])
        if elapsed < 0 then elapsed = 0 end
        l = l - elapsed * limit / window
        if l < 0 then return 0 end
        return l
      end
      local function store(key, l, limit)
        if l < 0 then l = 0 end
        redis.call('HSET', key, 'l', tostring(l), 't', string.format('%.0f', now))
        redis.call('PEXPIRE', key, math.ceil(l * window / limit / 1000) + 1000)
      end
      """;

  /**
   * KEYS: per scope r, t, c. ARGV: now, window µs, cost, lease µs, reservation id, concurrency
   * hint µs, then per scope rpm, tpm, max concurrency. Returns {verdict (1 admitted, 0 limited,
   * 2 too large), refusing scope (1-based), kind (1 requests, 2 tokens, 3 concurrency), wait µs,
   * then limit, remaining, reset µs for requests and for tokens of the tightest scope, -1 if none}.
   */
  static final String RESERVE = COMMON + """
      local cost = tonumber(ARGV[3])
      local lease = tonumber(ARGV[4])
      local id = ARGV[5]
      local hint = tonumber(ARGV[6])
      local n = #KEYS / 3
      local rpm, tpm, mc, req, tok = {}, {}, {}, {}, {}
      local verdict, ref, kind, wait = 1, 0, 0, 0
      local function refuse(i, k, w, large)
        if verdict == 2 then return end
        if large then verdict, ref, kind, wait = 2, i, k, 0; return end
        if verdict == 1 or w > wait then verdict, ref, kind, wait = 0, i, k, w end
      end
      for i = 1, n do
        rpm[i] = tonumber(ARGV[3 * i + 4])
        tpm[i] = tonumber(ARGV[3 * i + 5])
        mc[i] = tonumber(ARGV[3 * i + 6])
        req[i], tok[i] = 0, 0
        if rpm[i] > 0 then
          req[i] = level(KEYS[3 * i - 2], rpm[i])
          if req[i] + 1 > rpm[i] then refuse(i, 1, math.ceil((req[i] + 1 - rpm[i]) * window / rpm[i]), false) end
        end
        if tpm[i] > 0 then
          tok[i] = level(KEYS[3 * i - 1], tpm[i])
          if cost > tpm[i] then refuse(i, 2, 0, true)
          elseif tok[i] + cost > tpm[i] then refuse(i, 2, math.ceil((tok[i] + cost - tpm[i]) * window / tpm[i]), false) end
        end
        if mc[i] > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[3 * i], '-inf', now)
          if redis.call('ZCARD', KEYS[3 * i]) + 1 > mc[i] then refuse(i, 3, hint, false) end
        end
      end
      if verdict == 1 then
        for i = 1, n do
          if rpm[i] > 0 then req[i] = req[i] + 1; store(KEYS[3 * i - 2], req[i], rpm[i]) end
          if tpm[i] > 0 then tok[i] = tok[i] + cost; store(KEYS[3 * i - 1], tok[i], tpm[i]) end
          if mc[i] > 0 then
            redis.call('ZADD', KEYS[3 * i], now + lease, id)
            redis.call('PEXPIRE', KEYS[3 * i], math.ceil(lease / 1000) + 1000)
          end
        end
      end
      local out = {verdict, ref, kind, wait, -1, -1, -1, -1, -1, -1}
      local function tightest(at, limit, lvl)
        local rem = math.floor(limit - lvl + 1e-9)
        if rem < 0 then rem = 0 end
        if out[at] == -1 or rem < out[at + 1] or (rem == out[at + 1] and limit < out[at]) then
          out[at], out[at + 1], out[at + 2] = limit, rem, math.ceil(lvl * window / limit)
        end
      end
      for i = 1, n do
        if rpm[i] > 0 then tightest(5, rpm[i], req[i]) end
        if tpm[i] > 0 then tightest(8, tpm[i], tok[i]) end
      end
      return out
      """;

  /**
   * KEYS: per scope t, c. ARGV: now, window µs, token delta, reservation id, then per scope tpm,
   * max concurrency. Adds the delta to each token bucket (never below empty) and frees the lease.
   */
  static final String SETTLE = COMMON + """
      local delta = tonumber(ARGV[3])
      local id = ARGV[4]
      for i = 1, #KEYS / 2 do
        local tpm = tonumber(ARGV[2 * i + 3])
        local mc = tonumber(ARGV[2 * i + 4])
        if tpm > 0 and delta ~= 0 then store(KEYS[2 * i - 1], level(KEYS[2 * i - 1], tpm) + delta, tpm) end
        if mc > 0 then redis.call('ZREM', KEYS[2 * i], id) end
      end
      return 1
      """;

  static final String RESERVE_SHA = sha1(RESERVE);
  static final String SETTLE_SHA = sha1(SETTLE);

  /**
   * EVALSHA, and EVAL when the server does not know the script (first use, or a restarted Redis
   * that lost its script cache): only the first call after that ships the source.
   */
  static Future<Response> run(Redis redis, String script, String sha, List<String> keys, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      String msg = String.valueOf(err.getMessage());
      if (msg.startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, script, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  private static Request request(Command cmd, String scriptOrSha, List<String> keys, List<String> args) {
    Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
