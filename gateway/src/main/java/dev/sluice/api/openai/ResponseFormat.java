package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code response_format}: type text, json_object or json_schema (with its schema object). */
public record ResponseFormat(String type, JsonNode jsonSchema) {}
