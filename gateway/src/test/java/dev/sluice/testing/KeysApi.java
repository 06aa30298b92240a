package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls to the admin API and the tenant routes of a {@link TestGateway}, for the key and tenant tests. */
public final class KeysApi {
  public static final String MASTER = "sk-master-key-0123456789";

  private KeysApi() {}

  /**
   * A gateway with the master key, one OpenAI-compatible provider at {@code baseUrl}, models
   * {@code chat} and {@code other}, the static key {@link TestGateway#KEY}, and {@code extra} YAML
   * at the top level (redis:, store:, teams: ...).
   */
  public static String config(String baseUrl, String extra) {
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - name: up
            type: openai-compatible
            base_url: %s
            api_key: sk-provider-secret-0123456789
        models:
          - name: chat
            targets: [ { provider: up, model: gpt-4o-mini } ]
          - name: other
            targets: [ { provider: up, model: gpt-4o-mini } ]
        keys:
          - { key: %s, name: tester }
        %s
        """.formatted(MASTER, baseUrl, TestGateway.KEY, extra);
  }

  public static HttpResponse<String> call(TestGateway g, String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    if (key != null) {
      b.header("authorization", "Bearer " + key);
    }
    return g.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> admin(TestGateway g, String method, String path, String body) throws Exception {
    return call(g, method, path, MASTER, body);
  }

  public static JsonNode json(HttpResponse<String> res) throws Exception {
    return Json.MAPPER.readTree(res.body());
  }

  /** Creates a key through the admin API; the answer (with the plain key under "key"). */
  public static JsonNode createKey(TestGateway g, String body) throws Exception {
    HttpResponse<String> res = admin(g, "POST", "/admin/keys", body);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    return json(res);
  }

  public static HttpResponse<String> chat(TestGateway g, String key, String model) throws Exception {
    return call(g, "POST", "/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
  }

  /** The value of one Prometheus series of {@code /metrics}, e.g. {@code sluice_key_lookups_total{result="store_found"}}; 0 when absent. */
  public static double metric(TestGateway g, String series) throws Exception {
    String text = g.get("/metrics", null).body();
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  public static double keyLookups(TestGateway g, String result) throws Exception {
    return metric(g, "sluice_key_lookups_total{result=\"" + result + "\"}");
  }
}
