package dev.sluice.provider.gemini;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.Capabilities;
import dev.sluice.provider.EmbeddingsAdapter;
import dev.sluice.provider.JsonHeaders;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.ToolAdaptations;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The Google Gemini API ({@code generativelanguage.googleapis.com}): {@code generateContent},
 * {@code streamGenerateContent?alt=sse} and {@code batchEmbedContents}, keyed by
 * {@code x-goog-api-key}. Pure translation, stateless and thread-safe: one instance serves every
 * request; each stream gets its own {@link StreamTranslator}.
 *
 * <p>Gemini sends no {@code created} time and not always an id, so {@code created} comes from the
 * injected clock and missing ids from the injected id source.
 */
public final class GeminiAdapter implements ProviderAdapter, EmbeddingsAdapter, ToolAdaptations {
  private final Clock clock;
  private final Supplier<String> ids;

  /** With the system clock. */
  public GeminiAdapter() {
    this(Clock.systemUTC());
  }

  public GeminiAdapter(Clock clock) {
    this(clock, GeminiAdapter::randomId);
  }

  /** For tests: a fixed id source. */
  GeminiAdapter(Clock clock, Supplier<String> ids) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.all();
  }

  @Override
  public AuthScheme auth() {
    return AuthScheme.header("x-goog-api-key");
  }

  /** @throws dev.sluice.api.openai.WireFormatException naming the field Gemini cannot take */
  @Override
  public java.util.Set<String> unsupportedParams(ChatRequest request) {
    java.util.Set<String> out = new java.util.TreeSet<>(request.body().extra().keySet());
    out.removeAll(GeminiRequestEncoder.CARRIED_EXTRAS);
    return out;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    boolean stream = request.stream();
    String path = GeminiWire.modelPath(target.model())
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    return new UpstreamRequest(HttpMethod.POST, path, JsonHeaders.request(stream),
        Json.toBuffer(GeminiRequestEncoder.encode(request.body())), stream);
  }

  /** Tool schemas translated to Gemini's subset, response schemas likewise, {@code strict} flags not sent. */
  @Override
  public java.util.List<String> toolAdaptations(ChatRequest request, Target target) {
    return GeminiTools.adaptations(request.body());
  }

  @Override
  public ChatResponse decode(Buffer body) {
    // decode() is not told the target; Gemini always names its modelVersion, "gemini" is a last resort.
    return GeminiResponseDecoder.decode(body, ids.get(), nowSeconds(), "gemini");
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return new GeminiStreamTranslator(ids.get(), nowSeconds(), request.model());
  }

  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return GeminiErrors.classify(status, headers, body);
  }

  /** @throws dev.sluice.api.openai.WireFormatException when {@code input} holds token ids */
  @Override
  public UpstreamRequest encodeEmbeddings(EmbeddingsRequest request, Target target) {
    return new UpstreamRequest(HttpMethod.POST, GeminiWire.modelPath(target.model()) + ":batchEmbedContents",
        JsonHeaders.request(false), Json.toBuffer(GeminiEmbeddings.encode(request.body(), target.model())), false);
  }

  @Override
  public EmbeddingsResponse decodeEmbeddings(Buffer body) {
    return GeminiEmbeddings.decode(body, null);
  }

  private long nowSeconds() {
    return clock.millis() / 1000;
  }

  private static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "chatcmpl-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
