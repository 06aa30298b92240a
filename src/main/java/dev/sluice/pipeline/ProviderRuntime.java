package dev.sluice.pipeline;

import dev.sluice.provider.EmbeddingsAdapter;
import dev.sluice.provider.ProviderAdapter;
import dev.sluice.upstream.UpstreamClient;

/**
 * A configured provider ready to call: its translator and its pooled client.
 *
 * @param embeddings null when the provider type offers no embeddings
 */
public record ProviderRuntime(String name, ProviderAdapter adapter, EmbeddingsAdapter embeddings,
    UpstreamClient client) {}
