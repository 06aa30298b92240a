package dev.sluice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admission.AdmissionRefusal;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LimitsConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.store.Store;
import dev.sluice.testing.Await;
import dev.sluice.tenancy.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reserving on hard key and team budgets: the first request of a key loads its counters; every later
 * one is answered at once from the loaded counters, with the same holds, refusals and give-backs.
 */
class BudgetsReserveTest {
  private static final String CONFIG = """
      providers: [ { name: p, type: openai-compatible, base_url: "http://127.0.0.1:9/v1" } ]
      models: [ { name: m, targets: [ { provider: p, model: x } ] } ]
      teams:
        - { name: t, budget: { usd: "0.000010", period: total, mode: hard } }
      keys:
        - { key: sk-test-0000000000000001, name: k, team: t, budget: { usd: "0.000006", period: total, mode: hard } }
      """;

  @TempDir
  Path dir;
  private Vertx vertx;
  private Store store;
  private Budgets budgets;
  private Principal who;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = Await.await(Store.open(vertx, "sqlite:" + dir.resolve("sluice.db")));
    SluiceConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(CONFIG, "test");
    budgets = new Budgets(store, config, null, new GatewayMetrics(), (url, fromConfig, alert) -> Future.succeededFuture());
    var key = config.keys().get(0);
    who = new Principal(key.name(), null, key.team(), "normal", false, LimitsConfig.NONE, key.budget(), List.of());
  }

  @AfterEach
  void stop() {
    Await.await(store.close());
    Await.await(vertx.close());
  }

  @Test
  void laterRequestsReserveAtOnceOnTheKeyThenTheTeam() {
    List<Budgets.Hold> first = Await.await(budgets.reserve(who, 2));
    assertThat(first).extracting(Budgets.Hold::scope).containsExactly("key", "team");

    Future<List<Budgets.Hold>> second = budgets.reserve(who, 2);
    assertThat(second.isComplete()).as("counters loaded: no store round-trip, no chain").isTrue();
    assertThat(second.result()).extracting(Budgets.Hold::scope).containsExactly("key", "team");
    assertThat(second.result()).extracting(Budgets.Hold::reserved).containsExactly(2L, 2L);

    // key: 4 of 6 µUSD reserved; a third request of 3 does not fit in the key's budget
    AdmissionRefusal refused = (AdmissionRefusal) Await.failure(budgets.reserve(who, 3));
    assertThat(refused.error().code()).isEqualTo("budget_exceeded");
    assertThat(budgets.keySpend(who)).as("reserved, not yet spent").isZero();

    budgets.settle(first, 2);
    budgets.settle(second.result(), 2);
    assertThat(budgets.keySpend(who)).isEqualTo(4);
  }

  @Test
  void aTeamRefusalGivesBackWhatTheKeyReserved() {
    Principal teammate = new Principal("k2", null, "t", "normal", false, LimitsConfig.NONE, null, List.of());
    Await.await(budgets.reserve(teammate, 8)); // the team: 8 of 10 µUSD held by a key without a budget of its own
    Await.await(budgets.reserve(who, 1)).forEach(h -> assertThat(h.reserved()).isEqualTo(1)); // loads the key: 9 of 10

    assertThat(Await.failure(budgets.reserve(who, 2))).isInstanceOf(AdmissionRefusal.class); // the team has 1 left
    // the key's 2 went back: 1 + 5 fits in its 6, and the team's last 1 too
    List<Budgets.Hold> fits = Await.await(budgets.reserve(who, 1));
    assertThat(fits).extracting(Budgets.Hold::scope).containsExactly("key", "team");
    assertThat(Await.failure(budgets.reserve(teammate, 1))).isInstanceOf(AdmissionRefusal.class);
  }
}
