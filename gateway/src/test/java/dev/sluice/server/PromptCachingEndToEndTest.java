package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provider prompt caching survives the gateway: an Anthropic client's body reaches Anthropic byte for
 * byte (cache_control, thinking signatures, stop sequences), Anthropic's answers come back byte for
 * byte, whole and streamed, cache reads and 5-minute / 1-hour writes are priced at their own rates in
 * the ledger, {@code auto_cache} places breakpoints, OpenAI's prompt_cache_key goes on to OpenAI.
 */
class PromptCachingEndToEndTest {
  @RegisterExtension
  final FakeUpstream anthropic = new FakeUpstream();
  @RegisterExtension
  final FakeUpstream openai = new FakeUpstream();
  private TestGateway gateway;

  /** Compact, as the SDKs send it; every field the canonical form has no slot for is here. */
  static final String REQUEST = "{\"model\":\"claude\",\"max_tokens\":16000,"
      + "\"system\":[{\"type\":\"text\",\"text\":\"You are a careful assistant.\"},"
      + "{\"type\":\"text\",\"text\":\"Long reference manual ...\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],"
      + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"input_schema\":{\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]},\"cache_control\":{\"type\":\"ephemeral\"}}],"
      + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10000},"
      + "\"stop_sequences\":[\"###\"],"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
      + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"I should call the tool.\","
      + "\"signature\":\"EqQBCkYIARgCKkD3sigXyz==\"},{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01A\",\"content\":\"18C sunny\","
      + "\"cache_control\":{\"type\":\"ephemeral\"}}]}],"
      + "\"metadata\":{\"user_id\":\"u-42\"}}";

  static final String ANSWER = "{\"id\":\"msg_01X\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
      + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"It is sunny.\",\"signature\":\"ErUBCkYIAxgC\"},"
      + "{\"type\":\"text\",\"text\":\"18C and sunny in Paris.\"}],"
      + "\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"###\","
      + "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":2000,"
      + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":50}}";

  static final List<String> STREAM = List.of(
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01S\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":2000,"
          + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1}}}",
      "event: ping\ndata: {\"type\":\"ping\"}",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"It is sunny.\"}}",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"ErUBCkYIAxgC\"}}",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgB\"}}",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"18C and sunny.\"}}",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}",
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"###\"},"
          + "\"usage\":{\"output_tokens\":50}}",
      "event: message_stop\ndata: {\"type\":\"message_stop\"}");

  @BeforeEach
  void start() throws Exception {
    // $3 input, $15 output, $0.30 cache read, $3.75 5-minute write per million tokens (Claude Sonnet).
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: an, type: anthropic, base_url: %s, api_key: sk-ant-test-000000 }
          - { name: oa, type: openai, base_url: %s/v1, api_key: sk-oa-test-000000 }
        unsupported_params: drop
        models:
          - name: claude
            targets:
              - provider: an
                model: claude-sonnet-4-5
                price: { input_per_mtok: "3", output_per_mtok: "15", cached_input_per_mtok: "0.3", cache_write_per_mtok: "3.75" }
          - name: claude-auto
            targets: [ { provider: an, model: claude-sonnet-4-5, auto_cache: true } ]
          - name: haiku-auto
            targets: [ { provider: an, model: claude-haiku-4-5, auto_cache: true } ]
          - name: claude-cool
            targets:
              - provider: an
                model: claude-sonnet-4-5
                params: [ { clamp: temperature, max: 0.5 } ]
          - name: gpt
            targets: [ { provider: oa, model: gpt-4o } ]
        keys: [ { key: %s, name: app, team: search } ]
        """.formatted(anthropic.baseUrl(), openai.baseUrl(), TestGateway.KEY));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private HttpResponse<String> messages(String body) throws Exception {
    return gateway.http().send(gateway.request("/v1/messages").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The ledger's rows once there is one (a stream's row is written as its relay ends, after the client's last byte). */
  private List<LedgerRow> rows() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      gateway.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<LedgerRow> rows = gateway.gateway().store().ledger().rowsSince(Instant.EPOCH).toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (!rows.isEmpty() || System.nanoTime() > deadline) {
        return rows;
      }
      Thread.sleep(20);
    }
  }

  /** 100 × $3 + 2000 × $0.30 + 1000 × $3.75 + 2000 × $6 (1h: 2 × input) + 50 × $15, per million, in µUSD. */
  private static final long EXPECTED_MICROS = 100 * 3 + 2000 * 3 / 10 + 1000 * 375 / 100 + 2000 * 6 + 50 * 15;

  @Test
  void anAnthropicClientsBodyReachesAnthropicByteForByteAndItsAnswerComesBackWhole() throws Exception {
    anthropic.enqueue(FakeResponse.json(200, ANSWER));
    HttpResponse<String> res = messages(REQUEST);
    assertThat(res.statusCode()).isEqualTo(200);
    // Byte-level: the only difference is the model name routing changed.
    String sent = anthropic.takeRequest().body();
    assertThat(sent).isEqualTo(REQUEST.replace("\"model\":\"claude\"", "\"model\":\"claude-sonnet-4-5\""));
    // The answer: thinking signature, stop_sequence and the cache usage (with the 5m/1h split) intact.
    assertThat(res.body()).isEqualTo(ANSWER);
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).isEmpty();

    LedgerRow row = rows().get(0);
    assertThat(row.inputTokens()).isEqualTo(5100);
    assertThat(row.cachedReadTokens()).isEqualTo(2000);
    assertThat(row.cacheWriteTokens()).isEqualTo(3000);
    assertThat(row.costMicros()).isEqualTo(EXPECTED_MICROS).isEqualTo(17_400);
  }

  @Test
  void aStreamedAnthropicAnswerIsRelayedEventForEventWithSignaturesStopSequenceAndCacheUsage() throws Exception {
    anthropic.enqueue(FakeResponse.sse(STREAM));
    HttpResponse<String> res = messages(REQUEST.replace("\"max_tokens\":16000,", "\"max_tokens\":16000,\"stream\":true,"));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(anthropic.takeRequest().body()).isEqualTo(REQUEST.replace("\"model\":\"claude\",\"max_tokens\":16000,",
        "\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16000,\"stream\":true,"));
    assertThat(res.body()).isEqualTo(String.join("\n\n", STREAM) + "\n\n");

    LedgerRow row = rows().get(0);
    assertThat(row.stream()).isTrue();
    assertThat(row.cacheWriteTokens()).isEqualTo(3000);
    assertThat(row.costMicros()).isEqualTo(EXPECTED_MICROS);
  }

  @Test
  void anAdaptedParameterIsWrittenOverTheClientsBodyAndEveryBreakpointStays() throws Exception {
    anthropic.enqueue(FakeResponse.json(200, ANSWER));
    // Without thinking: the Claude family drops temperature and top_k when thinking is on.
    String body = REQUEST.replace("\"model\":\"claude\",", "\"model\":\"claude-cool\",\"temperature\":0.9,\"top_k\":40,")
        .replace("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":10000},", "");
    HttpResponse<String> res = messages(body);
    assertThat(res.statusCode()).isEqualTo(200);
    String sent = anthropic.takeRequest().body();
    assertThat(sent).isEqualTo(body.replace("\"model\":\"claude-cool\"", "\"model\":\"claude-sonnet-4-5\"")
        .replace("\"temperature\":0.9", "\"temperature\":0.5"));
  }

  @Test
  void autoCacheMarksALongSystemPromptAndToolsWhenTheClientSetNoBreakpoint() throws Exception {
    anthropic.dispatch(r -> FakeResponse.json(200, ANSWER));
    String manual = "x".repeat(4200); // ~1050 tokens at 4 characters a token: above Sonnet's 1024
    String tool = "{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"" + "d".repeat(4200)
        + "\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}";
    HttpResponse<String> res = gateway.post("/v1/chat/completions", "{\"model\":\"claude-auto\",\"tools\":[" + tool
        + "],\"messages\":[{\"role\":\"system\",\"content\":\"" + manual + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode sent = anthropic.takeRequest().json();
    assertThat(sent.get("tools").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
    assertThat(sent.get("system").get(0).get("text").asText()).isEqualTo(manual);
    assertThat(sent.get("system").get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue("auto_cache:tools,auto_cache:system");

    // Haiku needs 2048 tokens: the same prompt without tools gets no breakpoint.
    res = gateway.post("/v1/chat/completions", "{\"model\":\"haiku-auto\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + manual + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(200);
    sent = anthropic.takeRequest().json();
    assertThat(sent.get("system").isTextual()).isTrue();
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).isEmpty();

    // A client that placed its own breakpoints keeps exactly those: its body goes as sent.
    String own = REQUEST.replace("\"model\":\"claude\"", "\"model\":\"claude-auto\"")
        .replace("Long reference manual ...", manual);
    res = messages(own);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(anthropic.takeRequest().body()).isEqualTo(own.replace("\"model\":\"claude-auto\"", "\"model\":\"claude-sonnet-4-5\""));
  }

  @Test
  void autoCacheMarksTheSystemPromptOfAnAnthropicClientThatSetNone() throws Exception {
    anthropic.enqueue(FakeResponse.json(200, ANSWER));
    String manual = "m".repeat(8000);
    HttpResponse<String> res = messages("{\"model\":\"claude-auto\",\"max_tokens\":100,\"system\":\"" + manual
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(anthropic.takeRequest().body()).isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":"
        + "[{\"type\":\"text\",\"text\":\"" + manual + "\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(res.headers().firstValue("x-sluice-adapted-params")).hasValue("auto_cache:system");
  }

  @Test
  void openAisPromptCacheKeyAndRetentionGoToOpenAiAndAreDroppedForAnthropic() throws Exception {
    openai.enqueue(FakeResponse.json(200, dev.sluice.testing.OpenAiFixtures.COMPLETION));
    String body = "{\"model\":\"gpt\",\"prompt_cache_key\":\"tenant-7\",\"prompt_cache_retention\":\"24h\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(gateway.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
    JsonNode sent = openai.takeRequest().json();
    assertThat(sent.get("prompt_cache_key").asText()).isEqualTo("tenant-7");
    assertThat(sent.get("prompt_cache_retention").asText()).isEqualTo("24h");

    anthropic.enqueue(FakeResponse.json(200, ANSWER));
    HttpResponse<String> res = gateway.post("/v1/chat/completions", body.replace("\"gpt\"", "\"claude\""));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-sluice-dropped-params")).hasValue("prompt_cache_key,prompt_cache_retention");
    JsonNode claude = anthropic.takeRequest().json();
    assertThat(claude.has("prompt_cache_key")).isFalse();
    assertThat(claude.has("prompt_cache_retention")).isFalse();
    // The OpenAI client sees Anthropic's cache reads as cached prompt tokens.
    JsonNode usage = Json.parse(io.vertx.core.buffer.Buffer.buffer(res.body())).get("usage");
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(5100);
    assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong()).isEqualTo(2000);
  }
}
