package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import dev.sluice.conformance.Answer.ToolCallOut;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK's {@code client.responses()} against the gateway, whose model routes to
 * a fake upstream of each provider type speaking its real wire format: whole and streamed answers
 * (the stream folded by the SDK's strict {@link ResponseAccumulator}), function tools with a tool
 * output round trip, and structured output through {@code text.format}. The upstream answers are the
 * provider contract's own fixtures, so the expected meaning is the one every front door must give.
 * Every provider type with contract fixtures is run: openai, openai-compatible, azure-openai,
 * anthropic, gemini, bedrock (signatures verified) and vertex (its Gemini and Anthropic models, the
 * service account's token from a fake Google token endpoint).
 */
class ResponsesSdkTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();

  static Stream<ProviderContract> providers() {
    return Stream.of(new OpenAiContractTest(), new OpenAiCompatibleContractTest(), new AzureOpenAiContractTest(),
        new AnthropicContractTest(), new GeminiContractTest(), new BedrockContractTest(), new VertexGeminiContractTest(),
        new VertexAnthropicContractTest());
  }

  /** The provider's YAML; a Vertex one gets its service account from this test's fake Google token endpoint. */
  private String providerYaml(ProviderContract provider) {
    return provider instanceof VertexGeminiContractTest || provider instanceof VertexAnthropicContractTest
        ? VertexGeminiContractTest.vertexYaml(upstream, google) : provider.providerYaml(upstream);
  }

  private TestGateway gateway(ProviderContract provider) throws Exception {
    if (provider instanceof BedrockContractTest bedrock) {
      upstream.guard(bedrock.account::check); // a request whose SigV4 signature does not verify gets a 403
    }
    return TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - name: up
        %s
        models:
          - name: chat
            targets: [ { provider: up, model: %s } ]
            retries: { max_attempts: 1 }
        keys:
          - { key: %s, name: tester }
        """.formatted(providerYaml(provider).indent(4).stripTrailing(), provider.targetModel(), TestGateway.KEY));
  }

  private static OpenAIClient client(TestGateway gw) {
    return OpenAIOkHttpClient.builder().baseUrl(gw.url("/v1")).apiKey(TestGateway.KEY).maxRetries(0).build();
  }

  private static ResponseCreateParams.Builder ask(String question) {
    return ResponseCreateParams.builder().model("chat").instructions(ProviderContract.SYSTEM).input(question)
        .maxOutputTokens(256);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void wholeAndStreamedAnswersReadAsTheProviderMeantThem(ProviderContract provider) throws Exception {
    try (TestGateway gw = gateway(provider)) {
      OpenAIClient client = client(gw);
      try {
        Upstream whole = provider.simpleAnswer();
        upstream.enqueue(whole.response().get());
        Response response = client.responses().create(ask(ProviderContract.QUESTION).build());
        assertThat(response.status().orElseThrow().asString()).isEqualTo("completed");
        assertThat(text(response)).isEqualTo(whole.expected().text());
        assertUsage(response, whole.expected());
        assertSimpleRequest(provider, upstream.takeRequest().json());

        Upstream streamed = provider.streamedAnswer();
        upstream.enqueue(streamed.response().get());
        ResponseAccumulator acc = ResponseAccumulator.createWithSnapshots();
        List<String> types = new ArrayList<>();
        List<Long> sequence = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
            ask(ProviderContract.QUESTION).build())) {
          stream.stream().forEach(e -> {
            acc.accumulate(e);
            JsonNode raw = com.openai.core.ObjectMappers.jsonMapper().valueToTree(e);
            types.add(raw.path("type").asText());
            sequence.add(raw.path("sequence_number").asLong());
          });
        }
        assertThat(types.subList(0, 2)).containsExactly("response.created", "response.in_progress");
        assertThat(types).contains("response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done");
        assertThat(types.get(types.size() - 1)).isEqualTo("response.completed");
        for (int i = 0; i < sequence.size(); i++) {
          assertThat(sequence.get(i)).as("sequence_number of event " + i).isEqualTo(i);
        }
        assertThat(text(acc.response())).isEqualTo(streamed.expected().text());
        assertThat(text(acc.reconstructedResponse())).isEqualTo(streamed.expected().text());
        assertUsage(acc.response(), streamed.expected());
        assertSimpleRequest(provider, upstream.takeRequest().json());
      } finally {
        client.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void functionToolsCallAndTakeTheirOutputsBack(ProviderContract provider) throws Exception {
    try (TestGateway gw = gateway(provider)) {
      OpenAIClient client = client(gw);
      try {
        Upstream calls = provider.toolCallAnswer();
        upstream.enqueue(calls.response().get());
        ResponseCreateParams.Builder params = ask("Weather and time in Paris?");
        ProviderContract.TOOLS.forEach(t -> params.addTool(FunctionTool.builder().name(t.name())
            .description(t.description()).parameters(parameters(t.schema())).strict(false).build()));
        Response response = client.responses().create(params.build());
        List<ResponseFunctionToolCall> made = response.output().stream().flatMap(i -> i.functionCall().stream()).toList();
        assertThat(made).hasSameSizeAs(calls.expected().toolCalls());
        for (int i = 0; i < made.size(); i++) {
          ToolCallOut want = calls.expected().toolCalls().get(i);
          assertThat(made.get(i).name()).isEqualTo(want.name());
          assertThat(FrontClient.parse(made.get(i).arguments())).isEqualTo(want.arguments());
        }
        provider.assertToolsDeclared(upstream.takeRequest().json());

        // The round trip: the question, the assistant's text and calls, then each call's output.
        Upstream after = provider.simpleAnswer();
        upstream.enqueue(after.response().get());
        List<ResponseInputItem> input = new ArrayList<>();
        input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
            .content("Weather and time in Paris?").build()));
        input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.ASSISTANT)
            .content("Let me look.").build()));
        for (ChatSpec.Call c : ProviderContract.HISTORY_CALLS) {
          input.add(ResponseInputItem.ofFunctionCall(ResponseFunctionToolCall.builder().callId(c.id()).name(c.name())
              .arguments(c.argumentsJson()).build()));
        }
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
            .callId("call_w1").output(ProviderContract.WEATHER_RESULT).build()));
        input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
            .callId("call_t2").output(ProviderContract.TIME_RESULT).build()));
        ResponseCreateParams.Builder next = ResponseCreateParams.builder().model("chat")
            .instructions(ProviderContract.SYSTEM).inputOfResponse(input).maxOutputTokens(256);
        ProviderContract.TOOLS.forEach(t -> next.addTool(FunctionTool.builder().name(t.name())
            .description(t.description()).parameters(parameters(t.schema())).strict(false).build()));
        Response answer = client.responses().create(next.build());
        assertThat(text(answer)).isEqualTo(after.expected().text());
        provider.assertToolHistory(upstream.takeRequest().json());
      } finally {
        client.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void structuredOutputAsksTheProviderForTheSchema(ProviderContract provider) throws Exception {
    try (TestGateway gw = gateway(provider)) {
      OpenAIClient client = client(gw);
      try {
        Upstream json = provider.jsonAnswer();
        upstream.enqueue(json.response().get());
        ResponseFormatTextJsonSchemaConfig.Schema.Builder schema = ResponseFormatTextJsonSchemaConfig.Schema.builder();
        toMap(ProviderContract.CITY_SCHEMA).forEach(schema::putAdditionalProperty);
        Response response = client.responses().create(ask("Largest city of France, as JSON?")
            .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder().name("city")
                .schema(schema.build()).strict(true).build()).build()).build());
        assertThat(FrontClient.parse(text(response))).isEqualTo(FrontClient.parse(json.expected().text()));
        provider.assertJsonMode(upstream.takeRequest().json(), ProviderContract.CITY_SCHEMA);
      } finally {
        client.close();
      }
    }
  }

  /**
   * The provider's own check of the simple request; an OpenAI-family target gets
   * {@code max_output_tokens} as {@code max_completion_tokens} (what reasoning models take), where the
   * Chat Completions front passes on the client's {@code max_tokens}.
   */
  private static void assertSimpleRequest(ProviderContract provider, JsonNode body) {
    if (provider instanceof OpenAiFamilyContract) {
      assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(256);
      ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("max_tokens", 256);
    }
    provider.assertSimpleRequest(body);
  }

  static String text(Response response) {
    StringBuilder sb = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))));
    }
    return sb.toString();
  }

  private static void assertUsage(Response response, Expected expected) {
    if (expected.usage() == null) {
      return;
    }
    var usage = response.usage().orElseThrow();
    assertThat(usage.inputTokens()).isEqualTo(expected.usage().input());
    assertThat(usage.outputTokens()).isEqualTo(expected.usage().output());
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(expected.usage().cachedRead());
    if (expected.usage().reasoning() != null) {
      assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(expected.usage().reasoning());
    }
  }

  private static FunctionTool.Parameters parameters(JsonNode schema) {
    FunctionTool.Parameters.Builder b = FunctionTool.Parameters.builder();
    toMap(schema).forEach(b::putAdditionalProperty);
    return b.build();
  }

  private static Map<String, JsonValue> toMap(JsonNode schema) {
    Map<String, JsonValue> out = new LinkedHashMap<>();
    schema.fields().forEachRemaining(f -> out.put(f.getKey(), JsonValue.fromJsonNode(f.getValue())));
    return out;
  }
}
