package dev.sluice.admin;

import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Canaries;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /admin/config} of a running gateway: the config it runs with and the check's result,
 * with a canary secret in every secret field of the file absent from the answer in every form.
 */
class ConfigAdminEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private final Canaries canaries = new Canaries();
  private final String master = canaries.plant("master key", "sk-CANARY-master-Q2x9Lm4Pz8");
  private final String metrics = canaries.plant("metrics key", "CANARY-metrics-key-7Hd3Ws");
  private final String apiKey = canaries.plant("provider api_key", "sk-CANARY-provider-Vb6Nq1Ty");
  private final String header = canaries.plant("provider header", "CANARY-header-value-4Rk8Jc");
  private final String basePassword = canaries.plant("base_url password", "CANARYbasepass-19");
  private final String client = canaries.plant("client key", "sk-CANARY-client-Mx5Gp2Zr");
  private final String keyHook = canaries.plant("key alert webhook path", "CANARY-key-hook-Yt7Ue3");
  private final String teamHook = canaries.plant("team alert webhook path", "CANARY-team-hook-Kp4Sd9");

  @Test
  void showsTheEffectiveConfigAndItsCheckWithoutASecret() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, master_key: "%s", metrics_key: "%s" }
        providers:
          - { name: up, type: openai-compatible, api_key: "%s", headers: { x-upstream-token: "%s" },
              base_url: "http://sluice:%s@127.0.0.1:%d/v1" }
        models:
          - { name: chat, targets: [ { provider: up, model: upstream-model } ] }
        keys:
          - { key: "%s", name: app, team: red,
              budget: { usd: "5", mode: soft, alert_webhook: "https://hooks.example.com/services/%s" } }
        teams:
          - { name: red, budget: { usd: "50", alert_webhook: "https://hooks.example.com/t/%s" } }
        """.formatted(master, metrics, apiKey, header, basePassword, upstream.port(), client, keyHook, teamHook);
    try (TestGateway gw = TestGateway.start(yaml)) {
      HttpResponse<String> res = KeysApi.call(gw, "GET", "/admin/config", master, null);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      canaries.surface("GET /admin/config", res.body());
      canaries.assertNoneFound();

      JsonNode body = json(res);
      assertThat(body.path("object").asText()).isEqualTo("sluice.config");
      JsonNode up = body.path("config").path("providers").get(0);
      assertThat(up.path("name").asText()).isEqualTo("up");
      assertThat(up.path("api_key").asText()).isEqualTo("[redacted]");
      assertThat(up.path("base_url").asText()).isEqualTo("http://sluice:***@127.0.0.1:" + upstream.port() + "/v1");
      assertThat(body.path("config").path("models").get(0).path("name").asText()).isEqualTo("chat");
      assertThat(body.path("config").path("teams").get(0).path("budget").path("alert_webhook").asText())
          .isEqualTo("https://hooks.example.com/[redacted]");
      JsonNode check = body.path("check");
      assertThat(check.path("valid").asBoolean()).isTrue();
      assertThat(check.path("summary").asText()).isEqualTo("1 providers, 1 models, 1 keys");
      assertThat(check.path("problems")).isEmpty();

      // Only the master key may read it.
      assertThat(KeysApi.call(gw, "GET", "/admin/config", client, null).statusCode()).isEqualTo(401);
      assertThat(KeysApi.call(gw, "GET", "/admin/config", metrics, null).statusCode()).isEqualTo(401);
    }
  }
}
