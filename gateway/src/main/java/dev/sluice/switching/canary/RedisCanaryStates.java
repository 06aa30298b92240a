package dev.sluice.switching.canary;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * Canary states shared by every replica in Redis: one hash per canary, {@code sluice:canary:<entry>},
 * holding the state and its window's counters.
 *
 * <p>An outcome is counted by a script that increments the window atomically and returns the whole
 * hash. A transition (step, roll-over, rollback, an operator's action, a fresh start) is computed
 * here by {@link CanaryRules} from what was read, then written by a compare-and-set script that
 * replaces the hash only if its {@code version} is still the one read; a replica that lost the race
 * reads again and judges the new state. So two replicas cannot both take a step, nor one step while
 * another rolls back: whichever writes first wins, and the other's judgment is made again on the
 * result (a step's empty window trips nothing). Counts landing between a read and the write are
 * lost to the window being closed, which the next window does not need.
 */
final class RedisCanaryStates implements CanaryStates {
  static final String PREFIX = "sluice:canary:";
  private static final int MAX_TRIES = 8;

  /** KEYS: the hash. ARGV: fingerprint, error (0|1), slow (0|1), TTFT bucket field or ''. */
  static final String RECORD = """
      local k = KEYS[1]
      local st = redis.call('HMGET', k, 'fp', 'phase')
      if st[1] ~= ARGV[1] then return {} end
      if st[2] ~= 'rolled_back' then
        redis.call('HINCRBY', k, 'n', 1)
        if ARGV[2] == '1' then redis.call('HINCRBY', k, 'err', 1) end
        if ARGV[3] == '1' then redis.call('HINCRBY', k, 'slow', 1) end
        if ARGV[4] ~= '' then redis.call('HINCRBY', k, ARGV[4], 1) end
      end
      return redis.call('HGETALL', k)
      """;

  /** KEYS: the hash. The hash as a flat list (a script's reply is the same in RESP2 and RESP3). */
  static final String READ = "return redis.call('HGETALL', KEYS[1])";

  /** KEYS: the hash. ARGV: the version read ('' for none), then field, value pairs. Returns 1 if written. */
  static final String CAS = """
      local k = KEYS[1]
      local v = redis.call('HGET', k, 'version')
      if (v or '') ~= ARGV[1] then return 0 end
      redis.call('DEL', k)
      redis.call('HSET', k, unpack(ARGV, 2))
      return 1
      """;

  private final Redis redis;
  private final CanaryListener listener;

  RedisCanaryStates(Redis redis, CanaryListener listener) {
    this.redis = redis;
    this.listener = listener;
  }

  static String key(String entry) {
    return PREFIX + entry;
  }

  @Override
  public Future<CanaryState> init(CanarySpec spec, long now) {
    return transition(spec, 0, s -> s != null && spec.fingerprint().equals(s.fingerprint()) ? s
        : CanaryRules.fresh(spec, now, s == null ? 1 : s.version() + 1));
  }

  @Override
  public Future<CanaryState> record(CanarySpec spec, CanaryOutcome o, long now) {
    boolean slow = !o.error() && spec.p95TtftMillis() > 0 && o.ttftMillis() > spec.p95TtftMillis();
    Request r = Request.cmd(Command.EVAL).arg(RECORD).arg(1).arg(key(spec.entry())).arg(spec.fingerprint())
        .arg(o.error() ? "1" : "0").arg(slow ? "1" : "0").arg(o.error() ? "" : "h" + CanaryWindow.bucketOf(o.ttftMillis()));
    return redis.send(r).compose(resp -> {
      CanaryState s = parse(resp);
      if (s == null) {
        return init(spec, now); // gone (Redis restarted, keys evicted) or another config: start again
      }
      return CanaryRules.wantsTransition(spec, s, now) ? evaluate(spec, now) : Future.succeededFuture(s);
    });
  }

  @Override
  public Future<CanaryState> evaluate(CanarySpec spec, long now) {
    return transition(spec, 0, s -> s == null || !spec.fingerprint().equals(s.fingerprint())
        ? CanaryRules.fresh(spec, now, s == null ? 1 : s.version() + 1) : CanaryRules.evaluate(spec, s, now));
  }

  @Override
  public Future<CanaryState> command(CanarySpec spec, CanaryAction action, long now) {
    return transition(spec, 0, s -> CanaryRules.command(spec,
        s == null || !spec.fingerprint().equals(s.fingerprint()) ? CanaryRules.fresh(spec, now) : s, action, now));
  }

  /** Reads, applies {@code f}, and writes the result if it changed and nobody wrote in between; else again. */
  private Future<CanaryState> transition(CanarySpec spec, int tries, java.util.function.UnaryOperator<CanaryState> f) {
    String key = key(spec.entry());
    return redis.send(Request.cmd(Command.EVAL).arg(READ).arg(1).arg(key)).compose(resp -> {
      CanaryState before = parse(resp);
      CanaryState after;
      try {
        after = f.apply(before);
      } catch (IllegalStateException e) {
        return Future.failedFuture(e);
      }
      if (before != null && after.equals(before)) {
        return Future.succeededFuture(before);
      }
      Request cas = Request.cmd(Command.EVAL).arg(CAS).arg(1).arg(key)
          .arg(before == null ? "" : Long.toString(before.version()));
      fields(after).forEach((field, value) -> cas.arg(field).arg(value));
      return redis.send(cas).compose(won -> {
        if (won != null && won.toInteger() == 1) {
          if (before != null && before.fingerprint().equals(after.fingerprint())) {
            listener.onTransition(spec, before, after); // this replica's write won: told once in the cluster
          }
          return Future.succeededFuture(after);
        }
        if (tries + 1 >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("canary state of '" + spec.entry()
              + "' kept changing under this replica; try again"));
        }
        return transition(spec, tries + 1, f);
      });
    });
  }

  static Map<String, String> fields(CanaryState s) {
    Map<String, String> m = new HashMap<>();
    m.put("fp", s.fingerprint());
    m.put("phase", s.phase().wireName());
    m.put("share", Long.toString(s.sharePpm()));
    m.put("step_at", Long.toString(s.stepStartedAt()));
    m.put("version", Long.toString(s.version()));
    m.put("rb_at", Long.toString(s.rolledBackAt()));
    if (s.reason() != null) {
      m.put("reason", s.reason());
    }
    CanaryWindow w = s.window();
    m.put("n", Long.toString(w.requests()));
    m.put("err", Long.toString(w.errors()));
    m.put("slow", Long.toString(w.slow()));
    long[] b = w.ttftBuckets();
    for (int i = 0; i < b.length; i++) {
      if (b[i] != 0) {
        m.put("h" + i, Long.toString(b[i]));
      }
    }
    return m;
  }

  /** Null for an empty reply (no such hash). */
  static CanaryState parse(Response resp) {
    if (resp == null || resp.size() == 0) {
      return null;
    }
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i + 1 < resp.size(); i += 2) {
      m.put(resp.get(i).toString(), resp.get(i + 1).toString());
    }
    if (!m.containsKey("phase")) {
      return null;
    }
    long[] b = new long[CanaryWindow.BUCKETS];
    for (int i = 0; i < b.length; i++) {
      b[i] = num(m.get("h" + i));
    }
    return new CanaryState(CanaryPhase.of(m.get("phase")), num(m.get("share")), num(m.get("step_at")),
        new CanaryWindow(num(m.get("n")), num(m.get("err")), num(m.get("slow")), b), m.get("reason"),
        num(m.get("rb_at")), m.get("fp"), num(m.get("version")));
  }

  private static long num(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }
}
