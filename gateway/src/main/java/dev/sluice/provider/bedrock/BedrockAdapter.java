package dev.sluice.provider.bedrock;

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
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * AWS Bedrock's Converse API: {@code POST /model/{modelId}/converse} and
 * {@code /model/{modelId}/converse-stream} (a binary event stream), one request shape for every
 * model Bedrock serves. The model id may be a foundation model ({@code anthropic.claude-…-v1:0}),
 * a cross-region inference profile ({@code us.…}, {@code eu.…}, {@code global.…}) or an ARN.
 * Pure translation, stateless and thread-safe; requests are authenticated by the upstream client
 * (SigV4, or a Bedrock API key as a bearer token), not here.
 *
 * <p>Bedrock sends no completion id, so ids come from the injected id source and {@code created}
 * from the injected clock.
 */
public final class BedrockAdapter implements ProviderAdapter, ToolAdaptations {
  private static final Capabilities CAPABILITIES = new Capabilities(true, true, true, true, false);
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("application/vnd.amazon.eventstream");
  private final Clock clock;
  private final Supplier<String> ids;

  public BedrockAdapter() {
    this(Clock.systemUTC());
  }

  /** Timestamps ({@code created}) from {@code clock}. */
  public BedrockAdapter(Clock clock) {
    this(clock, BedrockAdapter::randomId);
  }

  BedrockAdapter(Clock clock, Supplier<String> ids) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  /** Used only with a Bedrock API key; SigV4-signed providers have no key and add no such header. */
  @Override
  public AuthScheme auth() {
    return AuthScheme.bearer();
  }

  @Override
  public Set<String> unsupportedParams(ChatRequest request) {
    Set<String> out = new TreeSet<>(request.body().extra().keySet());
    out.removeAll(BedrockRequestEncoder.CARRIED_EXTRAS);
    if (request.body().n() != null && request.body().n() != 1) {
      out.add("n");
    }
    return out;
  }

  @Override
  public UpstreamRequest encode(ChatRequest request, Target target) {
    boolean stream = request.stream();
    MultiMap headers = JsonHeaders.request(stream ? EVENT_STREAM : JsonHeaders.APPLICATION_JSON);
    return new UpstreamRequest(HttpMethod.POST, BedrockWire.path(target.model(), stream), headers,
        Json.toBuffer(BedrockRequestEncoder.encode(request.body(), target.defaultMaxTokens())), stream);
  }

  /** Tool schemas given an object root, {@code strict} flags not sent. */
  @Override
  public List<String> toolAdaptations(ChatRequest request, Target target) {
    var r = request.body();
    List<String> adapted = new java.util.ArrayList<>();
    if (r.tools() != null) {
      var encoded = BedrockRequestEncoder.tools(r.tools()); // refuses what encode would refuse
      for (int i = 0; i < r.tools().size(); i++) {
        var t = r.tools().get(i);
        String path = "tools[" + i + "].function";
        if (t.parameters() != null && encoded.get(i).path("toolSpec").path("inputSchema").get("json") != t.parameters()) {
          adapted.add(path + ".parameters");
        }
        if (t.strict() != null) {
          adapted.add(path + ".strict");
        }
      }
    }
    return adapted;
  }

  @Override
  public ChatResponse decode(Buffer body) {
    // decode() is not told the target, and Converse does not name the model: "bedrock" is what is known.
    return BedrockResponseDecoder.decode(body, ids.get(), nowSeconds(), "bedrock");
  }

  @Override
  public StreamTranslator newStreamTranslator(ChatRequest request) {
    return new BedrockStreamTranslator(ids.get(), nowSeconds(), request.model());
  }

  @Override
  public UpstreamError classify(int status, MultiMap headers, Buffer body) {
    return BedrockErrors.classify(status, headers, body);
  }

  private long nowSeconds() {
    return clock.millis() / 1000;
  }

  private static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "chatcmpl-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
