package dev.sluice.switching.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The states of one replica reach the store in the order they happened, and a shutdown can wait for them. */
class LocalCanaryStatesTest {
  private static final CanarySpec SPEC = new CanarySpec("chat", "chat-next", 100_000, 400_000, 1_000_000, 600_000,
      500_000, 0, 5);

  /** Holds every save open until the test lets it land. */
  private final List<Promise<Void>> open = new CopyOnWriteArrayList<>();
  private final List<String> saved = new CopyOnWriteArrayList<>();
  private final CanaryPersistence slowStore = new CanaryPersistence() {
    @Override
    public Future<Map<String, CanaryState>> loadAll() {
      return Future.succeededFuture(Map.of());
    }

    @Override
    public Future<Void> save(String entry, CanaryState state) {
      saved.add(state.phase() + "@" + state.version());
      Promise<Void> p = Promise.promise();
      open.add(p);
      return p.future();
    }
  };

  @Test
  void aLaterStateIsSavedOnlyAfterTheEarlierOneLandedAndSettledWaitsForTheLast() {
    LocalCanaryStates states = new LocalCanaryStates(slowStore, (spec, before, after) -> { });
    states.init(SPEC, 0);                                  // a fresh state: saved (1)
    states.command(SPEC, CanaryAction.PAUSE, 1);           // (2)
    states.command(SPEC, CanaryAction.ROLLBACK, 2);        // (3)
    assertThat(saved).as("the second save waits for the first").hasSize(1);
    Future<Void> settled = states.settled();

    open.get(0).complete();
    assertThat(saved).hasSize(2);
    open.get(1).fail("the store is away");                 // a failed save does not stop the ones after it
    assertThat(saved).hasSize(3);
    assertThat(saved.get(2)).startsWith(CanaryPhase.ROLLED_BACK + "@");
    assertThat(settled.isComplete()).as("the last save is still open").isFalse();

    open.get(2).complete();
    assertThat(settled.succeeded()).isTrue();
  }
}
