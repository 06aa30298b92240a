package dev.sluice.api.openai;

/** A complete function call an assistant message asks for; arguments are a JSON string. */
public record ToolCall(String id, String type, String name, String arguments) {}
