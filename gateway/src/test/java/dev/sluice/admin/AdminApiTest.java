package dev.sluice.admin;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminApiTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start(KeysApi.config(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "{}                                                        | name",
      "{\"name\":\"  \"}                                         | name",
      "{\"name\":\"x\",\"colour\":\"red\"}                       | colour",
      "{\"name\":\"x\",\"budget\":{\"usd\":\"-1\"}}              | budget.usd",
      "{\"name\":\"x\",\"budget\":{\"usd\":\"1.0000001\"}}       | budget.usd",
      "{\"name\":\"x\",\"budget\":{\"usd\":\"ten\"}}             | budget.usd",
      "{\"name\":\"x\",\"budget\":{\"period\":\"daily\"}}        | budget.usd",
      "{\"name\":\"x\",\"budget\":{\"usd\":5,\"period\":\"weekly\"}} | budget.period",
      "{\"name\":\"x\",\"budget\":{\"usd\":5,\"mode\":\"strict\"}}   | budget.mode",
      "{\"name\":\"x\",\"budget\":{\"usd\":5,\"alert_webhook\":\"https://x\"}} | budget.alert_webhook",
      "{\"name\":\"x\",\"limits\":{\"rpm\":-1}}                  | limits.rpm",
      "{\"name\":\"x\",\"limits\":{\"rpm\":1.5}}                 | limits.rpm",
      "{\"name\":\"x\",\"limits\":{\"rps\":3}}                   | limits.rps",
      "{\"name\":\"x\",\"models\":[]}                            | models",
      "{\"name\":\"x\",\"models\":[\"chat\",3]}                  | models[1]",
      "{\"name\":\"x\",\"priority\":\"urgent\"}                  | priority",
      "{\"name\":\"x\",\"metadata\":[1]}                         | metadata",
      "{\"name\":\"x\",\"expires_at\":\"tomorrow\"}              | expires_at",
      "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}  | expires_at",
  })
  void invalidKeyRequestsAreRefusedNamingTheField(String body, String param) throws Exception {
    HttpResponse<String> res = admin(gateway, "POST", "/admin/keys", body);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    JsonNode error = json(res).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo(param);
    assertThat(error.path("message").asText()).isNotBlank();
  }

  @Test
  void aBodyThatIsNotJsonIsA400() throws Exception {
    HttpResponse<String> res = admin(gateway, "POST", "/admin/keys", "{name:");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(json(res).path("error").path("message").asText()).contains("JSON");
  }

  /** Found by AdminInputFuzzTest: the first hung a worker computing a billion digits, the second was a 500. */
  @Test
  void amountsWithHugeExponentsAreA400() throws Exception {
    HttpResponse<String> huge = admin(gateway, "POST", "/admin/teams", "{\"name\":\"x\",\"budget\":{\"usd\":1e999999999}}");
    assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
    assertThat(json(huge).path("error").path("param").asText()).isEqualTo("budget.usd");
    HttpResponse<String> beyond = admin(gateway, "POST", "/admin/keys", "{\"name\":\"x\",\"budget\":{\"usd\":1e9999999991}}");
    assertThat(beyond.statusCode()).as(beyond.body()).isEqualTo(400);
    assertThat(json(beyond).path("error").path("message").asText()).contains("JSON");
  }

  @Test
  void unknownIdsAre404() throws Exception {
    for (String method : new String[] {"GET", "DELETE"}) {
      HttpResponse<String> res = admin(gateway, method, "/admin/keys/key_nope", null);
      assertThat(res.statusCode()).isEqualTo(404);
      assertThat(json(res).path("error").path("code").asText()).isEqualTo("not_found");
    }
    assertThat(admin(gateway, "PATCH", "/admin/keys/key_nope", "{\"team\":\"x\"}").statusCode()).isEqualTo(404);
    assertThat(admin(gateway, "GET", "/admin/teams/nope", null).statusCode()).isEqualTo(404);
  }

  @Test
  void patchChangesOnlyWhatIsSentAndNullClears() throws Exception {
    JsonNode k = createKey(gateway, """
        {"name":"p","team":"red","models":["chat"],"limits":{"rpm":10,"tpm":1000},
         "budget":{"usd":"5"},"metadata":{"a":1}}""");
    String path = "/admin/keys/" + k.path("id").asText();

    HttpResponse<String> res = admin(gateway, "PATCH", path, "{\"team\":\"blue\",\"limits\":{\"rpm\":20}}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode after = json(res);
    assertThat(after.path("team").asText()).isEqualTo("blue");
    assertThat(after.path("limits").path("rpm").asLong()).isEqualTo(20);
    assertThat(after.path("limits").path("tpm").asLong()).as("kept").isEqualTo(1000);
    assertThat(after.path("models")).hasSize(1);
    assertThat(after.path("budget").path("usd").asText()).isEqualTo("5.000000");
    assertThat(after.path("budget").path("period").asText()).isEqualTo("monthly");
    assertThat(after.path("budget").path("mode").asText()).isEqualTo("hard");

    after = json(admin(gateway, "PATCH", path, "{\"models\":null,\"budget\":null,\"team\":null,\"metadata\":null}"));
    assertThat(after.path("models").isNull()).isTrue();
    assertThat(after.path("budget").isNull()).isTrue();
    assertThat(after.path("team").isNull()).isTrue();
    assertThat(after.path("metadata").isNull()).isTrue();
    assertThat(json(admin(gateway, "GET", path, null))).isEqualTo(after);

    HttpResponse<String> rename = admin(gateway, "PATCH", path, "{\"name\":\"other\"}");
    assertThat(rename.statusCode()).isEqualTo(400);
    assertThat(json(rename).path("error").path("param").asText()).isEqualTo("name");
  }

  @Test
  void keysAreListedByTeam() throws Exception {
    createKey(gateway, "{\"name\":\"a\",\"team\":\"red\"}");
    createKey(gateway, "{\"name\":\"b\",\"team\":\"blue\"}");
    createKey(gateway, "{\"name\":\"c\"}");
    assertThat(json(admin(gateway, "GET", "/admin/keys", null)).path("data")).hasSize(3);
    JsonNode red = json(admin(gateway, "GET", "/admin/keys?team=red", null)).path("data");
    assertThat(red).hasSize(1);
    assertThat(red.get(0).path("name").asText()).isEqualTo("a");
  }

  @Test
  void teamsAreCreatedReplacedListedAndShown() throws Exception {
    HttpResponse<String> created = admin(gateway, "POST", "/admin/teams", """
        {"name":"red","budget":{"usd":500,"period":"monthly","mode":"soft",
         "alert_webhook":"https://hooks.example.com/budget","alert_thresholds":[80,"50%",100]}}""");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode team = json(created);
    assertThat(team.path("budget").path("usd").asText()).isEqualTo("500.000000");
    assertThat(team.path("budget").path("mode").asText()).isEqualTo("soft");
    assertThat(team.path("budget").path("alert_webhook").asText()).isEqualTo("https://hooks.example.com/budget");
    assertThat(team.path("budget").path("alert_thresholds").toString()).isEqualTo("[50,80,100]");

    HttpResponse<String> replaced = admin(gateway, "POST", "/admin/teams",
        "{\"name\":\"red\",\"budget\":{\"usd\":\"750.5\"}}");
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(json(replaced).path("budget").path("usd").asText()).isEqualTo("750.500000");
    assertThat(json(replaced).path("budget").path("alert_thresholds").toString()).as("default").isEqualTo("[50,80,100]");
    assertThat(json(replaced).path("created_at")).isEqualTo(team.path("created_at"));

    assertThat(admin(gateway, "POST", "/admin/teams", "{\"name\":\"blue\"}").statusCode()).isEqualTo(201);
    JsonNode list = json(admin(gateway, "GET", "/admin/teams", null)).path("data");
    assertThat(list).hasSize(2);
    assertThat(json(admin(gateway, "GET", "/admin/teams/blue", null)).path("budget").isNull()).isTrue();
    assertThat(json(admin(gateway, "GET", "/admin/teams/red", null)).path("budget").path("usd").asText())
        .isEqualTo("750.500000");
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"budget\":{\"usd\":1}}                                              | name",
      "{\"name\":\"t\",\"budget\":{\"usd\":1,\"alert_webhook\":\"ftp://x\"}}  | budget.alert_webhook",
      "{\"name\":\"t\",\"budget\":{\"usd\":1,\"alert_thresholds\":[0]}}      | budget.alert_thresholds[0]",
      "{\"name\":\"t\",\"budget\":{\"usd\":1,\"alert_thresholds\":[\"x\"]}}  | budget.alert_thresholds[0]",
      "{\"name\":\"t\",\"limits\":{}}                                        | limits",
  })
  void invalidTeamRequestsAreRefusedNamingTheField(String body, String param) throws Exception {
    HttpResponse<String> res = admin(gateway, "POST", "/admin/teams", body);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(json(res).path("error").path("param").asText()).isEqualTo(param);
  }

  @Test
  void theSpendReportGroupsAndSplitsAnswersFromOverhead() throws Exception {
    Instant d10 = Instant.parse("2026-02-10T12:00:00Z");
    Instant d11 = Instant.parse("2026-02-11T08:00:00Z");
    Await.await(gateway.gateway().store().ledger().insertBatch(List.of(
        // alice, one retry: 100 of overhead, 450 of answer
        row("r1", 1, d10, "alice", "red", "up").status(503).errorClass("overloaded").outcome(Outcome.ERROR)
            .tokens(1000, 0, 0, 0, 0).cost(100, true, false).build(),
        row("r1", 2, d10, "alice", "red", "up").retry(true).tokens(1000, 500, 200, 0, 50).cost(450, true, false).build(),
        // alice, a hedge that lost: 50 of overhead
        row("r2", 1, d10, "alice", "red", "alt").tokens(10, 20, 0, 0, 0).cost(300, true, false).build(),
        row("r2", 2, d10, "alice", "red", "alt").hedge(true).outcome(Outcome.HEDGE_LOST).cost(50, true, false).build(),
        // bob, no team, another day
        row("r3", 1, d11, "bob", null, "up").tokens(3000, 100, 0, 0, 0).cost(1000, true, false).build(),
        // outside the window
        row("r4", 1, Instant.parse("2026-03-05T00:00:00Z"), "carol", "blue", "up").cost(7777, true, false).build())));
    String window = "&from=2026-02-01&to=2026-03-01";

    JsonNode byKey = spend("group_by=key" + window);
    assertThat(byKey.path("data")).hasSize(2);
    JsonNode alice = byKey.path("data").get(0);
    assertThat(alice.path("group").asText()).isEqualTo("alice");
    assertThat(alice.path("requests").asLong()).isEqualTo(2);
    assertThat(alice.path("attempts").asLong()).isEqualTo(4);
    assertThat(alice.path("cost_usd").asText()).isEqualTo("0.000900");
    assertThat(alice.path("answer_cost_usd").asText()).isEqualTo("0.000750");
    assertThat(alice.path("overhead_cost_usd").asText()).isEqualTo("0.000150");
    assertThat(alice.path("tokens").path("input").asLong()).isEqualTo(2010);
    assertThat(alice.path("tokens").path("output").asLong()).isEqualTo(520);
    assertThat(alice.path("tokens").path("cached_read").asLong()).isEqualTo(200);
    assertThat(alice.path("tokens").path("reasoning").asLong()).isEqualTo(50);
    assertThat(byKey.path("total").path("cost_usd").asText()).isEqualTo("0.001900");
    assertThat(byKey.path("total").path("requests").asLong()).isEqualTo(3);

    JsonNode byTeam = spend("group_by=team" + window).path("data");
    assertThat(byTeam.get(0).path("group").asText()).isEqualTo("red");
    assertThat(byTeam.get(1).path("group").isNull()).as("keys without a team, last").isTrue();
    assertThat(byTeam.get(1).path("cost_usd").asText()).isEqualTo("0.001000");

    JsonNode byProvider = spend("group_by=provider" + window).path("data");
    assertThat(byProvider.get(0).path("group").asText()).isEqualTo("alt");
    assertThat(byProvider.get(0).path("answer_cost_usd").asText()).isEqualTo("0.000300");
    assertThat(byProvider.get(0).path("overhead_cost_usd").asText()).isEqualTo("0.000050");
    assertThat(byProvider.get(1).path("cost_usd").asText()).isEqualTo("0.001550");

    JsonNode byDay = spend("group_by=day" + window).path("data");
    assertThat(byDay.get(0).path("group").asText()).isEqualTo("2026-02-10");
    assertThat(byDay.get(1).path("group").asText()).isEqualTo("2026-02-11");

    JsonNode aliceOnly = spend("group_by=model&key=alice" + window);
    assertThat(aliceOnly.path("data")).hasSize(1);
    assertThat(aliceOnly.path("data").get(0).path("group").asText()).isEqualTo("chat");
    assertThat(aliceOnly.path("data").get(0).path("cost_usd").asText()).isEqualTo("0.000900");
    assertThat(spend("group_by=key&team=red" + window).path("data")).hasSize(1);

    HttpResponse<String> bad = admin(gateway, "GET", "/admin/spend?group_by=colour", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").path("param").asText()).isEqualTo("group_by");
    assertThat(json(admin(gateway, "GET", "/admin/spend?from=last-week", null)).path("error").path("param").asText())
        .isEqualTo("from");
  }

  @Test
  void everyAdminRouteNeedsTheMasterKey() throws Exception {
    String plain = createKey(gateway, "{\"name\":\"client\"}").path("key").asText();
    String id = json(admin(gateway, "GET", "/admin/keys", null)).path("data").get(0).path("id").asText();
    String[][] routes = {{"GET", "/admin/keys"}, {"POST", "/admin/keys"}, {"GET", "/admin/keys/" + id},
        {"PATCH", "/admin/keys/" + id}, {"DELETE", "/admin/keys/" + id}, {"GET", "/admin/teams"},
        {"POST", "/admin/teams"}, {"GET", "/admin/spend"}, {"GET", "/admin/breakers"}};
    for (String[] r : routes) {
      String body = r[0].equals("GET") || r[0].equals("DELETE") ? null : "{\"name\":\"x\",\"budget\":{\"usd\":1000}}";
      for (String key : new String[] {null, plain, TestGateway.KEY}) {
        HttpResponse<String> res = KeysApi.call(gateway, r[0], r[1], key, body);
        assertThat(res.statusCode()).as(r[0] + " " + r[1] + " with " + key).isEqualTo(401);
      }
    }
    assertThat(json(admin(gateway, "GET", "/admin/keys/" + id, null)).path("status").asText()).isEqualTo("active");
  }

  @Test
  void withoutAMasterKeyTheAdminApiIsOff() throws Exception {
    try (TestGateway open = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      HttpResponse<String> res = KeysApi.call(open, "GET", "/admin/keys", TestGateway.KEY, null);
      assertThat(res.statusCode()).isEqualTo(403);
    }
  }

  private JsonNode spend(String query) throws Exception {
    HttpResponse<String> res = admin(gateway, "GET", "/admin/spend?" + query, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res);
  }

  private static LedgerRow.Builder row(String request, int attempt, Instant ts, String key, String team,
      String provider) {
    return LedgerRow.builder(request, attempt, ts).key(key, null, team).target("chat", provider, "gpt-4o-mini");
  }
}
