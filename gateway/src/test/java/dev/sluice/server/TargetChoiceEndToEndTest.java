package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Capabilities are checked before routing; parameters a target cannot carry are dropped or rejected. */
class TargetChoiceEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  private static final String ANTHROPIC_ANSWER = """
      {"id":"msg_01","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hi!"}],
       "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":2}}""";

  @BeforeEach
  void start() throws Exception {
    String base = "http://127.0.0.1:" + upstream.port();
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: claude, type: anthropic, base_url: %s, api_key: sk-ant-test-000000 }
          - { name: local, type: openai-compatible, base_url: %s/v1 }
        models:
          - name: dropper
            max_tokens: 777
            targets: [ { provider: claude, model: claude-x } ]
          - name: strict
            unsupported_params: reject
            targets: [ { provider: claude, model: claude-x } ]
          - name: text-only
            targets: [ { provider: local, model: llama, capabilities: { vision: false, tools: false } } ]
          - name: mixed
            targets:
              - { provider: local, model: llama, capabilities: { vision: false }, weight: 1000 }
              - { provider: claude, model: claude-x, weight: 1 }
        keys: [ { key: %s, name: t } ]
        """.formatted(base, base, TestGateway.KEY));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private static String withImage(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is it\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}";
  }

  @Test
  void imageRequestToATextOnlyModelIsA400AndNeverSent() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", withImage("text-only"));
    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode error = Sse.json(res.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("messages");
    assertThat(error.get("message").asText()).contains("local/llama lacks vision");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void toolRequestSkipsTargetsWithoutTools() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"text-only","messages":[{"role":"user","content":"weather?"}],
         "tools":[{"type":"function","function":{"name":"w","parameters":{"type":"object"}}}]}""");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(Sse.json(res.body()).get("error").get("param").asText()).isEqualTo("tools");
  }

  @Test
  void imageRequestGoesToTheCapableTargetWhateverTheWeights() throws Exception {
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", withImage("mixed"));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-provider")).hasValue("claude");
    RecordedRequest req = upstream.takeRequest();
    assertThat(req.uri()).isEqualTo("/v1/messages");
    assertThat(req.json().get("messages").get(0).get("content").get(1).get("type").asText()).isEqualTo("image");
  }

  @Test
  void unsupportedParametersAreDroppedAndNamedInAHeader() throws Exception {
    upstream.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"dropper","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":2},"seed":4,"temperature":1.5}""");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-dropped-params")).hasValue("logit_bias,seed");
    JsonNode sent = upstream.takeRequest().json();
    assertThat(sent.has("logit_bias")).isFalse();
    assertThat(sent.has("seed")).isFalse();
    assertThat(sent.get("temperature").asDouble()).isEqualTo(1.0); // clamped to Anthropic's range
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(777); // the model's configured default
    assertThat(Sse.json(res.body()).get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hi!");
  }

  @Test
  void unsupportedParametersAreRejectedWhenTheModelSaysSo() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"strict","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":2}}""");
    assertThat(res.statusCode()).isEqualTo(400);
    JsonNode error = Sse.json(res.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("logit_bias");
    assertThat(error.get("message").asText()).contains("claude/claude-x");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void aRequestTheProviderFormatCannotExpressIsA400NotA500() throws Exception {
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"dropper","messages":[{"role":"user","content":"hi"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]},
          {"role":"tool","tool_call_id":"c1","content":"x"}],
         "tools":[{"type":"function","function":{"name":"f"}}]}""");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(Sse.json(res.body()).get("error").get("param").asText()).contains("arguments");
  }
}
