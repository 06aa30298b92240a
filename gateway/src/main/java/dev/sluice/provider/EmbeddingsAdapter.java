package dev.sluice.provider;

import dev.sluice.core.EmbeddingsRequest;
import dev.sluice.core.EmbeddingsResponse;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamRequest;
import io.vertx.core.buffer.Buffer;

/** Embeddings translation, for provider types that offer them. Stateless. */
public interface EmbeddingsAdapter {

  UpstreamRequest encodeEmbeddings(EmbeddingsRequest request, Target target);

  /** @throws dev.sluice.core.UpstreamFailure when the body is not a valid answer */
  EmbeddingsResponse decodeEmbeddings(Buffer body);
}
