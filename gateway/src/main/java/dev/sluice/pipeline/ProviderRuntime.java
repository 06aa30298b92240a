package dev.sluice.pipeline;

import dev.sluice.core.UpstreamError;
import dev.sluice.observe.trace.TracePeer;
import dev.sluice.provider.EmbeddingsAdapter;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.upstream.UpstreamClient;

/**
 * A configured provider ready to call: its translator and its pooled client.
 *
 * @param embeddings null when the provider type offers no embeddings
 * @param trace what its attempts' spans say about it, and whether a {@code traceparent} goes to it
 */
public record ProviderRuntime(String name, ProviderAdapter adapter, EmbeddingsAdapter embeddings,
    UpstreamClient client, TracePeer trace) {

  /** A provider whose spans know it by name only, and that never receives a {@code traceparent}. */
  public ProviderRuntime(String name, ProviderAdapter adapter, EmbeddingsAdapter embeddings, UpstreamClient client) {
    this(name, adapter, embeddings, client, TracePeer.named(name));
  }

  /**
   * The one redaction point of upstream error text: every error an attempt reports passes here
   * before anything (the client's answer, the request log's copy of it) sees its message. Removes
   * this provider's own credentials in every form the provider may have echoed them; the adapters
   * have already dropped 401/403 text and masked anything key-shaped ({@code SafeText}).
   */
  public UpstreamError redact(UpstreamError error) {
    return client.secrets().redact(error);
  }
}
