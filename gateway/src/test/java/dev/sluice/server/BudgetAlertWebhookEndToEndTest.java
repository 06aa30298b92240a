package dev.sluice.server;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.billing.Budgets;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.LogCapture;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Team alert webhooks set through the admin API pass the outbound guard: refused when stored if
 * their text already says where they lead (scheme, user info, a non-public or non-canonical literal),
 * refused when sent if their name resolves to a non-public address, and delivered to a host of
 * {@code outbound.trusted_hosts} over plain http — whose redirects are not followed.
 */
class BudgetAlertWebhookEndToEndTest {
  private static final String OPS_KEY = "sk-ops-team-key-0001";
  private static final String DEV_KEY = "sk-dev-team-key-0002";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  /** Where webhooks point. */
  @RegisterExtension
  final FakeUpstream hooks = new FakeUpstream();
  /** Where a webhook's redirect points. */
  @RegisterExtension
  final FakeUpstream elsewhere = new FakeUpstream();

  /** 19 input and 10 output tokens at 1 and 2 µUSD: each request costs 39 µUSD. */
  private String config(String outbound) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: up, type: openai-compatible, base_url: "http://127.0.0.1:%d/v1" }
        models:
          - name: chat
            targets: [ { provider: up, model: m, price: { input_per_mtok: "1", output_per_mtok: "2" } } ]
        keys:
          - { key: %s, name: ops-app, team: ops }
          - { key: %s, name: dev-app, team: dev }
        %s
        """.formatted(KeysApi.MASTER, upstream.port(), OPS_KEY, DEV_KEY, outbound);
  }

  /** A soft team budget of 10 µUSD alerting at 50%: the first request crosses it. */
  private static HttpResponse<String> team(TestGateway gw, String name, String webhook) throws Exception {
    return admin(gw, "POST", "/admin/teams", """
        {"name":"%s","budget":{"usd":"0.00001","mode":"soft","alert_webhook":"%s","alert_thresholds":[50]}}"""
        .formatted(name, webhook));
  }

  /** Each URL, and a word its refusal must contain. */
  private static final List<String[]> REFUSED_WHEN_STORED = List.of(
      new String[] {"https://127.0.0.1/hook", "loopback"},
      new String[] {"https://127.0.0.1:{port}/hook", "loopback"},
      new String[] {"http://127.0.0.1:{port}/hook", "outbound.trusted_hosts"},
      new String[] {"https://10.0.0.5/hook", "private"},
      new String[] {"https://169.254.169.254/latest/meta-data/", "link-local"},
      new String[] {"https://[::ffff:127.0.0.1]/hook", "loopback"},
      new String[] {"https://[::1]/hook", "loopback"},
      new String[] {"https://2130706433/hook", "canonical"},
      new String[] {"https://0177.0.0.1/hook", "canonical"},
      new String[] {"https://127.1/hook", "canonical"},
      new String[] {"https://hooks.example.com@127.0.0.1/hook", "user info"},
      new String[] {"ftp://hooks.example.com/hook", "https://"});

  @Test
  void anAdminSetWebhookTheGuardRefusesByItsTextIsA400AndIsNotStored() throws Exception {
    try (TestGateway gw = TestGateway.start(config(""))) {
      for (String[] row : REFUSED_WHEN_STORED) {
        String url = row[0].replace("{port}", String.valueOf(hooks.port()));
        HttpResponse<String> res = team(gw, "ops", url);

        assertThat(res.statusCode()).as(url + ": " + res.body()).isEqualTo(400);
        JsonNode error = json(res).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("budget.alert_webhook");
        assertThat(error.path("message").asText()).as(url).contains("refused", row[1]);
      }
      assertThat(admin(gw, "GET", "/admin/teams/ops", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anAdminSetWebhookWhoseNameResolvesToLoopbackIsStoredButNeverCalled() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    String webhook = "https://localhost:" + hooks.port() + "/hook";
    try (LogCapture log = new LogCapture(Budgets.class); TestGateway gw = TestGateway.start(config(""))) {
      // A name is checked again, resolved, each time an alert is sent: storing it is allowed.
      assertThat(team(gw, "ops", webhook).statusCode()).isEqualTo(201);

      assertThat(KeysApi.chat(gw, OPS_KEY, "chat").statusCode()).isEqualTo(200);

      String failed = log.await(m -> m.contains("not delivered"));
      assertThat(failed).contains("team 'ops'", "localhost resolves to", "loopback", "outbound guard")
          .doesNotContain("/hook");
      // The delivery has failed: had the guard let it through, its connection would have come first.
      assertThat(hooks.connectionCount()).isZero();
    }
  }

  @Test
  void aTrustedLocalReceiverGetsTheAlertOverHttpAndItsRedirectIsNotFollowed() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    hooks.dispatch(r -> r.uri().startsWith("/moved")
        ? FakeResponse.json(302, "{}").header("location", "http://127.0.0.1:" + elsewhere.port() + "/steal")
        : FakeResponse.json(200, "{}"));
    String base = "http://127.0.0.1:" + hooks.port();
    try (LogCapture log = new LogCapture(Budgets.class);
        TestGateway gw = TestGateway.start(config("outbound: { trusted_hosts: [\"127.0.0.1\"] }"))) {
      assertThat(team(gw, "ops", base + "/budget").statusCode()).isEqualTo(201);
      assertThat(team(gw, "dev", base + "/moved").statusCode()).isEqualTo(201);

      assertThat(KeysApi.chat(gw, OPS_KEY, "chat").statusCode()).isEqualTo(200);
      RecordedRequest alert = hooks.takeRequest();
      assertThat(alert.uri()).isEqualTo("/budget");
      assertThat(alert.header("content-type")).isEqualTo("application/json");
      assertThat(alert.json().path("type").asText()).isEqualTo("budget_threshold");
      assertThat(alert.json().path("scope").asText()).isEqualTo("team");
      assertThat(alert.json().path("id").asText()).isEqualTo("ops");
      assertThat(alert.json().path("threshold").asDouble()).isEqualTo(0.5);

      assertThat(KeysApi.chat(gw, DEV_KEY, "chat").statusCode()).isEqualTo(200);
      assertThat(hooks.takeRequest().uri()).isEqualTo("/moved");
      String failed = log.await(m -> m.contains("team 'dev'") && m.contains("not delivered"));
      assertThat(failed).contains("answered 302", "redirects are not followed");
      assertThat(elsewhere.connectionCount()).isZero();
      assertThat(log.messages()).noneMatch(m -> m.contains("team 'ops'"));
    }
  }

  @Test
  void aWebhookFromTheConfigFileIsTrustedAsWritten() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    hooks.dispatch(r -> FakeResponse.json(200, "{}"));
    String teams = """
        teams:
          - { name: ops, budget: { usd: "0.00001", mode: soft, alert_webhook: "http://127.0.0.1:%d/cfg", alert_thresholds: [50%%] } }
        """.formatted(hooks.port());
    // No trusted_hosts: the operator wrote this URL in the config file.
    try (TestGateway gw = TestGateway.start(config(teams))) {
      assertThat(KeysApi.chat(gw, OPS_KEY, "chat").statusCode()).isEqualTo(200);
      RecordedRequest alert = hooks.takeRequest();
      assertThat(alert.uri()).isEqualTo("/cfg");
      assertThat(alert.json().path("id").asText()).isEqualTo("ops");
    }
  }

  @Test
  void aPublicNameIsAcceptedWhenStored() throws Exception {
    try (TestGateway gw = TestGateway.start(config(""))) {
      HttpResponse<String> res = team(gw, "ops", "https://hooks.example.com/budget");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
      assertThat(json(res).path("budget").path("alert_webhook").asText()).isEqualTo("https://hooks.example.com/budget");
      assertThat(List.of(json(admin(gw, "GET", "/admin/teams", null)).path("data").get(0).path("name").asText()))
          .containsExactly("ops");
    }
  }
}
