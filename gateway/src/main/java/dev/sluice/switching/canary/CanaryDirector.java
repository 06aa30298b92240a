package dev.sluice.switching.canary;

import dev.sluice.core.Target;
import dev.sluice.routing.StickyKey;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canaries of the running gateway, as the request path sees them: whether a request goes to
 * its entry's canary, and the outcomes of those that did. The share read per request is a local
 * copy (a volatile read); it is refreshed from the {@link CanaryStates} after each outcome and at
 * each {@link #tick()}, which is how a replica learns what another did. Thread-safe.
 *
 * <p>Time is {@code clock}: milliseconds since the epoch, from the gateway's injected ticker.
 */
public final class CanaryDirector {
  private static final Logger LOG = LoggerFactory.getLogger(CanaryDirector.class);

  /** One canary's config and the latest state this replica knows. */
  private static final class Slot {
    final CanarySpec spec;
    volatile CanaryState state;

    Slot(CanarySpec spec) {
      this.spec = spec;
    }
  }

  /** A canary as the admin API shows it. */
  public record View(CanarySpec spec, CanaryState state) {}

  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final CanaryStates states;
  private final LongSupplier clock;

  CanaryDirector(List<CanarySpec> specs, CanaryStates states, LongSupplier clock) {
    for (CanarySpec s : specs) {
      slots.put(s.entry(), new Slot(s));
    }
    this.states = states;
    this.clock = clock;
  }

  /** Canaries of this replica alone, saved through {@code persistence}. */
  public static CanaryDirector local(List<CanarySpec> specs, CanaryPersistence persistence, LongSupplier clock,
      CanaryListener listener) {
    return new CanaryDirector(specs, new LocalCanaryStates(persistence, new Transitions(listener)), clock);
  }

  /** Canaries shared with every replica through {@code redis}. */
  public static CanaryDirector shared(List<CanarySpec> specs, Redis redis, LongSupplier clock, CanaryListener listener) {
    return new CanaryDirector(specs, new RedisCanaryStates(redis, new Transitions(listener)), clock);
  }

  /** Loads (or starts) every canary's state; requests are not diverted before. */
  /** Completes once every state change so far is saved (see {@link CanaryStates#settled()}). */
  public Future<Void> settled() {
    return states.settled();
  }

  public Future<Void> start() {
    List<Future<CanaryState>> all = new ArrayList<>();
    for (Slot s : slots.values()) {
      all.add(states.init(s.spec, clock.getAsLong()).onSuccess(st -> update(s, st)));
    }
    return Future.all(all).mapEmpty();
  }

  /** Judges every canary now (steps that are due) and refreshes the local copies. */
  public Future<Void> tick() {
    List<Future<CanaryState>> all = new ArrayList<>();
    for (Slot s : slots.values()) {
      all.add(states.evaluate(s.spec, clock.getAsLong()).onSuccess(st -> update(s, st)));
    }
    return Future.join(all).mapEmpty();
  }

  public boolean isEmpty() {
    return slots.isEmpty();
  }

  /**
   * The canary's model when this request of {@code entry} goes to it, else null. With a
   * conversation key the choice is the key's bucket against the share (so a conversation on the
   * canary stays there while the share grows); without one, a random draw.
   */
  public String divert(String entry, StickyKey key) {
    Slot s = slots.get(entry);
    if (s == null || s.state == null) {
      return null;
    }
    long share = s.state.sharePpm();
    if (share <= 0) {
      return null;
    }
    boolean in = share >= CanarySpec.WHOLE || (key != null ? bucket(entry, key) < share
        : ThreadLocalRandom.current().nextLong(CanarySpec.WHOLE) < share);
    return in ? s.spec.model() : null;
  }

  /**
   * A conversation's place in {@code entry}'s canary split, in [0, 1,000,000): it goes to the
   * canary while the share in parts per million is above it. Independent across entries.
   */
  public static long bucket(String entry, StickyKey key) {
    return key.bucket("canary:" + entry, CanarySpec.WHOLE);
  }

  /** The per-request observer of a request sent to {@code entry}'s canary, whose targets are {@code canaryTargets}. */
  public CanaryTap tap(String entry, List<Target> canaryTargets) {
    Set<String> labels = new HashSet<>();
    canaryTargets.forEach(t -> labels.add(t.label()));
    return new CanaryTap(this, entry, labels);
  }

  void record(String entry, CanaryOutcome outcome) {
    Slot s = slots.get(entry);
    if (s == null) {
      return;
    }
    states.record(s.spec, outcome, clock.getAsLong()).onComplete(ar -> {
      if (ar.succeeded()) {
        update(s, ar.result());
      } else {
        LOG.debug("Canary outcome of model '{}' not recorded: {}", entry, ar.cause().getMessage());
      }
    });
  }

  /** An operator's action on {@code entry}'s canary; fails with {@link IllegalArgumentException} for no such canary. */
  public Future<View> command(String entry, CanaryAction action) {
    Slot s = slots.get(entry);
    if (s == null) {
      return Future.failedFuture(new IllegalArgumentException("model '" + entry + "' has no canary"));
    }
    return states.command(s.spec, action, clock.getAsLong()).map(st -> {
      update(s, st);
      return new View(s.spec, s.state);
    });
  }

  /** Every canary with the latest state this replica knows, in config order. */
  public List<View> snapshot() {
    List<View> out = new ArrayList<>();
    for (Slot s : slots.values()) {
      if (s.state != null) {
        out.add(new View(s.spec, s.state));
      }
    }
    return out;
  }

  /** The share now, parts per million; 0 for no such canary. */
  public long sharePpm(String entry) {
    Slot s = slots.get(entry);
    return s == null || s.state == null ? 0 : s.state.sharePpm();
  }

  /** Keeps the newest version (replies can cross); a same-version reply carries a fresher window. */
  private static void update(Slot s, CanaryState st) {
    CanaryState cur = s.state;
    if (cur == null || st.version() >= cur.version() || !st.fingerprint().equals(cur.fingerprint())) {
      s.state = st;
    }
  }
}
