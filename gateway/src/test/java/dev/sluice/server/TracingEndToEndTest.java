package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.OtlpReceiver.ReceivedSpan;
import dev.sluice.testing.OtlpReceiver;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenTelemetry traces end to end: a real gateway exports over OTLP/HTTP to a real receiver. The
 * gateway's shutdown flushes the span processor, so each test closes the gateway, then waits for
 * the spans to have arrived.
 */
class TracingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private OtlpReceiver receiver;

  private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";
  private static final String PROMPT = "What is the secret word?";
  private static final String ERROR_503 = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new OtlpReceiver();
  }

  @AfterEach
  void stopReceiver() throws Exception {
    receiver.close();
  }

  /** Providers a and b on the one fake upstream (paths /a and /b); only b receives traceparent. */
  private String config(double sampleRatio) {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1, propagate_trace: true }
        models:
          - name: chat
            routing: priority
            targets:
              - { provider: a, model: model-a, price: { input_per_mtok: 1.00, output_per_mtok: 2.00 } }
              - { provider: b, model: model-b, price: { input_per_mtok: 3.00, output_per_mtok: 6.00 } }
        keys: [ { key: %s, name: tester, team: research } ]
        observability:
          otlp: { endpoint: %s }
          sample_ratio: %s
        """.formatted(base, base, TestGateway.KEY, receiver.endpoint(), sampleRatio);
  }

  private static String chat(boolean stream) {
    return "{\"model\":\"chat\"," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  private static HttpResponse<String> post(TestGateway gw, String path, String body, String traceparent)
      throws Exception {
    HttpRequest.Builder b = gw.request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, String kind) {
    List<ReceivedSpan> of = spans.stream().filter(s -> s.kind().equals("SPAN_KIND_" + kind)).toList();
    assertThat(of).as(kind + " spans").hasSize(1);
    return of.get(0);
  }

  @Test
  void failOverGivesOneServerSpanWithTwoAttemptSpansInTheCallersTrace() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/a/") ? FakeResponse.json(503, ERROR_503)
        : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(1.0))) {
      HttpResponse<String> res = post(gw, "/v1/chat/completions", chat(false),
          "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
      assertThat(res.statusCode()).isEqualTo(200);
    }
    List<ReceivedSpan> spans = receiver.awaitSpans(3);
    assertThat(spans).hasSize(3).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(CALLER_TRACE));

    ReceivedSpan server = only(spans, "SERVER");
    assertThat(server.name()).isEqualTo("chat chat");
    assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(server.resource()).containsEntry("service.name", "sluice");
    assertThat(server.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.41.0");
    assertThat(server.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", "chat")
        .containsEntry("gen_ai.provider.name", "b")
        .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 19L)
        .containsEntry("gen_ai.usage.output_tokens", 10L)
        .containsEntry("gen_ai.usage.cache_read.input_tokens", 4L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 2L)
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("sluice.attempts", 2L)
        .containsEntry("sluice.key.name", "tester")
        .containsEntry("sluice.team", "research")
        .containsKey("sluice.queue_wait_ms")
        .doesNotContainKey("error.type");
    assertThat(server.error()).isFalse();

    List<ReceivedSpan> attempts = spans.stream().filter(s -> s.kind().equals("SPAN_KIND_CLIENT"))
        .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
    assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.parentSpanId()).isEqualTo(server.spanId()));
    ReceivedSpan failed = attempts.get(0);
    ReceivedSpan served = attempts.get(1);
    assertThat(failed.name()).isEqualTo("chat model-a");
    assertThat(failed.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "a")
        .containsEntry("gen_ai.request.model", "model-a")
        .containsEntry("server.address", "127.0.0.1")
        .containsEntry("server.port", (long) upstream.port())
        .containsEntry("error.type", "overloaded")
        .containsEntry("http.response.status_code", 503L)
        .containsEntry("sluice.attempt.kind", "first")
        .containsEntry("sluice.breaker.state", "CLOSED")
        .containsEntry("sluice.cost_micros", 0L);
    assertThat(failed.error()).isTrue();
    assertThat(served.name()).isEqualTo("chat model-b");
    assertThat(served.attributes())
        .containsEntry("gen_ai.provider.name", "b")
        .containsEntry("gen_ai.request.model", "model-b")
        .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        .containsEntry("gen_ai.response.id", "chatcmpl-abc123")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 19L)
        .containsEntry("gen_ai.usage.output_tokens", 10L)
        .containsEntry("sluice.attempt.kind", "retry")
        .doesNotContainKey("error.type");
    long servedCost = (Long) served.attr("sluice.cost_micros");
    assertThat(servedCost).isPositive();
    assertThat(server.attr("sluice.cost_micros")).isEqualTo(servedCost);
    assertThat(server.startEpochNanos()).isLessThanOrEqualTo(failed.startEpochNanos());
    assertThat(failed.endEpochNanos()).isLessThanOrEqualTo(served.startEpochNanos());
    assertThat(served.endEpochNanos()).isLessThanOrEqualTo(server.endEpochNanos());

    // Prompt and completion text never go into a span.
    for (ReceivedSpan s : spans) {
      assertThat(s.attributes().values().stream().map(String::valueOf).collect(Collectors.joining("|")))
          .doesNotContain("secret word").doesNotContain("How can I help");
    }

    // Only b opted in to trace propagation: it sees its own attempt span as the parent.
    Map<String, RecordedRequest> byProvider = upstream.received().stream()
        .collect(Collectors.toMap(r -> r.uri().substring(1, 2), r -> r));
    assertThat(byProvider.get("a").header("traceparent")).isNull();
    assertThat(byProvider.get("a").header("tracestate")).isNull();
    assertThat(byProvider.get("b").header("traceparent"))
        .isEqualTo("00-" + CALLER_TRACE + "-" + served.spanId() + "-01");
  }

  @Test
  void noSpansAreExportedWhenTheSampleRatioIsZeroAndTheCallerDidNotSample() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(0.0))) {
      assertThat(post(gw, "/v1/chat/completions", chat(false), null).statusCode()).isEqualTo(200);
      assertThat(post(gw, "/v1/chat/completions", chat(false), "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-00")
          .statusCode()).isEqualTo(200);
    }
    // The gateway's shutdown has flushed every span it would ever export.
    assertThat(receiver.spans()).isEmpty();
  }

  @Test
  void aCallerThatSampledIsRecordedEvenAtSampleRatioZero() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(0.0))) {
      assertThat(post(gw, "/v1/chat/completions", chat(false), null).statusCode()).isEqualTo(200);
      assertThat(post(gw, "/v1/chat/completions", chat(false), "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
          .statusCode()).isEqualTo(200);
    }
    List<ReceivedSpan> spans = receiver.awaitSpans(2);
    assertThat(spans).hasSize(2).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(CALLER_TRACE));
    assertThat(only(spans, "SERVER").parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(only(spans, "CLIENT").attr("sluice.attempt.kind")).isEqualTo("first");
  }

  @Test
  void aStreamedAnswerNamesItsModelAndFinishReasonFromItsChunks() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/a/") ? FakeResponse.openAiStream(OpenAiFixtures.helloStream())
        : FakeResponse.json(500, ERROR_503));
    try (TestGateway gw = TestGateway.start(config(1.0))) {
      HttpResponse<String> res = post(gw, "/v1/chat/completions", chat(true), null);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("[DONE]");
    }
    List<ReceivedSpan> spans = receiver.awaitSpans(2);
    ReceivedSpan attempt = only(spans, "CLIENT");
    assertThat(attempt.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.model", "gpt-4o-mini")
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("gen_ai.usage.input_tokens", 9L)
        .containsEntry("gen_ai.usage.output_tokens", 3L)
        .containsKey("gen_ai.response.time_to_first_chunk");
    ReceivedSpan server = only(spans, "SERVER");
    assertThat(server.traceId()).isEqualTo(attempt.traceId()).isNotEqualTo(CALLER_TRACE);
    assertThat(server.parentSpanId()).isEmpty();
    assertThat(server.attributes()).containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"));
  }

  @Test
  void embeddingsAreTracedAsTheEmbeddingsOperation() throws Exception {
    upstream.enqueue(FakeResponse.json(200, """
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}"""));
    try (TestGateway gw = TestGateway.start(config(1.0))) {
      assertThat(post(gw, "/v1/embeddings", "{\"model\":\"chat\",\"input\":\"hello\"}", null).statusCode())
          .isEqualTo(200);
    }
    List<ReceivedSpan> spans = receiver.awaitSpans(2, s -> true, Duration.ofSeconds(30));
    ReceivedSpan server = only(spans, "SERVER");
    ReceivedSpan attempt = only(spans, "CLIENT");
    assertThat(server.name()).isEqualTo("embeddings chat");
    assertThat(attempt.name()).isEqualTo("embeddings model-a");
    assertThat(attempt.parentSpanId()).isEqualTo(server.spanId());
    assertThat(attempt.attributes()).containsEntry("gen_ai.operation.name", "embeddings")
        .containsEntry("gen_ai.response.model", "text-embedding-3-small")
        .containsEntry("gen_ai.usage.input_tokens", 3L);
    assertThat(upstream.takeRequest().header("traceparent")).as("provider a did not opt in").isNull();
  }
}
