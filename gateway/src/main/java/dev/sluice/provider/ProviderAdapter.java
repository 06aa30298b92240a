package dev.sluice.provider;

import dev.sluice.core.AuthScheme;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Pure translation between the canonical form and one provider's wire format. Stateless and
 * thread-safe: one instance per provider type. It does no I/O; the upstream client does.
 */
public interface ProviderAdapter {

  Capabilities capabilities();

  /** Where the provider wants its API key. */
  AuthScheme auth();

  /**
   * Top-level parameters of {@code request} this wire format cannot carry; the gateway drops or
   * rejects them per the model's policy before encoding. OpenAI-format adapters carry everything.
   */
  default java.util.Set<String> unsupportedParams(ChatRequest request) {
    return java.util.Set.of();
  }

  /** Encodes the request for {@code target}; must not mutate {@code request} (retries re-encode it). */
  UpstreamRequest encode(ChatRequest request, Target target);

  /**
   * Decodes a successful (2xx) non-streamed body.
   *
   * @throws dev.sluice.core.UpstreamFailure when the body is not a valid answer
   */
  ChatResponse decode(Buffer body);

  /** A fresh translator for one streamed response. */
  StreamTranslator newStreamTranslator(ChatRequest request);

  /** Classifies a non-2xx upstream answer: what it means and what is safe to tell the client. */
  UpstreamError classify(int status, MultiMap headers, Buffer body);
}
