package dev.sluice.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.OpenAiRequestCodec;
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
import dev.sluice.provider.openai.OpenAiAdapter;
import dev.sluice.provider.openai.OpenAiToolRules;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: OpenAI's wire format, addressed differently. The base URL is the resource endpoint
 * ({@code https://myres.openai.azure.com}); the target's model is the <em>deployment</em> name,
 * which goes in the path ({@code /openai/deployments/{deployment}/chat/completions?api-version=...})
 * instead of the body; the key goes in {@code api-key}. Answers, streams and errors are OpenAI's and
 * handled by {@link OpenAiAdapter} (Azure's {@code content_filter} errors included). Stateless and
 * thread-safe.
 */
public final class AzureOpenAiAdapter implements ProviderAdapter, EmbeddingsAdapter, ToolAdaptations {
  private final OpenAiAdapter delegate = OpenAiAdapter.instance();
  private final String query;

  /** @param apiVersion the {@code api-version} every call names, e.g. {@code 2024-10-21} */
  public AzureOpenAiAdapter(String apiVersion) {
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new IllegalArgumentException("Azure OpenAI needs an api-version");
    }
    this.query = "?api-version=" + encode(apiVersion.trim());
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public AuthScheme auth() {
    return AuthScheme.header("api-key");
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    // The same body OpenAiAdapter sends (usage forced on for streams), less the model.
    ObjectNode body = OpenAiRequestCodec.encode(request.body(), true);
    body.remove("model");
    OpenAiToolRules.AZURE.apply(body);
    return new UpstreamRequest(HttpMethod.POST, deployment(target) + "/chat/completions" + query,
        JsonHeaders.request(request.stream()), Json.toBuffer(body), request.stream());
  }

  @Override
  public java.util.List<String> toolAdaptations(ChatRequest request, Target target) {
    return OpenAiToolRules.AZURE.adaptations(request.body());
  }

  @Override
  public ChatResponse decode(Buffer body) {
    return delegate.decode(body);
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return delegate.newStreamTranslator(request);
  }

  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return delegate.classify(status, headers, body);
  }

  @Override
  public UpstreamRequest encodeEmbeddings(EmbeddingsRequest request, Target target) {
    ObjectNode body = request.body().deepCopy();
    body.remove("model");
    return new UpstreamRequest(HttpMethod.POST, deployment(target) + "/embeddings" + query,
        JsonHeaders.request(false), Json.toBuffer(body), false);
  }

  @Override
  public EmbeddingsResponse decodeEmbeddings(Buffer body) {
    return delegate.decodeEmbeddings(body);
  }

  private static String deployment(Target target) {
    return "/openai/deployments/" + encode(target.model());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
