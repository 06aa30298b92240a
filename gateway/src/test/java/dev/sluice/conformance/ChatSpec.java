package dev.sluice.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's request in front-neutral form; each {@link FrontClient} writes it in its own wire
 * format. Immutable once built; the {@code with*} methods return copies.
 */
record ChatSpec(String model, String system, List<Turn> turns, List<Tool> tools, JsonNode jsonSchema,
    boolean stream, boolean includeUsage, int maxTokens) {

  /** One entry of the conversation. */
  sealed interface Turn permits UserText, UserImage, AssistantToolCalls, ToolResults {}

  record UserText(String text) implements Turn {}

  /** A user turn with a base64 image and a question about it. */
  record UserImage(String text, String mediaType, String base64) implements Turn {}

  /** An assistant turn that asked for tools (with optional text before the calls). */
  record AssistantToolCalls(String text, List<Call> calls) implements Turn {}

  /** The results of the previous turn's tool calls. */
  record ToolResults(List<Result> results) implements Turn {}

  record Call(String id, String name, String argumentsJson) {}

  record Result(String callId, String content) {}

  /** A function the model may call; {@code schema} is its JSON Schema for the arguments. */
  record Tool(String name, String description, JsonNode schema) {}

  static ChatSpec ask(String model, String question) {
    return new ChatSpec(model, "You are terse.", List.of(new UserText(question)), List.of(), null, false, false, 256);
  }

  ChatSpec streamed(boolean includeUsage) {
    return new ChatSpec(model, system, turns, tools, jsonSchema, true, includeUsage, maxTokens);
  }

  ChatSpec withTools(List<Tool> newTools) {
    return new ChatSpec(model, system, turns, newTools, jsonSchema, stream, includeUsage, maxTokens);
  }

  ChatSpec withJsonSchema(JsonNode schema) {
    return new ChatSpec(model, system, turns, tools, schema, stream, includeUsage, maxTokens);
  }

  ChatSpec withTurns(List<Turn> newTurns) {
    return new ChatSpec(model, system, newTurns, tools, jsonSchema, stream, includeUsage, maxTokens);
  }

  ChatSpec then(Turn turn) {
    List<Turn> next = new ArrayList<>(turns);
    next.add(turn);
    return withTurns(next);
  }
}
