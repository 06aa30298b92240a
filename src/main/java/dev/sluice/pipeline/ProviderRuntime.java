package dev.sluice.pipeline;

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
}
