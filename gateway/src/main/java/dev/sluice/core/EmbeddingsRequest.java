package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A canonical embeddings request: the model the client named and the OpenAI-shaped body, kept
 * whole so every parameter (dimensions, encoding_format, user) reaches an OpenAI-family upstream.
 */
public record EmbeddingsRequest(String model, ObjectNode body) {

  /** The body with the model replaced; the original stays untouched. */
  public ObjectNode bodyFor(String targetModel) {
    ObjectNode copy = body.deepCopy();
    copy.put("model", targetModel);
    return copy;
  }
}
