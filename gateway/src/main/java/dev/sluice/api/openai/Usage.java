package dev.sluice.api.openai;

/**
 * OpenAI token usage. {@code cachedTokens} is {@code prompt_tokens_details.cached_tokens},
 * {@code reasoningTokens} is {@code completion_tokens_details.reasoning_tokens}; either may be null
 * when the upstream did not report it.
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, Long cachedTokens, Long reasoningTokens) {}
