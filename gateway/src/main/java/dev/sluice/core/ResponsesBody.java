package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Responses API body as the client sent it, riding next to the canonical form it was
 * parsed into: the Responses front echoes its parameters in the answer. When it uses what only
 * OpenAI can serve (stored state, built-in tools, background runs) it is {@link #passThrough()}: an
 * OpenAI provider sends {@link #json()} to its {@code /responses} endpoint with only {@code model}
 * written over it, and every other provider type lacks {@link Feature#NATIVE_RESPONSES}, so routing
 * never sends it there. Never written after construction.
 *
 * @param json the client's body, parsed; read-only
 * @param feature the first field that needs OpenAI ({@code previous_response_id}, {@code store},
 *     {@code tools[2].type=web_search} ...), named in the 400 when no target can serve it; null when
 *     the request translates to every provider
 */
public record ResponsesBody(ObjectNode json, String feature) {

  /** Whether only OpenAI's own Responses API can serve the request. */
  public boolean passThrough() {
    return feature != null;
  }
}
