package dev.sluice.switching;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.azure.AzureOpenAiAdapter;
import dev.sluice.provider.gemini.GeminiAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adaptation table, per provider family: a request in, through the bundled family rules and the
 * real provider adapter, the JSON the provider would receive out, and the changes the header lists.
 */
class AdaptationTableTest {
  private static final Map<String, String> TYPES = Map.of("oa", "openai", "az", "azure-openai", "an", "anthropic",
      "ge", "gemini", "local", "openai-compatible");
  private static final Map<String, ProviderAdapter> ADAPTERS = Map.of("oa", OpenAiAdapter.instance(),
      "az", new AzureOpenAiAdapter("2024-10-21"), "an", AnthropicAdapter.create(), "ge", new GeminiAdapter(),
      "local", OpenAiAdapter.instance());

  /** What a provider receives, and the header's list. */
  private record Wire(JsonNode json, List<String> changes) {}

  private static ChatRequest request(String json) throws Exception {
    return new ChatRequest(OpenAiRequestCodec.decode(Json.MAPPER.readTree(json)));
  }

  private static Wire send(String provider, String model, String json) throws Exception {
    return send(Adaptations.builder(FamilyCatalog.bundled(), TYPES).build(), new Target(provider, model, 1), json);
  }

  private static Wire send(Adaptations adaptations, Target target, String json) throws Exception {
    ChatRequest canonical = request(json);
    Adapted a = adaptations.adapt(target, canonical, new RequestFacts("k", "t", "m"));
    ProviderAdapter adapter = ADAPTERS.get(target.provider());
    ChatRequest sent = a.request().without(adapter.unsupportedParams(a.request()));
    JsonNode wire = Json.MAPPER.readTree(adapter.encode(sent, target).body().getBytes());
    return new Wire(wire, a.changes());
  }

  private static final String USER = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Test
  void openAiChatModelsKeepSamplingAndLoseReasoning() throws Exception {
    Wire w = send("oa", "gpt-4o", "{\"model\":\"m\"," + USER + ",\"max_tokens\":100,\"temperature\":0.7,"
        + "\"reasoning_effort\":\"high\"}");
    assertThat(w.json().get("max_tokens").asInt()).isEqualTo(100);
    assertThat(w.json().get("temperature").asDouble()).isEqualTo(0.7);
    assertThat(w.json().has("reasoning_effort")).isFalse();
    assertThat(w.changes()).containsExactly("-reasoning_effort");
  }

  @Test
  void openAiReasoningModelsGetMaxCompletionTokensAndNoSampling() throws Exception {
    Wire w = send("oa", "o3-mini", "{\"model\":\"m\"," + USER + ",\"max_tokens\":500,\"temperature\":0.2,"
        + "\"top_p\":0.9,\"presence_penalty\":0.5,\"reasoning_effort\":\"low\"}");
    assertThat(w.json().has("max_tokens")).isFalse();
    assertThat(w.json().get("max_completion_tokens").asInt()).isEqualTo(500);
    assertThat(w.json().has("temperature")).isFalse();
    assertThat(w.json().has("top_p")).isFalse();
    assertThat(w.json().has("presence_penalty")).isFalse();
    assertThat(w.json().get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(w.changes()).containsExactly("max_tokens->max_completion_tokens", "-temperature", "-top_p",
        "-presence_penalty");
  }

  @Test
  void anAnthropicThinkingBudgetBecomesAnOpenAiEffort() throws Exception {
    Wire w = send("oa", "gpt-5-mini", "{\"model\":\"m\"," + USER + ",\"max_completion_tokens\":20000,"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10000}}");
    assertThat(w.json().get("reasoning_effort").asText()).isEqualTo("high");
    assertThat(w.json().has("thinking")).isFalse();
    assertThat(w.changes()).containsExactly("thinking.budget_tokens->reasoning_effort=high");
  }

  @Test
  void azureReasoningDeploymentsNamedLikeTheModelGetTheSameRules() throws Exception {
    Wire w = send("az", "o4-mini", "{\"model\":\"m\"," + USER + ",\"max_tokens\":64}");
    assertThat(w.json().get("max_completion_tokens").asInt()).isEqualTo(64);
    assertThat(w.json().has("max_tokens")).isFalse();
    assertThat(w.changes()).containsExactly("max_tokens->max_completion_tokens");
  }

  @Test
  void reasoningEffortBecomesAnthropicThinkingWithItsConstraints() throws Exception {
    Wire w = send("an", "claude-sonnet-4-5", "{\"model\":\"m\"," + USER + ",\"max_tokens\":1000,"
        + "\"temperature\":0.5,\"top_p\":0.5,\"reasoning_effort\":\"medium\"}");
    assertThat(w.json().get("thinking").get("type").asText()).isEqualTo("enabled");
    assertThat(w.json().get("thinking").get("budget_tokens").asInt()).isEqualTo(8192);
    assertThat(w.json().get("max_tokens").asInt()).isEqualTo(9192); // above the budget, the answer's 1000 kept
    assertThat(w.json().has("temperature")).isFalse();
    assertThat(w.json().get("top_p").asDouble()).isEqualTo(0.95);
    assertThat(w.json().has("reasoning_effort")).isFalse();
    assertThat(w.changes()).containsExactly("reasoning_effort->thinking.budget_tokens=8192", "max_tokens=9192",
        "-temperature", "top_p=0.95");
  }

  @Test
  void anAnthropicClientsOwnThinkingGoesThroughUntouched() throws Exception {
    Wire w = send("an", "claude-opus-4-1", "{\"model\":\"m\"," + USER + ",\"max_tokens\":4000,"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}");
    assertThat(w.json().get("thinking").get("budget_tokens").asInt()).isEqualTo(2048);
    assertThat(w.json().get("max_tokens").asInt()).isEqualTo(4000);
    assertThat(w.changes()).isEmpty();
  }

  @Test
  void olderClaudeModelsClampTemperatureAndDoNotThink() throws Exception {
    Wire w = send("an", "claude-3-5-haiku-20241022", "{\"model\":\"m\"," + USER + ",\"temperature\":1.5,"
        + "\"reasoning_effort\":\"high\"}");
    assertThat(w.json().get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(w.json().has("thinking")).isFalse();
    assertThat(w.changes()).containsExactly("temperature=1", "-reasoning_effort");
  }

  @Test
  void gemini25TakesAThinkingBudget() throws Exception {
    Wire w = send("ge", "gemini-2.5-flash", "{\"model\":\"m\"," + USER + ",\"reasoning_effort\":\"low\"}");
    assertThat(w.json().get("generationConfig").get("thinkingConfig").get("thinkingBudget").asInt()).isEqualTo(1024);
    assertThat(w.changes()).containsExactly("reasoning_effort->thinking_config.thinking_budget=1024");
  }

  @Test
  void anAnthropicBudgetIsClampedToGemini25ProsRange() throws Exception {
    Wire w = send("ge", "gemini-2.5-pro", "{\"model\":\"m\"," + USER + ",\"max_tokens\":64000,"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":50000}}");
    assertThat(w.json().get("generationConfig").get("thinkingConfig").get("thinkingBudget").asInt()).isEqualTo(32768);
    assertThat(w.json().get("generationConfig").get("maxOutputTokens").asInt()).isEqualTo(64000);
    assertThat(w.changes()).containsExactly("thinking.budget_tokens->thinking_config.thinking_budget=32768");
  }

  @Test
  void gemini3TakesAThinkingLevel() throws Exception {
    Wire w = send("ge", "gemini-3-pro-preview", "{\"model\":\"m\"," + USER + ",\"reasoning_effort\":\"medium\"}");
    JsonNode config = w.json().get("generationConfig").get("thinkingConfig");
    assertThat(config.get("thinkingLevel").asText()).isEqualTo("high");
    assertThat(config.has("thinkingBudget")).isFalse();
    assertThat(w.changes()).containsExactly("reasoning_effort->thinking_config.thinking_level=high");
  }

  @Test
  void geminiModelsWithoutThinkingGetNoReasoningParameter() throws Exception {
    Wire w = send("ge", "gemini-2.0-flash", "{\"model\":\"m\"," + USER + ",\"reasoning_effort\":\"high\"}");
    assertThat(w.json().path("generationConfig").has("thinkingConfig")).isFalse();
    assertThat(w.changes()).containsExactly("-reasoning_effort");
  }

  @Test
  void aTargetsOwnRulesApplyAfterItsFamilysInConfigOrder() throws Exception {
    Target t = new Target("oa", "gpt-4o", 1);
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), TYPES).target(t, List.of(
        ParamRule.rename("max_tokens", "max_completion_tokens"), ParamRule.set("temperature", IntNode.valueOf(1)),
        ParamRule.clamp("top_p", 0.0, 0.5), ParamRule.drop("logit_bias"), ParamRule.byDefault("seed", IntNode.valueOf(7)),
        ParamRule.drop("stop")), null).build();
    Wire w = send(a, t, "{\"model\":\"m\"," + USER + ",\"max_tokens\":10,\"temperature\":0.3,\"top_p\":0.9,"
        + "\"logit_bias\":{\"1\":2},\"reasoning_effort\":\"low\"}");
    assertThat(w.json().get("max_completion_tokens").asInt()).isEqualTo(10);
    assertThat(w.json().get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(w.json().get("top_p").asDouble()).isEqualTo(0.5);
    assertThat(w.json().has("logit_bias")).isFalse();
    assertThat(w.json().get("seed").asInt()).isEqualTo(7);
    assertThat(w.changes()).containsExactly("-reasoning_effort", "max_tokens->max_completion_tokens",
        "temperature=1", "top_p=0.5", "-logit_bias", "seed=7");
  }

  @Test
  void aTargetRuleCanUndoAFamilyRule() throws Exception {
    Target t = new Target("oa", "o3", 1);
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), TYPES)
        .target(t, List.of(ParamRule.set("temperature", IntNode.valueOf(1))), null).build();
    Wire w = send(a, t, "{\"model\":\"m\"," + USER + ",\"temperature\":0.2}");
    assertThat(w.json().get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(w.changes()).containsExactly("-temperature", "temperature=1");
  }

  @Test
  void unknownModelsAndProviderTypesGoAsSent() throws Exception {
    ChatRequest canonical = request("{\"model\":\"m\"," + USER + ",\"max_tokens\":5,\"reasoning_effort\":\"low\"}");
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), TYPES).build();
    Adapted out = a.adapt(new Target("local", "gpt-5", 1), canonical, RequestFacts.NONE);
    assertThat(out.request()).isSameAs(canonical);
    assertThat(out.changes()).isEmpty();
    assertThat(a.adapt(new Target("oa", "my-finetune", 1), canonical, RequestFacts.NONE).request()).isSameAs(canonical);
  }

  @Test
  void theCanonicalRequestIsNeverChanged() throws Exception {
    String json = "{\"model\":\"m\"," + USER + ",\"max_tokens\":500,\"temperature\":0.2,\"reasoning_effort\":\"high\"}";
    ChatRequest canonical = request(json);
    String before = OpenAiRequestCodec.encode(canonical.body(), false).toString();
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), TYPES).build();
    for (Target t : List.of(new Target("oa", "o3", 1), new Target("an", "claude-sonnet-4", 1),
        new Target("ge", "gemini-2.5-flash", 1), new Target("ge", "gemini-3-flash", 1))) {
      a.adapt(t, canonical, RequestFacts.NONE);
    }
    assertThat(OpenAiRequestCodec.encode(canonical.body(), false).toString()).isEqualTo(before);
  }

  @Test
  void headerValuesStayOneParseableAsciiList() throws Exception {
    Target t = new Target("local", "llama", 1);
    Adaptations a = Adaptations.builder(FamilyCatalog.bundled(), TYPES).target(t, List.of(
        ParamRule.set("stop", Json.MAPPER.readTree("[\"a,b\",\"é\\n\"]"))), null).build();
    Wire w = send(a, t, "{\"model\":\"m\"," + USER + "}");
    assertThat(w.json().get("stop").get(0).asText()).isEqualTo("a,b");
    assertThat(w.changes()).containsExactly("stop=[\"a%2Cb\"%2C\"%C3%A9\\n\"]");
  }
}
