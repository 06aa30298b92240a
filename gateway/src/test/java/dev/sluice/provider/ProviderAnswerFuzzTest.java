package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.pipeline.FrontStream;
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.anthropic.AnthropicOptions;
import dev.sluice.provider.bedrock.BedrockAdapter;
import dev.sluice.provider.gemini.GeminiAdapter;
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.provider.vertex.VertexAdapter;
import dev.sluice.server.anthropic.AnthropicFrontDoor;
import dev.sluice.testing.AwsEventStreams;
import dev.sluice.testing.FuzzInputTimeout;
import dev.sluice.testing.Splits;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes what every provider adapter reads from the provider: whole answers ({@code decode}),
 * event streams ({@code newStreamTranslator}), error answers ({@code classify}) and embeddings
 * answers, fed arbitrary bytes. None may throw anything but its declared failure (an
 * {@link UpstreamFailure} from a decoder; nothing from a stream translator, which reports failures
 * as chunks; nothing from a classifier). A stream gives the same chunks whole and in slices, and what
 * comes out must be writable by both front doors. No error text passes on the canary key planted
 * in the seeds.
 *
 * <p>Input: byte 0 picks the provider ({@code o} OpenAI, {@code a} Anthropic, {@code g} Gemini,
 * {@code b} Bedrock, {@code v} Vertex AI, whose answers are Gemini's or Claude's; Azure OpenAI reads
 * answers with the OpenAI adapter), byte 1 the mode ({@code d} decode, {@code s} stream, {@code c}
 * classify, {@code e} embeddings, {@code f} framed stream), the rest is the provider's body (for
 * classify, byte 2 picks the status and byte 3 the rate-limit header that carries the body's first
 * line). A Bedrock stream is binary ({@code s}: the bytes as sent, so mostly checksum failures);
 * {@code f} lets the fuzzer reach past the checksums: each line {@code TYPE PAYLOAD} becomes one
 * well-framed event ({@code !TYPE PAYLOAD}: an exception), encoded by the AWS SDK's encoder; for
 * the other providers {@code f} is {@code s}.
 * Seeds: {@code src/test/resources/dev/sluice/provider/ProviderAnswerFuzzTestInputs/}.
 */
public final class ProviderAnswerFuzzTest {
  /** The key planted in the seeds' error texts: it must never reach a client. */
  static final String CANARY = "sk-fuzzcanary0123456789abcdef";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final ProviderAdapter[] ADAPTERS =
      {OpenAiAdapter.instance(), AnthropicAdapter.create(AnthropicOptions.defaults().withClock(CLOCK)),
          new GeminiAdapter(CLOCK), new BedrockAdapter(CLOCK), new VertexAdapter("fuzz-project", "us-central1", CLOCK)};
  private static final int[] STATUSES = {400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529};
  private static final String[] RATE_HEADERS =
      {"retry-after", "retry-after-ms", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"};
  private static final AnthropicFrontDoor ANTHROPIC_FRONT = new AnthropicFrontDoor(CLOCK);
  private static final ChatRequest REQUEST = request();

  @FuzzTest
  void providerAnswers(byte[] input) {
    oneInput(input);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] input) {
    if (input.length < 2) {
      return;
    }
    ProviderAdapter adapter = ADAPTERS[pick(input[0], "oagbv")];
    byte[] body = Arrays.copyOfRange(input, 2, input.length);
    FuzzInputTimeout.run(adapter.getClass().getSimpleName() + " answer", input, () -> {
      switch (pick(input[1], "dscef")) {
        case 0 -> decode(adapter, body);
        case 1 -> stream(adapter, body);
        case 2 -> classify(adapter, body);
        case 3 -> embeddings(adapter, body);
        default -> stream(adapter, adapter instanceof BedrockAdapter ? frames(body) : body);
      }
    });
  }

  private static void decode(ProviderAdapter adapter, byte[] body) {
    ChatResponse response;
    try {
      response = adapter.decode(Buffer.buffer(body));
    } catch (UpstreamFailure f) {
      assertSafe(f.error().message());
      return;
    }
    assertThat(response.usage()).isNotNull();
    Buffer openAi = response.openAiJson() != null ? response.openAiJson()
        : Json.toBuffer(OpenAiResponseCodec.encodeCompletion(response.body()));
    assertThat(openAi.length()).isPositive();
    assertThat(ANTHROPIC_FRONT.encodeResponse(REQUEST, response).length()).isPositive();
  }

  /** Whole, one byte at a time and in slices derived from the input: the same chunks; both fronts write them. */
  private static void stream(ProviderAdapter adapter, byte[] body) {
    List<String> whole = translate(adapter, Splits.whole(body));
    assertThat(translate(adapter, Splits.singleBytes(body))).as("one byte at a time").isEqualTo(whole);
    assertThat(translate(adapter, Splits.random(body, Arrays.hashCode(body)))).as("random slices").isEqualTo(whole);
  }

  /** Each line {@code TYPE PAYLOAD} as one event frame; {@code !TYPE PAYLOAD} as an exception frame. */
  private static byte[] frames(byte[] lines) {
    Buffer out = Buffer.buffer();
    for (String line : new String(lines, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
      int space = line.indexOf(' ');
      String type = space < 0 ? line : line.substring(0, space);
      boolean exception = type.startsWith("!");
      String name = exception ? type.substring(1) : type;
      if (name.isEmpty() || name.length() > 255) {
        continue; // the SDK's encoder writes no empty or overlong header value
      }
      byte[] payload = (space < 0 ? "" : line.substring(space + 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.appendBuffer(exception ? AwsEventStreams.exception(name, payload) : AwsEventStreams.event(name, payload));
    }
    return out.getBytes();
  }

  private static List<String> translate(ProviderAdapter adapter, List<Buffer> slices) {
    StreamTranslator translator = adapter.newStreamTranslator(REQUEST);
    List<ChatChunk> chunks = new ArrayList<>();
    for (Buffer slice : slices) {
      translator.onBytes(slice, chunks::add);
    }
    translator.onEnd(chunks::add);
    assertThat(translator.usage()).isNotNull();
    relay(chunks, translator.completed(), translator);
    List<String> out = new ArrayList<>(chunks.size());
    for (ChatChunk c : chunks) {
      out.add(describe(c));
    }
    return out;
  }

  /** What the stream relay does: each chunk to the fronts until a failure; then the end. */
  private static void relay(List<ChatChunk> chunks, boolean completed, StreamTranslator translator) {
    FrontStream anthropic = ANTHROPIC_FRONT.newStream(REQUEST);
    List<Buffer> written = new ArrayList<>();
    for (ChatChunk c : chunks) {
      c.isFirstTokenEvidence();
      if (c.error() != null) {
        assertSafe(c.error().message());
        UpstreamError e = c.asUpstreamError();
        anthropic.onError(e.toApiError(), written::add);
        return;
      }
      c.isUsageOnly();
      if (c.openAiJson() == null) {
        written.add(Json.toBuffer(OpenAiResponseCodec.encodeChunk(c.chunk())));
      }
      anthropic.onChunk(c, written::add);
    }
    if (completed) {
      anthropic.onComplete(translator.usage(), written::add);
    } else {
      anthropic.onError(new ApiError(502, "upstream_error", "stream_cut", null, "the stream was cut"), written::add);
    }
  }

  /** A chunk as comparable text; the id is left out (Gemini makes one up per stream when it sends none). */
  private static String describe(ChatChunk c) {
    ChatCompletionChunk k = c.chunk();
    String chunk = k == null ? "-"
        : new ChatCompletionChunk(null, k.created(), k.model(), k.choices(), k.usage(), k.systemFingerprint()).toString();
    return chunk + "|" + (c.openAiJson() == null ? "-" : c.openAiJson().toString()) + "|" + c.error();
  }

  private static void classify(ProviderAdapter adapter, byte[] input) {
    int status = input.length > 0 ? STATUSES[Math.floorMod(input[0], STATUSES.length)] : 500;
    byte[] body = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (input.length > 1) {
      String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      headers.add(RATE_HEADERS[Math.floorMod(input[1], RATE_HEADERS.length)],
          (nl < 0 ? text : text.substring(0, nl)).replaceAll("[\\x00-\\x1f]", ""));
    }
    UpstreamError e = adapter.classify(status, headers, Buffer.buffer(body));
    assertThat(e).isNotNull();
    assertThat(e.errorClass()).isNotNull();
    if (e.retryAfter() != null) {
      assertThat(e.retryAfter()).as("the wait asked for").isBetween(Duration.ZERO, RetryAfter.MAX);
    }
    assertSafe(e.message());
    e.toApiError();
  }

  private static void embeddings(ProviderAdapter adapter, byte[] body) {
    if (!(adapter instanceof EmbeddingsAdapter embeddings)) {
      decode(adapter, body);
      return;
    }
    try {
      assertThat(embeddings.decodeEmbeddings(Buffer.buffer(body)).body()).isNotNull();
    } catch (UpstreamFailure f) {
      assertSafe(f.error().message());
    }
  }

  private static void assertSafe(String message) {
    assertThat(message).as("an error text passed on").isNotNull().doesNotContain(CANARY);
  }

  /** The index of {@code b} in {@code letters}, else {@code b} modulo their count. */
  private static int pick(byte b, String letters) {
    int i = letters.indexOf((char) b);
    return i >= 0 ? i : Math.floorMod(b, letters.length());
  }

  private static ChatRequest request() {
    try {
      return new ChatRequest(OpenAiRequestCodec.decode(Json.parse(Buffer.buffer(
          "{\"model\":\"fuzz-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
