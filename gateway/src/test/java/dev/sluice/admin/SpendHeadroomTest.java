package dev.sluice.admin;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spend and headroom the admin's key and team reads carry, from the ledger, on the admin's clock. */
class SpendHeadroomTest {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.startWithAdmin(KeysApi.config(upstream.baseUrl(), ""),
        new AdminRoutes(Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom()));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void eachKeyShowsItsSpendThisBudgetPeriodAndWhatIsLeft() throws Exception {
    createKey(gateway, """
        {"name":"monthly-app","team":"search","budget":{"usd":"50","period":"monthly"}}""");
    createKey(gateway, """
        {"name":"daily-app","budget":{"usd":"1","period":"daily"}}""");
    createKey(gateway, "{\"name\":\"free-app\"}");
    ledger(
        row("m1", NOW.minusSeconds(3 * 86_400), "monthly-app", "search", 12_500_000), // this month
        row("m2", Instant.parse("2026-02-27T00:00:00Z"), "monthly-app", "search", 99_000_000), // last month
        row("d1", NOW.minusSeconds(3600), "daily-app", null, 400_000), // today
        row("d2", NOW.minusSeconds(86_400), "daily-app", null, 300_000), // yesterday: another period
        row("f1", NOW.minusSeconds(7200), "free-app", null, 2_000_000));

    JsonNode keys = json(ok(admin(gateway, "GET", "/admin/keys", null))).path("data");
    JsonNode monthly = byName(keys, "monthly-app").path("spend");
    assertThat(monthly.path("period").asText()).isEqualTo("monthly");
    assertThat(monthly.path("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(monthly.path("cost_usd").asText()).isEqualTo("12.500000");
    assertThat(monthly.path("remaining_usd").asText()).isEqualTo("37.500000");

    JsonNode daily = byName(keys, "daily-app").path("spend");
    assertThat(daily.path("from").asText()).isEqualTo("2026-03-15T00:00:00Z");
    assertThat(daily.path("cost_usd").asText()).isEqualTo("0.400000");
    assertThat(daily.path("remaining_usd").asText()).isEqualTo("0.600000");

    JsonNode free = byName(keys, "free-app").path("spend");
    assertThat(free.path("period").asText()).as("no budget: the calendar month").isEqualTo("monthly");
    assertThat(free.path("cost_usd").asText()).isEqualTo("2.000000");
    assertThat(free.path("remaining_usd").isNull()).isTrue();

    String id = byName(keys, "monthly-app").path("id").asText();
    JsonNode one = json(ok(admin(gateway, "GET", "/admin/keys/" + id, null)));
    assertThat(one.path("spend").path("cost_usd").asText()).as("the same figure for one key").isEqualTo("12.500000");
  }

  @Test
  void anOverspentBudgetHasNothingLeftNotANegativeAmount() throws Exception {
    createKey(gateway, "{\"name\":\"over\",\"budget\":{\"usd\":\"1\",\"mode\":\"soft\"}}");
    ledger(row("o1", NOW.minusSeconds(60), "over", null, 1_750_000));
    JsonNode spend = byName(json(ok(admin(gateway, "GET", "/admin/keys", null))).path("data"), "over").path("spend");
    assertThat(spend.path("cost_usd").asText()).isEqualTo("1.750000");
    assertThat(spend.path("remaining_usd").asText()).isEqualTo("0.000000");
  }

  @Test
  void eachKeyShowsItsLastMinuteAgainstItsRpmAndTpm() throws Exception {
    createKey(gateway, "{\"name\":\"limited\",\"limits\":{\"rpm\":10,\"tpm\":1000,\"max_concurrency\":2}}");
    createKey(gateway, "{\"name\":\"unlimited\"}");
    ledger(
        row("l1", NOW.minusSeconds(10), "limited", null, 1).tokens(300, 100, 0, 0, 0).build(),
        row("l2", NOW.minusSeconds(20), "limited", null, 1).tokens(200, 50, 0, 0, 0).build(),
        // a retry of l2: one request, its tokens counted as the ledger recorded them
        LedgerRow.builder("l2", 2, NOW.minusSeconds(19)).key("limited", null, null)
            .target("chat", "up", "gpt-4o-mini").retry(true).tokens(200, 50, 0, 0, 0).cost(1, true, false).build(),
        row("l3", NOW.minusSeconds(61), "limited", null, 1).tokens(5000, 5000, 0, 0, 0).build(), // over a minute ago
        row("u1", NOW.minusSeconds(5), "unlimited", null, 1).tokens(10, 10, 0, 0, 0).build());

    JsonNode keys = json(ok(admin(gateway, "GET", "/admin/keys", null))).path("data");
    JsonNode limited = byName(keys, "limited").path("recent");
    assertThat(limited.path("window_seconds").asLong()).isEqualTo(60);
    assertThat(limited.path("requests").asLong()).isEqualTo(2);
    assertThat(limited.path("tokens").asLong()).isEqualTo(900);
    assertThat(limited.path("rpm_remaining").asLong()).isEqualTo(8);
    assertThat(limited.path("tpm_remaining").asLong()).isEqualTo(100);

    JsonNode unlimited = byName(keys, "unlimited").path("recent");
    assertThat(unlimited.path("requests").asLong()).isEqualTo(1);
    assertThat(unlimited.path("rpm_remaining").isNull()).as("no limit, no headroom figure").isTrue();
    assertThat(unlimited.path("tpm_remaining").isNull()).isTrue();
  }

  @Test
  void eachTeamShowsItsSpendThisBudgetPeriodAndWhatIsLeft() throws Exception {
    ok(admin(gateway, "POST", "/admin/teams", "{\"name\":\"search\",\"budget\":{\"usd\":\"500\",\"period\":\"monthly\"}}"));
    ok(admin(gateway, "POST", "/admin/teams", "{\"name\":\"idle\"}"));
    ledger(
        row("t1", NOW.minusSeconds(600), "a", "search", 120_000_000),
        row("t2", NOW.minusSeconds(700), "b", "search", 30_000_000),
        row("t3", Instant.parse("2026-02-01T00:00:00Z"), "a", "search", 400_000_000));

    JsonNode teams = json(ok(admin(gateway, "GET", "/admin/teams", null))).path("data");
    JsonNode search = byName(teams, "search").path("spend");
    assertThat(search.path("cost_usd").asText()).isEqualTo("150.000000");
    assertThat(search.path("remaining_usd").asText()).isEqualTo("350.000000");
    JsonNode idle = byName(teams, "idle").path("spend");
    assertThat(idle.path("cost_usd").asText()).isEqualTo("0.000000");
    assertThat(idle.path("remaining_usd").isNull()).isTrue();
    assertThat(json(ok(admin(gateway, "GET", "/admin/teams/search", null))).path("spend").path("remaining_usd").asText())
        .isEqualTo("350.000000");
  }

  @Test
  void aChangeAnswersWithTheSpendButTheAuditLogKeepsTheKeyWithoutIt() throws Exception {
    String id = createKey(gateway, "{\"name\":\"audited\"}").path("id").asText();
    JsonNode patched = json(ok(admin(gateway, "PATCH", "/admin/keys/" + id, "{\"limits\":{\"rpm\":5}}")));
    assertThat(patched.path("recent").path("rpm_remaining").asLong()).as("the answer shows the key as a GET does")
        .isEqualTo(5);
    assertThat(patched).isEqualTo(json(admin(gateway, "GET", "/admin/keys/" + id, null)));
    JsonNode entry = json(ok(admin(gateway, "GET", "/admin/audit?action=key.update", null))).path("data").get(0);
    assertThat(entry.path("after").path("limits").path("rpm").asLong()).isEqualTo(5);
    assertThat(entry.path("after").has("spend")).isFalse();
  }

  private void ledger(Object... rows) {
    List<LedgerRow> built = java.util.Arrays.stream(rows)
        .map(r -> r instanceof LedgerRow.Builder b ? b.build() : (LedgerRow) r).toList();
    Await.await(gateway.gateway().store().ledger().insertBatch(built));
  }

  private static LedgerRow.Builder row(String request, Instant ts, String key, String team, long costMicros) {
    return LedgerRow.builder(request, 1, ts).key(key, null, team).target("chat", "up", "gpt-4o-mini")
        .cost(costMicros, true, false);
  }

  private static HttpResponse<String> ok(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.body()).isBetween(200, 201);
    return res;
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (name.equals(n.path("name").asText())) {
        return n;
      }
    }
    throw new AssertionError("no '" + name + "' in " + list);
  }
}
