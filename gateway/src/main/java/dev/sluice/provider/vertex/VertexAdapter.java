package dev.sluice.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.sluice.provider.anthropic.AnthropicAdapter;
import dev.sluice.provider.anthropic.AnthropicOptions;
import dev.sluice.provider.gemini.GeminiAdapter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Google Vertex AI: Gemini and Anthropic's Claude models in one Google Cloud project and location.
 * The bodies are the Gemini API's and Anthropic's Messages API's, so both translations are
 * {@link GeminiAdapter}'s and {@link AnthropicAdapter}'s; only the addresses differ:
 * <ul>
 *   <li>Gemini: {@code /v1/projects/P/locations/L/publishers/google/models/M:generateContent}
 *       ({@code :streamGenerateContent?alt=sse} for streams);
 *   <li>Claude (a model id starting with {@code claude}, e.g. {@code claude-sonnet-4@20250514}):
 *       {@code .../publishers/anthropic/models/M:rawPredict} ({@code :streamRawPredict}), the body
 *       without {@code model} and with {@code anthropic_version: vertex-2023-10-16}.
 * </ul>
 * The OAuth bearer token is not the adapter's business: the upstream client adds it.
 *
 * <p>Answers are not told which family they belong to, so they are recognised by shape: a body
 * whose {@code type} is {@code message} (or {@code error}) is Anthropic's, any other Google's; a
 * stream starting with an {@code event:} line is Anthropic's, one starting with {@code data:}
 * Gemini's. Stateless and thread-safe.
 */
public final class VertexAdapter implements ProviderAdapter, ToolAdaptations {
  static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
  private static final Capabilities CLAUDE_CAPABILITIES = AnthropicAdapter.create().capabilities();

  private final String prefix;
  private final GeminiAdapter gemini;
  private final AnthropicAdapter anthropic;

  /**
   * @param project the Google Cloud project id
   * @param location a region ({@code us-central1}) or {@code global}
   */
  public VertexAdapter(String project, String location, Clock clock) {
    this.prefix = "/v1/projects/" + segment(project) + "/locations/" + segment(location) + "/publishers/";
    this.gemini = new GeminiAdapter(clock);
    this.anthropic = AnthropicAdapter.create(AnthropicOptions.defaults().withClock(clock));
  }

  static boolean isClaude(String model) {
    return model.startsWith("claude");
  }

  /** What both families can do: Gemini's embeddings aside, Claude's set is the narrower one. */
  @Override
  public Capabilities capabilities() {
    return CLAUDE_CAPABILITIES;
  }

  /** Unused: the upstream client adds the bearer token from its credentials. */
  @Override
  public AuthScheme auth() {
    return AuthScheme.bearer();
  }

  @Override
  public Set<String> unsupportedParams(ChatRequest request) {
    // Not told the target: a parameter either family can carry is let through to the encoder.
    Set<String> out = new java.util.TreeSet<>(gemini.unsupportedParams(request));
    out.retainAll(anthropic.unsupportedParams(request));
    return out;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    String model = target.model();
    boolean stream = request.stream();
    if (isClaude(model)) {
      ObjectNode body = anthropic.body(request, target);
      body.remove("model");
      body.put("anthropic_version", ANTHROPIC_VERSION);
      return new UpstreamRequest(HttpMethod.POST,
          prefix + "anthropic/models/" + segment(model) + (stream ? ":streamRawPredict" : ":rawPredict"),
          JsonHeaders.request(stream), Json.toBuffer(body), stream);
    }
    UpstreamRequest g = gemini.encode(request, target);
    return new UpstreamRequest(g.method(), prefix + "google/models/" + segment(model)
        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"), g.headers(), g.body(), stream);
  }

  @Override
  public List<String> toolAdaptations(ChatRequest request, Target target) {
    return isClaude(target.model()) ? anthropic.toolAdaptations(request, target) : gemini.toolAdaptations(request, target);
  }

  @Override
  public ChatResponse decode(Buffer body) {
    return isAnthropicShape(body, "message") ? anthropic.decode(body) : gemini.decode(body);
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return new VertexStreamTranslator(() -> anthropic.newStreamTranslator(request),
        () -> gemini.newStreamTranslator(request));
  }

  /**
   * Vertex's own front (auth, quota, unknown model) answers in Google's error shape whatever the
   * model; Claude's own errors come in Anthropic's.
   */
  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return isAnthropicShape(body, "error") ? anthropic.classify(status, headers, body)
        : gemini.classify(status, headers, body);
  }

  private static boolean isAnthropicShape(Buffer body, String type) {
    try {
      JsonNode root = Json.parse(body);
      return root != null && type.equals(root.path("type").asText(""));
    } catch (Exception notJson) {
      return false;
    }
  }

  /** A path segment: {@code @} (Claude's version suffix) stays as it is, as Google's examples write it. */
  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
  }
}
