package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** A function tool offered to the model; {@code parameters} is its JSON Schema, kept verbatim. */
public record ToolDefinition(String type, String name, String description, JsonNode parameters, Boolean strict) {}
