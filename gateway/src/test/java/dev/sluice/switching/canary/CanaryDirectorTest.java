package dev.sluice.switching.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.StickyKey;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The director on one replica: the share of sessions sent to the canary, sessions keeping the
 * canary as it ramps, transitions told once and saved, and a saved state taken up again.
 */
class CanaryDirectorTest {
  private static final long MIN = 60_000;
  private static final CanarySpec SPEC = new CanarySpec("chat", "chat-next", 100_000, 400_000, 1_000_000, 10 * MIN,
      500_000, 0, 5);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final Map<String, CanaryState> saved = new ConcurrentHashMap<>();
  private final CanaryPersistence persistence = new CanaryPersistence() {
    @Override
    public Future<Map<String, CanaryState>> loadAll() {
      return Future.succeededFuture(Map.copyOf(saved));
    }

    @Override
    public Future<Void> save(String entry, CanaryState state) {
      saved.put(entry, state);
      return Future.succeededFuture();
    }
  };

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Set<Integer> diverted(CanaryDirector d, int sessions) {
    Set<Integer> in = new HashSet<>();
    for (int s = 0; s < sessions; s++) {
      if (d.divert("chat", StickyKey.of("conversation-" + s)) != null) {
        in.add(s);
      }
    }
    return in;
  }

  private void feed(CanaryDirector d, int n, boolean failed) {
    for (int i = 0; i < n; i++) {
      d.record("chat", failed ? CanaryOutcome.failed() : CanaryOutcome.answered(50));
    }
  }

  @Test
  void sessionsShareTheCanaryByItsPercentAndStayOnItAsItRamps() throws Exception {
    List<String> transitions = new ArrayList<>();
    CanaryDirector d = CanaryDirector.local(List.of(SPEC), persistence, now::get,
        (spec, before, after) -> transitions.add(before.percent() + "->" + after.percent()));
    await(d.start());
    assertThat(d.divert("other-model", StickyKey.of("x"))).isNull();

    Set<Integer> at10 = diverted(d, 10_000);
    // 10% of 10,000 sessions: 1000, sigma 30.
    assertThat(at10.size()).isBetween(850, 1150);
    for (int i = 0; i < 20; i++) {
      assertThat(diverted(d, 200)).as("the same sessions every time").isEqualTo(
          new HashSet<>(at10.stream().filter(s -> s < 200).toList()));
    }

    now.addAndGet(10 * MIN);
    feed(d, 5, false);
    assertThat(d.sharePpm("chat")).isEqualTo(500_000);
    assertThat(transitions).containsExactly("10.0->50.0");
    Set<Integer> at50 = diverted(d, 10_000);
    assertThat(at50.size()).isBetween(4750, 5250);
    assertThat(at50).as("sessions on the canary at 10% are still on it at 50%").containsAll(at10);

    int random = 0;
    for (int i = 0; i < 10_000; i++) {
      random += d.divert("chat", null) != null ? 1 : 0;
    }
    assertThat(random).as("without a key: a random half").isBetween(4750, 5250);
  }

  @Test
  void aRollbackIsSavedAndTakenUpAgainAfterARestart() throws Exception {
    CanaryDirector first = CanaryDirector.local(List.of(SPEC), persistence, now::get, CanaryListener.NONE);
    await(first.start());
    feed(first, 5, true);
    assertThat(first.snapshot().get(0).state().phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
    assertThat(first.divert("chat", StickyKey.of("anyone"))).isNull();

    CanaryDirector second = CanaryDirector.local(List.of(SPEC), persistence, now::get, CanaryListener.NONE);
    await(second.start());
    CanaryState s = second.snapshot().get(0).state();
    assertThat(s.phase()).isEqualTo(CanaryPhase.ROLLED_BACK);
    assertThat(s.reason()).contains("error rate 100.0%");
    assertThat(second.sharePpm("chat")).isZero();

    CanarySpec changed = new CanarySpec("chat", "chat-next", 200_000, 400_000, 1_000_000, 10 * MIN, 500_000, 0, 5);
    CanaryDirector third = CanaryDirector.local(List.of(changed), persistence, now::get, CanaryListener.NONE);
    await(third.start());
    assertThat(third.snapshot().get(0).state().phase()).as("a changed canary starts over").isEqualTo(CanaryPhase.RAMPING);
    assertThat(third.sharePpm("chat")).isEqualTo(200_000);
    assertThat(saved.get("chat").version()).as("the fresh start replaces the saved row").isGreaterThan(s.version());
  }
}
