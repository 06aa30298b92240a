package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.OpenAiRequestCodec;
import dev.sluice.api.openai.OpenAiResponseCodec;
import dev.sluice.api.openai.SameFormatRelay;
import dev.sluice.core.AuthScheme;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
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
import java.util.Set;

/**
 * The OpenAI Chat Completions wire format, spoken by OpenAI and by every "OpenAI-compatible"
 * server (DeepSeek, vLLM, Ollama, LM Studio, Together, Groq ...). Streams always ask for usage.
 */
public final class OpenAiAdapter implements ProviderAdapter, EmbeddingsAdapter, ToolAdaptations {
  private static final OpenAiAdapter COMPATIBLE = new OpenAiAdapter(Set.of(), OpenAiToolRules.NONE);
  private static final OpenAiAdapter MISTRAL = new OpenAiAdapter(Set.of(), OpenAiToolRules.MISTRAL);
  /** Parameters other front doors carry that api.openai.com rejects as unrecognized. */
  private static final OpenAiAdapter OFFICIAL = new OpenAiAdapter(
      Set.of("top_k", "thinking", "container", "mcp_servers", "context_management", "anthropic_beta"),
      OpenAiToolRules.OPENAI);

  private final Set<String> rejectedExtras;
  private final OpenAiToolRules toolRules;
  /** Only api.openai.com (type openai) has the stored-state Responses API requests can be passed through to. */
  private final Capabilities capabilities;

  private OpenAiAdapter(Set<String> rejectedExtras, OpenAiToolRules toolRules) {
    this.rejectedExtras = rejectedExtras;
    this.toolRules = toolRules;
    this.capabilities = toolRules == OpenAiToolRules.OPENAI ? Capabilities.all().withNativeResponses() : Capabilities.all();
  }

  /** For OpenAI-compatible servers: every parameter is passed on (vLLM and others take top_k and more). */
  public static OpenAiAdapter instance() {
    return COMPATIBLE;
  }

  /**
   * For an OpenAI-compatible server at {@code baseUrl}: Mistral's (host {@code *.mistral.ai}) gets
   * tool-call ids in the only form it takes (nine letters and digits); any other, {@link #instance()}.
   */
  public static OpenAiAdapter compatible(String baseUrl) {
    String host;
    try {
      host = baseUrl == null ? null : java.net.URI.create(baseUrl).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    host = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    return host.equals("mistral.ai") || host.endsWith(".mistral.ai") ? MISTRAL : COMPATIBLE;
  }

  /** For api.openai.com, which refuses parameters it does not know. */
  public static OpenAiAdapter official() {
    return OFFICIAL;
  }

  @Override
  public Set<String> unsupportedParams(ChatRequest request) {
    if (rejectedExtras.isEmpty() || request.nativeResponses()) {
      return Set.of();
    }
    Set<String> out = new java.util.TreeSet<>(request.body().extra().keySet());
    out.retainAll(rejectedExtras);
    return out;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public AuthScheme auth() {
    return AuthScheme.bearer();
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    if (request.nativeResponses()) {
      return OpenAiResponsesPassThrough.encode(request, target); // routing sends these to type openai only
    }
    Buffer relayed = relay(request, target);
    if (relayed != null) {
      return new UpstreamRequest(HttpMethod.POST, "/chat/completions", JsonHeaders.request(request.stream()), relayed,
          request.stream());
    }
    ObjectNode body = OpenAiRequestCodec.encode(request.body().withModel(target.model()), true);
    toolRules.apply(body);
    return new UpstreamRequest(HttpMethod.POST, "/chat/completions", JsonHeaders.request(request.stream()),
        Json.toBuffer(body), request.stream());
  }

  /**
   * Same-format relay: the client's own body with the target's model patched in, when the OpenAI
   * front door kept it ({@link ChatRequest#openAiJson()}: the encoder would send the same) and these
   * tool rules change nothing (none, or no tools and no tool calls); null to encode.
   */
  private Buffer relay(ChatRequest request, Target target) {
    if (request.openAiJson() == null || request.anthropic() != null || request.responses() != null
        || (toolRules != OpenAiToolRules.NONE && hasTools(request))) {
      return null;
    }
    return SameFormatRelay.withModel(request.openAiJson(), target.model(), request.stream());
  }

  private static boolean hasTools(ChatRequest request) {
    if (request.body().tools() != null) {
      return true;
    }
    for (var m : request.body().messages()) {
      if (m.toolCalls() != null || m.toolCallId() != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public java.util.List<String> toolAdaptations(ChatRequest request, Target target) {
    return toolRules.adaptations(request.body());
  }

  @Override
  public ChatResponse decode(Buffer body) {
    // One streaming pass for the usual body; the tree for Responses objects and anything unusual.
    ChatCompletion completion = OpenAiCompletionReader.read(body);
    if (completion != null) {
      return new ChatResponse(completion, TokenUsage.fromOpenAi(completion.usage()), body);
    }
    try {
      JsonNode node = Json.parse(body);
      if (OpenAiResponsesPassThrough.isResponse(node)) {
        return OpenAiResponsesPassThrough.decode(node, body); // a Responses request passed through natively
      }
      completion = OpenAiResponseCodec.decodeCompletion(node);
    } catch (Exception e) {
      throw invalidBody();
    }
    return new ChatResponse(completion, TokenUsage.fromOpenAi(completion.usage()), body);
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return request.nativeResponses() ? new OpenAiResponsesRelay() : new OpenAiStreamTranslator();
  }

  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return OpenAiErrors.classify(status, headers, body);
  }

  @Override
  public UpstreamRequest encodeEmbeddings(EmbeddingsRequest request, Target target) {
    return new UpstreamRequest(HttpMethod.POST, "/embeddings", JsonHeaders.request(false),
        Json.toBuffer(request.bodyFor(target.model())), false);
  }

  @Override
  public EmbeddingsResponse decodeEmbeddings(Buffer body) {
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (Exception e) {
      throw invalidBody();
    }
    if (!node.isObject() || !node.path("data").isArray()) {
      throw invalidBody();
    }
    long prompt = node.path("usage").path("prompt_tokens").asLong();
    return new EmbeddingsResponse((ObjectNode) node, new TokenUsage(prompt, 0, 0, 0, 0));
  }

  private static UpstreamFailure invalidBody() {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.SERVER_ERROR, 200, "the provider sent a malformed response body"));
  }
}
