package dev.sluice.api.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a multi-part message content. {@code text} parts carry {@link #text()};
 * {@code image_url} parts carry {@link #imageUrl()} and an optional detail; any other part type is
 * kept verbatim in {@link #raw()} so an OpenAI-family upstream still receives it.
 */
public record ContentPart(String type, String text, String imageUrl, String imageDetail, JsonNode raw) {

  public static ContentPart text(String text) {
    return new ContentPart("text", text, null, null, null);
  }

  public static ContentPart image(String url, String detail) {
    return new ContentPart("image_url", null, url, detail, null);
  }
}
