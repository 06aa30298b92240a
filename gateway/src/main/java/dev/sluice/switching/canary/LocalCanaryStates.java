package dev.sluice.switching.canary;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canary states of one replica, in memory, each changed under its own lock; every transition (a
 * version change) is saved through the persistence, off the caller's thread, one save after the
 * other so a later state is never overwritten by an earlier one that landed late. A failed save is
 * logged: the canary goes on in memory.
 */
final class LocalCanaryStates implements CanaryStates {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCanaryStates.class);
  private final CanaryPersistence persistence;
  private final Map<String, CanaryState> states = new ConcurrentHashMap<>();
  private final CanaryListener listener;
  private volatile Map<String, CanaryState> saved;
  /** The last save asked for; each save starts once the one before it is done. Guarded by {@code this}. */
  private Future<Void> saving = Future.succeededFuture();

  LocalCanaryStates(CanaryPersistence persistence, CanaryListener listener) {
    this.persistence = persistence;
    this.listener = listener;
  }

  @Override
  public Future<CanaryState> init(CanarySpec spec, long now) {
    Future<Map<String, CanaryState>> loaded = saved != null ? Future.succeededFuture(saved)
        : persistence.loadAll().onSuccess(m -> saved = m);
    return loaded.map(m -> {
      CanaryState s = m.get(spec.entry());
      if (s == null || !spec.fingerprint().equals(s.fingerprint())) {
        s = CanaryRules.fresh(spec, now, s == null ? 1 : s.version() + 1);
        save(spec, s);
      } else {
        s = s.withWindow(CanaryWindow.EMPTY); // counts are not saved: the window starts again
      }
      states.put(spec.entry(), s);
      return s;
    });
  }

  @Override
  public Future<CanaryState> record(CanarySpec spec, CanaryOutcome outcome, long now) {
    return Future.succeededFuture(apply(spec, s -> CanaryRules.record(spec, s, outcome, now)));
  }

  @Override
  public Future<CanaryState> evaluate(CanarySpec spec, long now) {
    return Future.succeededFuture(apply(spec, s -> CanaryRules.evaluate(spec, s, now)));
  }

  @Override
  public Future<CanaryState> command(CanarySpec spec, CanaryAction action, long now) {
    try {
      return Future.succeededFuture(apply(spec, s -> CanaryRules.command(spec, s, action, now)));
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
  }

  private CanaryState apply(CanarySpec spec, java.util.function.UnaryOperator<CanaryState> f) {
    CanaryState[] before = new CanaryState[1];
    CanaryState after = states.compute(spec.entry(), (k, s) -> {
      CanaryState cur = s != null ? s : CanaryRules.fresh(spec, 0);
      before[0] = cur;
      return f.apply(cur);
    });
    if (after.version() != before[0].version()) {
      save(spec, after);
      listener.onTransition(spec, before[0], after);
    }
    return after;
  }

  private synchronized void save(CanarySpec spec, CanaryState s) {
    saving = saving.eventually(() -> persistence.save(spec.entry(), s).onFailure(e -> LOG.warn(
        "Could not save the canary state of model '{}': {}", spec.entry(), e.getMessage()))).otherwiseEmpty();
  }

  @Override
  public synchronized Future<Void> settled() {
    return saving;
  }
}
