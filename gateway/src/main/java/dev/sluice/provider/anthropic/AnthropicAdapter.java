package dev.sluice.provider.anthropic;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamRequest;
import dev.sluice.provider.Capabilities;
import dev.sluice.provider.JsonHeaders;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.provider.ToolAdaptations;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) behind Sluice's OpenAI-shaped canonical
 * types. Stateless and thread-safe; one instance per configured version and default.
 *
 * <p>JSON mode is emulated (Anthropic has none): the system prompt asks for a bare JSON object.
 * {@link #encode} throws {@link dev.sluice.api.openai.WireFormatException} for requests Anthropic
 * cannot express (unknown content parts, tool arguments that are not a JSON object, {@code n > 1}).
 */
public final class AnthropicAdapter implements ProviderAdapter, ToolAdaptations {
  static final String PATH = "/v1/messages";
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, false);
  private static final CharSequence ANTHROPIC_VERSION = HttpHeaders.createOptimized("anthropic-version");

  private final AnthropicOptions options;
  private final AnthropicRequestEncoder encoder;
  private final AnthropicResponseDecoder decoder;

  private AnthropicAdapter(AnthropicOptions options) {
    this.options = options;
    this.encoder = new AnthropicRequestEncoder(options.defaultMaxTokens());
    this.decoder = new AnthropicResponseDecoder(options.clock());
  }

  public static AnthropicAdapter create(AnthropicOptions options) {
    return new AnthropicAdapter(Objects.requireNonNull(options, "options"));
  }

  /** With {@link AnthropicOptions#defaults()}. */
  public static AnthropicAdapter create() {
    return create(AnthropicOptions.defaults());
  }

  public AnthropicOptions options() {
    return options;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public AuthScheme auth() {
    return AuthScheme.header("x-api-key");
  }

  @Override
  public java.util.Set<String> unsupportedParams(ChatRequest request) {
    if (AnthropicPassThrough.applies(request)) {
      return java.util.Set.of(); // the client's own Anthropic fields, sent as they came
    }
    java.util.Set<String> out = new java.util.TreeSet<>(request.body().extra().keySet());
    out.removeAll(AnthropicRequestEncoder.CARRIED_EXTRAS);
    if (request.body().n() != null && request.body().n() != 1) {
      out.add("n");
    }
    return out;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    Buffer body = Json.toBuffer(body(request, target));
    MultiMap headers = JsonHeaders.request(request.stream()).add(ANTHROPIC_VERSION, options.version());
    return new UpstreamRequest(HttpMethod.POST, PATH, headers, body, request.stream());
  }

  /**
   * The Messages body {@link #encode} sends, as a fresh tree: the client's own body when it came
   * through the Anthropic front and still fits, else the translation. (Vertex AI sends the same body
   * to another address.)
   */
  public com.fasterxml.jackson.databind.node.ObjectNode body(ChatRequest request, Target target) {
    com.fasterxml.jackson.databind.node.ObjectNode o = unCached(request, target);
    if (target.autoCache()) {
      AnthropicAutoCache.place(o, target.model());
    }
    return o;
  }

  private com.fasterxml.jackson.databind.node.ObjectNode unCached(ChatRequest request, Target target) {
    return AnthropicPassThrough.applies(request)
        ? AnthropicPassThrough.body(request, target.model(), encoder.maxTokensFor(request.body(), target.defaultMaxTokens()))
        : encoder.encode(request.body(), target.model(), target.defaultMaxTokens());
  }

  @Override
  public java.util.List<String> toolAdaptations(ChatRequest request, Target target) {
    java.util.List<String> adapted = AnthropicPassThrough.applies(request)
        ? java.util.List.of() // nothing rewritten: the client's body goes as sent
        : AnthropicRequestEncoder.toolAdaptations(request.body());
    if (target.autoCache()) {
      adapted = new java.util.ArrayList<>(adapted);
      adapted.addAll(AnthropicAutoCache.place(unCached(request, target), target.model()));
    }
    return adapted;
  }

  @Override
  public ChatResponse decode(Buffer body) {
    return decoder.decode(body);
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return new AnthropicStreamTranslator(options.clock());
  }

  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return AnthropicErrorClassifier.classify(status, headers, body);
  }
}
