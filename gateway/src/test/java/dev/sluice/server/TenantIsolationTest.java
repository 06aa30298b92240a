package dev.sluice.server;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.call;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenantIsolationTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;
  private JsonNode a;
  private JsonNode b;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(KeysApi.config(upstream.baseUrl(), ""));
    a = createKey(gateway, "{\"name\":\"tenant-a\",\"team\":\"red\",\"budget\":{\"usd\":\"10\"}}");
    b = createKey(gateway, "{\"name\":\"tenant-b\",\"team\":\"blue\",\"budget\":{\"usd\":\"20\"}}");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Await.await(gateway.gateway().store().ledger().insertBatch(List.of(
        row("ra", now, "tenant-a", a, "red", "chat").cost(1_250, true, false).build(),
        row("rb1", now, "tenant-b", b, "blue", "chat").cost(40_000, true, false).build(),
        row("rb2", now, "tenant-b", b, "blue", "other").cost(2_000, true, false).build())));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aKeySeesOnlyItsOwnSpend() throws Exception {
    JsonNode spendA = json(tenant(a, "GET", "/v1/sluice/spend?group_by=model", 200));
    assertThat(spendA.path("key").asText()).isEqualTo("tenant-a");
    assertThat(spendA.path("data")).hasSize(1);
    assertThat(spendA.path("total").path("cost_usd").asText()).isEqualTo("0.001250");
    assertThat(spendA.toString()).doesNotContain("tenant-b").doesNotContain("0.040000");

    JsonNode spendB = json(tenant(b, "GET", "/v1/sluice/spend?group_by=model", 200));
    assertThat(spendB.path("data")).hasSize(2);
    assertThat(spendB.path("total").path("cost_usd").asText()).isEqualTo("0.042000");

    JsonNode byDay = json(tenant(a, "GET", "/v1/sluice/spend?group_by=day", 200));
    assertThat(byDay.path("data")).hasSize(1);

    // No parameter can widen the scope to another key or team.
    for (String q : new String[] {"key=tenant-b", "team=blue", "group_by=key", "group_by=team"}) {
      HttpResponse<String> res = tenant(a, "GET", "/v1/sluice/spend?" + q, 400);
      assertThat(res.body()).doesNotContain("tenant-b");
    }
  }

  @Test
  void theKeyRouteShowsOnlyTheCallersOwnKey() throws Exception {
    JsonNode me = json(tenant(a, "GET", "/v1/sluice/key", 200));
    assertThat(me.path("id").asText()).isEqualTo(a.path("id").asText());
    assertThat(me.path("name").asText()).isEqualTo("tenant-a");
    assertThat(me.path("spend").path("cost_usd").asText()).isEqualTo("0.001250");
    assertThat(me.path("spend").path("remaining_usd").asText()).isEqualTo("9.998750");
    assertThat(me.toString()).doesNotContain("tenant-b").doesNotContain(b.path("id").asText());

    // Query parameters are ignored: there is no way to name another key.
    JsonNode still = json(tenant(a, "GET", "/v1/sluice/key?id=" + b.path("id").asText() + "&name=tenant-b", 200));
    assertThat(still.path("name").asText()).isEqualTo("tenant-a");
  }

  @Test
  void aClientKeyCannotChangeItsBudgetTeamModelsOrLimits() throws Exception {
    String self = "/admin/keys/" + a.path("id").asText();
    String raise = "{\"budget\":{\"usd\":\"1000000\"},\"team\":\"blue\",\"models\":null,\"limits\":null}";
    String plain = a.path("key").asText();
    assertThat(call(gateway, "PATCH", self, plain, raise).statusCode()).isEqualTo(401);
    assertThat(call(gateway, "POST", "/admin/teams", plain, "{\"name\":\"red\",\"budget\":{\"usd\":1000000}}")
        .statusCode()).isEqualTo(401);
    assertThat(call(gateway, "POST", "/admin/keys", plain, "{\"name\":\"tenant-a\",\"budget\":{\"usd\":1000000}}")
        .statusCode()).isEqualTo(401);
    assertThat(call(gateway, "GET", "/admin/spend?key=tenant-b", plain, null).statusCode()).isEqualTo(401);
    assertThat(call(gateway, "GET", "/admin/keys/" + b.path("id").asText(), plain, null).statusCode()).isEqualTo(401);
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      assertThat(call(gateway, method, "/v1/sluice/key", plain, raise).statusCode())
          .as("no write route: " + method).isIn(404, 405);
    }

    JsonNode unchanged = json(admin(gateway, "GET", self, null));
    assertThat(unchanged.path("budget").path("usd").asText()).isEqualTo("10.000000");
    assertThat(unchanged.path("team").asText()).isEqualTo("red");
    assertThat(unchanged.path("status").asText()).isEqualTo("active");
    assertThat(json(tenant(a, "GET", "/v1/sluice/key", 200)).path("budget").path("usd").asText()).isEqualTo("10.000000");
  }

  @Test
  void theTenantRoutesNeedAKey() throws Exception {
    assertThat(call(gateway, "GET", "/v1/sluice/key", null, null).statusCode()).isEqualTo(401);
    assertThat(call(gateway, "GET", "/v1/sluice/spend", "sk-sluice-" + "x".repeat(43), null).statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> tenant(JsonNode key, String method, String path, int expected) throws Exception {
    HttpResponse<String> res = call(gateway, method, path, key.path("key").asText(), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(expected);
    return res;
  }

  private static LedgerRow.Builder row(String request, Instant ts, String name, JsonNode key, String team,
      String model) {
    return LedgerRow.builder(request, 1, ts).key(name, key.path("id").asText(), team)
        .target(model, "up", "gpt-4o-mini").tokens(100, 10, 0, 0, 0);
  }
}
