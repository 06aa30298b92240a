package dev.sluice.core;

import dev.sluice.api.openai.ContentPart;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A capability a request may need from its target. */
public enum Feature {
  STREAMING("streaming"),
  TOOLS("tools"),
  VISION("vision (images in messages)"),
  JSON_MODE("JSON mode (response_format)"),
  /** What only OpenAI's Responses API does: stored responses, built-in tools, background runs. */
  NATIVE_RESPONSES("OpenAI's Responses API (stored responses, built-in tools)");

  private final String description;

  Feature(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** What {@code request} needs: tools offered or used in the history, images, JSON mode, a stream. */
  public static Set<Feature> neededBy(ChatRequest request) {
    var body = request.body();
    Set<Feature> needs = EnumSet.noneOf(Feature.class);
    if (body.stream()) {
      needs.add(STREAMING);
    }
    if (request.nativeResponses()) {
      needs.add(NATIVE_RESPONSES);
    }
    if (body.tools() != null && !body.tools().isEmpty()) {
      needs.add(TOOLS);
    }
    if (body.responseFormat() != null && !"text".equals(body.responseFormat().type())) {
      needs.add(JSON_MODE);
    }
    for (var m : body.messages()) {
      if (m.toolCalls() != null || "tool".equals(m.role())) {
        needs.add(TOOLS);
      }
      if (m.content() != null && m.content().parts() != null && hasImage(m.content().parts())) {
        needs.add(VISION);
      }
    }
    return needs;
  }

  private static boolean hasImage(List<ContentPart> parts) {
    for (var p : parts) {
      if ("image_url".equals(p.type())) {
        return true;
      }
    }
    return false;
  }
}
