package dev.sluice.api.openai;

/** A fragment of a streamed tool call; {@code index} groups the fragments of one call. */
public record ToolCallDelta(int index, String id, String type, String name, String arguments) {}
