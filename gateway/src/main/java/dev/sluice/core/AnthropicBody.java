package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;

/**
 * An Anthropic Messages request body as the client sent it, next to the canonical form it was
 * parsed into. An Anthropic provider sends {@link #json()} on (a copy, with only what routing or
 * adaptation changed written over it) as long as the canonical request still holds the parsed
 * messages, tools and tool choice: that keeps every {@code cache_control}, thinking signature and
 * field the canonical form has no slot for. Never written after construction.
 *
 * @param json the client's body, parsed; read-only
 * @param parsed the canonical request the front door made of it; compared by identity to see what changed
 */
public record AnthropicBody(ObjectNode json, ChatCompletionRequest parsed) {}
