package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An OpenAI-shaped embeddings answer with its usage in canonical form. */
public record EmbeddingsResponse(ObjectNode body, TokenUsage usage) {}
