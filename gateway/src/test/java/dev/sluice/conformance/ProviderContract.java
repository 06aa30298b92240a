package dev.sluice.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.conformance.Answer.ToolCallOut;
import dev.sluice.conformance.Answer.UsageOut;
import dev.sluice.conformance.ChatSpec.AssistantToolCalls;
import dev.sluice.conformance.ChatSpec.Call;
import dev.sluice.conformance.ChatSpec.Result;
import dev.sluice.conformance.ChatSpec.Tool;
import dev.sluice.conformance.ChatSpec.ToolResults;
import dev.sluice.conformance.ChatSpec.UserImage;
import dev.sluice.conformance.FrontClient.Reply;
import dev.sluice.conformance.Upstream.Expected;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider conformance contract: every scenario runs end to end through the real gateway over
 * real sockets, once per front door ({@link Front}), against a fake upstream speaking one provider's
 * wire format. A subclass per provider type supplies the config, the provider's answer to each
 * scenario in its own wire shapes (fixtures), and what the provider must have received. The
 * scenario itself — and what the client must understand from the answer — is the same for all.
 */
abstract class ProviderContract {
  static final String MODEL = "chat";
  static final String TEXT_ONLY_MODEL = "text-only";
  static final String SYSTEM = "You are terse.";
  static final String QUESTION = "What is the capital of France?";
  /** A 1x1 PNG. */
  static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  static final JsonNode WEATHER_SCHEMA = FrontClient.parse("""
      {"type":"object","properties":{"location":{"type":"string","description":"City and country"},
       "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}""");
  static final JsonNode TIME_SCHEMA = FrontClient.parse("""
      {"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}""");
  static final List<Tool> TOOLS = List.of(new Tool("get_weather", "Current weather for a place", WEATHER_SCHEMA),
      new Tool("get_time", "Current time in a time zone", TIME_SCHEMA));
  static final JsonNode CITY_SCHEMA = FrontClient.parse("""
      {"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},
       "required":["city","population"],"additionalProperties":false}""");
  /** The earlier turns of the multi-turn tool scenario: two calls, two results. */
  static final String WEATHER_RESULT = "{\"temperature\":18,\"unit\":\"celsius\"}";
  static final String TIME_RESULT = "14:05";
  static final List<Call> HISTORY_CALLS = List.of(
      new Call("call_w1", "get_weather", "{\"location\":\"Paris, FR\",\"unit\":\"celsius\"}"),
      new Call("call_t2", "get_time", "{\"timezone\":\"Europe/Paris\"}"));

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  TestGateway gateway;
  /** The clock of cool-downs and breakers: error scenarios move it on so one error's cool-down does not shape the next. */
  final dev.sluice.testing.FakeTicker ticker = new dev.sluice.testing.FakeTicker();

  // ---- what a provider type supplies -------------------------------------------------------

  /** The provider entry's keys after {@code name: up} (type, base_url, api_key, ...), one per line. */
  protected abstract String providerYaml(FakeUpstream upstream);

  /** The provider API key configured in {@link #providerYaml}; it must never reach a client. */
  protected abstract String providerKey();

  /** The model name at the provider (the target's {@code model}). */
  protected String targetModel() {
    return "upstream-model";
  }

  /** Method, path, the provider's auth header and where the model goes, for a streamed call or not. */
  protected abstract void assertAddressedAndAuthenticated(RecordedRequest request, boolean stream);

  protected abstract Upstream simpleAnswer();

  /** A text stream whose usage the OpenAI front reports only when asked to. */
  protected abstract Upstream streamedAnswer();

  protected abstract Upstream toolCallAnswer();

  /** A streamed tool call (after text where the provider writes text first). */
  protected abstract Upstream streamedToolCallAnswer();

  /** A whole answer whose usage has cached and reasoning tokens. */
  protected abstract Upstream usageAnswer();

  /** A streamed answer whose usage has cached and reasoning tokens. */
  protected abstract Upstream streamedUsageAnswer();

  /** An answer to the JSON-mode question: {"city":"Paris","population":2102650}. */
  protected abstract Upstream jsonAnswer();

  /** A stream the provider breaks off after its first content with an error event of its own. */
  protected abstract Upstream midStreamError();

  /** The statuses the error scenario scripts, each answered by {@link #errorBody}. */
  protected List<Integer> errorStatuses() {
    return List.of(400, 401, 429, 500, 503);
  }

  /** The provider's error body for {@code status}, in its own shape; its message at {@code error.message}. */
  protected abstract String errorBody(int status);

  /** The system prompt, the user question and max_tokens, in the provider's encoding. */
  protected abstract void assertSimpleRequest(JsonNode body);

  /** {@link #TOOLS} as the provider declares functions. */
  protected abstract void assertToolsDeclared(JsonNode body);

  /** The multi-turn history: question, assistant text + {@link #HISTORY_CALLS}, their results. */
  protected abstract void assertToolHistory(JsonNode body);

  /** The question with a base64 PNG, as the provider takes images. */
  protected abstract void assertImage(JsonNode body, String mediaType, String base64);

  /** JSON mode with {@link #CITY_SCHEMA}, as the provider is asked for it. */
  protected abstract void assertJsonMode(JsonNode body, JsonNode schema);

  // ---- the fixture ------------------------------------------------------------------------

  @BeforeEach
  void startGateway() throws Exception {
    String target = "{ provider: up, model: " + targetModel() + " }";
    String textOnly = "{ provider: up, model: " + targetModel() + ", capabilities: { vision: false } }";
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - name: up
        %s
            timeouts: { first_token: 5s, idle: 5s, total: 20s }
        models:
          # One attempt each: this suite is about translation, not retry policy.
          - name: %s
            targets: [ %s ]
            retries: { max_attempts: 1 }
          - name: %s
            targets: [ %s ]
            retries: { max_attempts: 1 }
        keys:
          - { key: %s, name: tester }
        """.formatted(providerYaml(upstream).indent(4).stripTrailing(), MODEL, target, TEXT_ONLY_MODEL, textOnly,
        TestGateway.KEY), ticker);
  }

  @AfterEach
  void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  // ---- scenarios ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void simpleAnswerRoundTrips(Front front) throws Exception {
    Upstream u = simpleAnswer();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION));

    assertAnswer(front, reply, u.expected());
    assertThat(reply.http().headers().firstValue("x-sluice-provider")).hasValue("up");
    assertThat(reply.http().headers().firstValue("x-request-id")).isPresent();
    if (front.client().requestIdHeader() != null) {
      assertThat(reply.http().headers().firstValue(front.client().requestIdHeader()))
          .isEqualTo(reply.http().headers().firstValue("x-request-id"));
    }
    RecordedRequest req = takeRequest(false);
    assertSimpleRequest(req.json());
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void streamedAnswerAssemblesAndEndsWithTheFrontsTerminalEvent(Front front) throws Exception {
    Upstream u = streamedAnswer();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION).streamed(false));

    assertStreamed(front, reply, u.expected());
    if (front == Front.OPENAI) {
      assertThat(reply.answer().usageChunk()).as("no usage chunk unless include_usage was asked").isFalse();
    }
    assertSimpleRequest(takeRequest(true).json());

    if (front == Front.OPENAI) {
      upstream.enqueue(u.response().get());
      Reply withUsage = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION).streamed(true));
      assertStreamed(front, withUsage, u.expected());
      assertThat(withUsage.answer().usageChunk()).as("the usage chunk when include_usage was asked").isTrue();
      assertUsage(front, withUsage.answer().usage(), u.expected().usage());
      takeRequest(true);
    }
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void toolCallAnswerKeepsNamesAndArguments(Front front) throws Exception {
    Upstream u = toolCallAnswer();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, "Weather and time in Paris?").withTools(TOOLS));

    assertAnswer(front, reply, u.expected());
    assertToolsDeclared(takeRequest(false).json());
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void streamedToolArgumentsAssembleWithToolIndexesFromZero(Front front) throws Exception {
    Upstream u = streamedToolCallAnswer();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway,
        ChatSpec.ask(MODEL, "Weather and time in Paris?").withTools(TOOLS).streamed(true));

    assertStreamed(front, reply, u.expected());
    if (front == Front.OPENAI) {
      List<Integer> zeroToN = java.util.stream.IntStream.range(0, u.expected().toolCalls().size()).boxed().toList();
      assertThat(reply.answer().toolIndexes()).as("OpenAI tool-call indexes count tool calls only, from 0")
          .isEqualTo(zeroToN);
    }
    assertToolsDeclared(takeRequest(true).json());
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void toolResultsInTheHistoryAreEncodedForTheProvider(Front front) throws Exception {
    Upstream u = simpleAnswer();
    upstream.enqueue(u.response().get());
    ChatSpec spec = ChatSpec.ask(MODEL, "Weather and time in Paris?").withTools(TOOLS)
        .then(new AssistantToolCalls("Let me look.", HISTORY_CALLS))
        .then(new ToolResults(List.of(new Result("call_w1", WEATHER_RESULT), new Result("call_t2", TIME_RESULT))));

    Reply reply = front.client().send(gateway, spec);

    assertAnswer(front, reply, u.expected());
    assertToolHistory(takeRequest(false).json());
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void imageDataUrlIsEncodedForTheProvider(Front front) throws Exception {
    Upstream u = simpleAnswer();
    upstream.enqueue(u.response().get());
    ChatSpec spec = ChatSpec.ask(MODEL, QUESTION).withTurns(List.of(new UserImage("What is in this image?", "image/png", PNG)));

    Reply reply = front.client().send(gateway, spec);

    assertAnswer(front, reply, u.expected());
    assertImage(takeRequest(false).json(), "image/png", PNG);
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void jsonModeIsEncodedForTheProvider(Front front) throws Exception {
    Upstream u = jsonAnswer();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, "Largest city of France, as JSON.")
        .withJsonSchema(CITY_SCHEMA));

    assertAnswer(front, reply, u.expected());
    assertThat(FrontClient.parse(reply.answer().text()))
        .isEqualTo(FrontClient.parse("{\"city\":\"Paris\",\"population\":2102650}"));
    RecordedRequest req = takeRequest(false);
    assertThat(reply.http().headers().firstValue("x-sluice-dropped-params"))
        .as("nothing of the JSON-mode request may be dropped").isEmpty();
    assertJsonMode(req.json(), CITY_SCHEMA);
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void usageCountsCachedAndReasoningTokens(Front front) throws Exception {
    Upstream whole = usageAnswer();
    upstream.enqueue(whole.response().get());
    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION));
    assertAnswer(front, reply, whole.expected());
    takeRequest(false);

    Upstream streamed = streamedUsageAnswer();
    upstream.enqueue(streamed.response().get());
    Reply streamedReply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION).streamed(true));
    if (front == Front.OPENAI) {
      assertThat(streamedReply.answer().usageChunk()).as("the usage chunk include_usage asked for").isTrue();
    }
    assertStreamed(front, streamedReply, streamed.expected());
    takeRequest(true);
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void upstreamErrorsBecomeTheFrontsErrorsWithTheRightStatus(Front front) throws Exception {
    for (int status : errorStatuses()) {
      for (boolean stream : new boolean[] {false, true}) {
        String body = errorBody(status);
        upstream.enqueue(FakeResponse.json(status, body));
        ChatSpec spec = ChatSpec.ask(MODEL, QUESTION);
        Reply reply = front.client().send(gateway, stream ? spec.streamed(false) : spec);
        assertErrorMapped(front, status, stream, providerMessage(FrontClient.parse(body)), reply);
        takeRequest(stream);
        ticker.advance(java.time.Duration.ofHours(1)); // past any Retry-After cool-down and breaker cooldown
      }
    }
  }

  private void assertErrorMapped(Front front, int status, boolean stream, String providerMessage, Reply reply) {
    Answer a = reply.answer();
    String what = "upstream " + status + (stream ? " to a stream request" : "") + " through the " + front + " front: "
        + reply.http().body();
    assertThat(reply.http().headers().firstValue("content-type").orElse("")).as(what).startsWith("application/json");
    assertThat(reply.http().body()).as(what).doesNotContain(providerKey());
    switch (status) {
      case 400 -> {
        assertThat(a.httpStatus()).as(what).isEqualTo(400);
        assertThat(a.errorKind()).as(what).isEqualTo("invalid_request");
        assertThat(a.errorMessage()).as("the provider's reason is kept: " + what)
            .contains(providerMessage.lines().findFirst().orElseThrow().strip());
      }
      case 401 -> {
        assertThat(a.httpStatus()).as(what).isEqualTo(502);
        assertThat(a.errorKind()).as(what).isEqualTo("upstream_failed");
        assertThat(a.errorMessage()).as("a key rejection never passes the provider's text on: " + what)
            .doesNotContain(providerMessage.strip());
      }
      case 429 -> {
        assertThat(a.httpStatus()).as(what).isEqualTo(429);
        assertThat(a.errorKind()).as(what).isEqualTo("rate_limited");
        assertThat(reply.http().headers().firstValue("retry-after")).as(what).isPresent();
      }
      case 500 -> {
        assertThat(a.httpStatus()).as(what).isEqualTo(502);
        assertThat(a.errorKind()).as(what).isEqualTo("upstream_failed");
      }
      case 503, 529 -> {
        assertThat(a.httpStatus()).as(what).isEqualTo(503);
        assertThat(a.errorKind()).as(what).isEqualTo("overloaded");
        assertThat(reply.http().headers().firstValue("retry-after")).as(what).isPresent();
      }
      default -> throw new IllegalArgumentException("no expectation for status " + status);
    }
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void midStreamProviderErrorEndsTheStreamWithTheFrontsErrorEvent(Front front) throws Exception {
    Upstream u = midStreamError();
    upstream.enqueue(u.response().get());

    Reply reply = front.client().send(gateway, ChatSpec.ask(MODEL, QUESTION).streamed(true));

    Answer a = reply.answer();
    assertThat(a.httpStatus()).as("the head was sent with the first chunk").isEqualTo(200);
    assertThat(a.text()).isEqualTo(u.expected().text());
    assertThat(a.terminalStreamError()).as("terminal error event in %s", reply.http().body())
        .isEqualTo(u.expected().streamError());
    assertThat(a.streamCompleted()).as("no success marker after an error: %s", reply.http().body()).isFalse();
    if (front == Front.OPENAI) {
      assertThat(reply.http().body()).contains("data: {\"error\":").doesNotContain("[DONE]");
    } else {
      assertThat(reply.http().body()).contains("event: error\n").doesNotContain("message_stop");
    }
    assertThat(reply.http().body()).doesNotContain(providerKey());
    takeRequest(true);
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void unsupportedCapabilityIsACleanBadRequestWithoutCallingTheProvider(Front front) throws Exception {
    ChatSpec spec = ChatSpec.ask(TEXT_ONLY_MODEL, QUESTION)
        .withTurns(List.of(new UserImage("What is in this image?", "image/png", PNG)));

    Reply reply = front.client().send(gateway, spec);

    assertThat(reply.answer().httpStatus()).as(reply.http().body()).isEqualTo(400);
    assertThat(reply.answer().errorKind()).isEqualTo("invalid_request");
    assertThat(reply.answer().errorMessage()).contains("vision");
    assertThat(upstream.requestCount()).as("the provider was never called").isZero();
  }

  @ParameterizedTest(name = "{0} front")
  @EnumSource(Front.class)
  void streamsGiveTheSameAnswerWhenTheProviderWritesOneByteAtATime(Front front) throws Exception {
    ChatSpec spec = ChatSpec.ask(MODEL, QUESTION).withTools(TOOLS).streamed(true);
    for (Upstream u : List.of(streamedAnswer(), streamedToolCallAnswer(), streamedUsageAnswer(), midStreamError())) {
      upstream.enqueue(u.response().get());
      Answer whole = front.client().send(gateway, spec).answer();
      upstream.enqueue(u.response().get().splitInto(1));
      Answer dripped = front.client().send(gateway, spec).answer();

      assertThat(whole.httpStatus()).as(u.fixture()).isEqualTo(200);
      assertThat(whole.text().isEmpty() && whole.toolCalls().isEmpty()).as("%s gave an empty answer", u.fixture())
          .isFalse();
      assertThat(dripped).as("%s in 1-byte writes", u.fixture()).isEqualTo(whole);
      takeRequest(true);
      takeRequest(true);
    }
  }

  // ---- shared assertions ---------------------------------------------------------------------

  /** The next upstream request, checked for address, credentials and the absence of the client's key. */
  RecordedRequest takeRequest(boolean stream) throws InterruptedException {
    RecordedRequest req = upstream.takeRequest();
    assertAddressedAndAuthenticated(req, stream);
    req.headers().forEach(h -> assertThat(h.getValue()).as("upstream header %s", h.getKey())
        .doesNotContain(TestGateway.KEY));
    return req;
  }

  /** A whole (non-streamed) answer: every field of the expected answer. */
  static void assertAnswer(Front front, Reply reply, Expected expected) {
    Answer a = reply.answer();
    assertThat(a.httpStatus()).as("status of %s", reply.http().body()).isEqualTo(200);
    assertThat(reply.http().headers().firstValue("content-type").orElse("")).startsWith("application/json");
    assertContent(front, a, expected, expected.usage() != null);
  }

  /** A streamed answer: the content, then the front's success marker. */
  static void assertStreamed(Front front, Reply reply, Expected expected) {
    Answer a = reply.answer();
    assertThat(a.httpStatus()).as("status of %s", reply.http().body()).isEqualTo(200);
    assertThat(reply.http().headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(a.terminalStreamError()).as("no error event in %s", reply.http().body()).isNull();
    assertThat(a.streamCompleted()).as("%s ends the stream with %s", front,
        front == Front.OPENAI ? "data: [DONE]" : "message_stop").isTrue();
    // The OpenAI front reports a stream's usage only in the chunk include_usage asks for.
    assertContent(front, a, expected, expected.usage() != null && (front == Front.ANTHROPIC || a.usageChunk()));
  }

  private static void assertContent(Front front, Answer a, Expected expected, boolean checkUsage) {
    assertThat(a.text()).as("text").isEqualTo(expected.text());
    assertThat(a.reasoning()).as("reasoning").isEqualTo(expected.reasoning());
    assertThat(a.toolCalls()).as("tool calls").containsExactlyElementsOf(expected.toolCalls());
    assertThat(a.finish()).as("finish").isEqualTo(expected.finish());
    if (checkUsage) {
      assertUsage(front, a.usage(), expected.usage());
    }
  }

  static void assertUsage(Front front, UsageOut actual, UsageOut expected) {
    assertThat(actual).as("usage").isNotNull();
    assertThat(actual.input()).as("input tokens, cached included").isEqualTo(expected.input());
    assertThat(actual.output()).as("output tokens").isEqualTo(expected.output());
    assertThat(actual.cachedRead()).as("cached input tokens").isEqualTo(expected.cachedRead());
    if (front == Front.OPENAI) {
      assertThat(actual.reasoning()).as("reasoning tokens").isEqualTo(expected.reasoning());
    }
  }

  /** The message of a provider error body: {@code error.message}, a string {@code error}, or a top-level {@code message}. */
  static String providerMessage(JsonNode body) {
    JsonNode error = body.path("error");
    if (error.path("message").isTextual()) {
      return error.get("message").asText();
    }
    return error.isTextual() ? error.asText() : body.path("message").asText();
  }

  static ToolCallOut call(String id, String name, String argumentsJson) {
    return new ToolCallOut(id, name, FrontClient.parse(argumentsJson));
  }

  static JsonNode json(String text) {
    return FrontClient.parse(text);
  }
}
