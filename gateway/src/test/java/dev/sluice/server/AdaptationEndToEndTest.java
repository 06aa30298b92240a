package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-target adaptation through the real gateway: each target (first try and fail-over alike) gets
 * its own adapted request, and {@code x-sluice-adapted-params} lists what the answering target got.
 */
class AdaptationEndToEndTest {
  @RegisterExtension
  final FakeUpstream openai = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream anthropic = new FakeUpstream();
  private TestGateway gateway;

  private static final String ANTHROPIC_ANSWER = """
      {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi!"}],
       "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":2}}""";

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: oa, type: openai, base_url: %s/v1, api_key: sk-oa-test-000000 }
          - { name: an, type: anthropic, base_url: %s, api_key: sk-ant-test-000000 }
        models:
          - name: reasoner
            targets:
              - provider: oa
                model: o3-mini
                system_prompt: { prepend: "Serving {{team}} via {{key_name}} on {{model}}; ticket {{ticket}}." }
          - name: mixed
            routing: priority
            retries: { same_target: 0 }
            targets:
              - { provider: oa, model: gpt-4o }
              - provider: an
                model: claude-sonnet-4-5
                system_prompt: { append: "Answer briefly." }
          - name: tuned
            targets:
              - provider: oa
                model: gpt-4o
                params: [ { set: temperature, value: 0 }, { drop: logit_bias } ]
        keys: [ { key: %s, name: billing-bot, team: payments } ]
        """.formatted(openai.baseUrl(), anthropic.baseUrl(), TestGateway.KEY));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aReasoningModelGetsItsFamilysParametersAndTheTargetsSystemPrompt() throws Exception {
    openai.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"reasoner","max_tokens":300,"temperature":0.3,"metadata":{"ticket":"T-9 {{key_name}}"},
         "messages":[{"role":"user","content":"hi"}]}""");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-adapted-params"))
        .hasValue("max_tokens->max_completion_tokens,-temperature,system_prompt:prepend");
    JsonNode sent = openai.takeRequest().json();
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(sent.has("max_tokens")).isFalse();
    assertThat(sent.has("temperature")).isFalse();
    assertThat(sent.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(sent.get("messages").get(0).get("content").asText())
        .isEqualTo("Serving payments via billing-bot on reasoner; ticket T-9 {{key_name}}.");
  }

  @Test
  void aFailOverTargetGetsItsOwnAdaptationAndTheHeaderNamesTheWinnersChanges() throws Exception {
    openai.dispatch(r -> FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
    anthropic.enqueue(FakeResponse.json(200, ANTHROPIC_ANSWER));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"mixed","max_tokens":1000,"temperature":0.5,"reasoning_effort":"medium",
         "messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"hi"}]}""");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-provider")).hasValue("an");
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue(
        "reasoning_effort->thinking.budget_tokens=8192,max_tokens=9192,-temperature,system_prompt:append");
    JsonNode first = openai.takeRequest().json();
    assertThat(first.has("reasoning_effort")).isFalse(); // gpt-4o does not reason
    assertThat(first.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(first.get("messages").get(0).get("content").asText()).isEqualTo("Be kind.");
    JsonNode claude = anthropic.takeRequest().json();
    assertThat(claude.get("thinking").get("budget_tokens").asInt()).isEqualTo(8192);
    assertThat(claude.get("max_tokens").asInt()).isEqualTo(9192);
    assertThat(claude.has("temperature")).isFalse();
    assertThat(claude.get("system").asText()).isEqualTo("Be kind.\n\nAnswer briefly.");
  }

  @Test
  void anAnthropicClientsThinkingBudgetReachesAnOpenAiReasoningModelAsAnEffort() throws Exception {
    openai.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> res = gateway.http().send(gateway.request("/v1/messages")
        .header("anthropic-version", "2023-06-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
            {"model":"reasoner","max_tokens":20000,"system":"Be exact.",
             "thinking":{"type":"enabled","budget_tokens":4000},"messages":[{"role":"user","content":"hi"}]}""")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue(
        "max_tokens->max_completion_tokens,thinking.budget_tokens->reasoning_effort=medium,system_prompt:prepend");
    JsonNode sent = openai.takeRequest().json();
    assertThat(sent.get("reasoning_effort").asText()).isEqualTo("medium");
    assertThat(sent.has("thinking")).isFalse();
    assertThat(sent.get("max_completion_tokens").asInt()).isEqualTo(20000);
    assertThat(sent.get("messages").get(0).get("content").asText()).startsWith("Serving payments").endsWith("\n\nBe exact.");
  }

  @Test
  void aTargetsOwnRulesAreAppliedAndListed() throws Exception {
    openai.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"tuned","temperature":0.9,"logit_bias":{"1":2},"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue("temperature=0,-logit_bias");
    JsonNode sent = openai.takeRequest().json();
    assertThat(sent.get("temperature").asDouble()).isEqualTo(0.0);
    assertThat(sent.has("logit_bias")).isFalse();
    assertThat(Sse.json(res.body()).get("choices").get(0).get("message").has("content")).isTrue();
  }

  @Test
  void aRequestNothingIsAdaptedForHasNoHeaderAndADirectRouteGetsItsFamilysRules() throws Exception {
    openai.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> plain = gateway.post("/v1/chat/completions", """
        {"model":"oa/gpt-4o","temperature":0.4,"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("x-sluice-adapted-params")).isEmpty();
    assertThat(openai.takeRequest().json().get("temperature").asDouble()).isEqualTo(0.4);
    openai.enqueue(FakeResponse.json(200, COMPLETION));
    HttpResponse<String> direct = gateway.post("/v1/chat/completions", """
        {"model":"oa/o1","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(direct.headers().firstValue("x-sluice-adapted-params")).hasValue("max_tokens->max_completion_tokens");
    assertThat(openai.takeRequest().json().get("max_completion_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void aStreamedAnswerCarriesTheHeaderToo() throws Exception {
    openai.enqueue(FakeResponse.openAiStream(dev.sluice.testing.OpenAiFixtures.helloStream()));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", """
        {"model":"tuned","stream":true,"temperature":0.9,"messages":[{"role":"user","content":"hi"}]}""");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue("temperature=0");
    assertThat(res.body()).contains("Hel").contains("[DONE]");
    assertThat(openai.takeRequest().json().get("temperature").asDouble()).isEqualTo(0.0);
  }
}
