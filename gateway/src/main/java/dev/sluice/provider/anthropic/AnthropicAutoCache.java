package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code auto_cache: true}: prompt-cache breakpoints ({@code cache_control: {type: ephemeral}}) on the
 * long, stable prefix of a request whose client set none: the last tool definition, and the last
 * system block. Anthropic caches the prefix up to a breakpoint in the order tools, system,
 * messages, so the system breakpoint covers the tools too.
 *
 * <p>A breakpoint is placed only when its prefix reaches Anthropic's minimum cacheable length
 * (1,024 tokens; 2,048 for Haiku models), estimated as characters / 4 of the tools' JSON and the
 * system text; below it Anthropic would ignore the breakpoint. At most two are placed, so with
 * none from the client Anthropic's limit of four is never passed. Stateless.
 */
final class AnthropicAutoCache {
  static final String SYSTEM = "auto_cache:system";
  static final String TOOLS = "auto_cache:tools";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AnthropicAutoCache() {}

  /** The minimum cacheable prompt, in tokens, of {@code model}. */
  static int minimumTokens(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).contains("haiku") ? 2048 : 1024;
  }

  /**
   * Places the breakpoints {@code body} qualifies for (writing into it: a tree of the caller's own)
   * and returns what it placed, {@link #TOOLS} and/or {@link #SYSTEM}; nothing when the client set any.
   */
  static List<String> place(ObjectNode body, String model) {
    if (hasBreakpoint(body)) {
      return List.of();
    }
    long min = minimumTokens(model);
    List<String> placed = new ArrayList<>(2);
    long prefix = 0;
    JsonNode tools = body.get("tools");
    if (tools instanceof ArrayNode t && !t.isEmpty() && t.get(t.size() - 1) instanceof ObjectNode last) {
      prefix += tokens(t.toString().length());
      if (prefix >= min) {
        last.set("cache_control", ephemeral());
        placed.add(TOOLS);
      }
    }
    JsonNode system = body.get("system");
    long systemChars = 0;
    if (system != null && system.isTextual()) {
      systemChars = system.textValue().length();
    } else if (system instanceof ArrayNode blocks) {
      for (JsonNode b : blocks) {
        systemChars += b.path("text").asText("").length();
      }
    }
    if (systemChars > 0 && prefix + tokens(systemChars) >= min) {
      ArrayNode blocks;
      if (system.isTextual()) {
        blocks = F.arrayNode();
        blocks.addObject().put("type", "text").put("text", system.textValue());
        body.set("system", blocks);
      } else {
        blocks = (ArrayNode) system;
      }
      if (blocks.get(blocks.size() - 1) instanceof ObjectNode last) {
        last.set("cache_control", ephemeral());
        placed.add(SYSTEM);
      }
    }
    return placed;
  }

  private static long tokens(long chars) {
    return chars / 4;
  }

  private static ObjectNode ephemeral() {
    return F.objectNode().put("type", "ephemeral");
  }

  /** Whether any system block, tool or message content block carries a {@code cache_control}. */
  private static boolean hasBreakpoint(ObjectNode body) {
    if (anyCacheControl(body.get("system")) || anyCacheControl(body.get("tools"))) {
      return true;
    }
    JsonNode messages = body.get("messages");
    if (messages != null) {
      for (JsonNode m : messages) {
        if (anyCacheControl(m.get("content"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean anyCacheControl(JsonNode blocks) {
    if (blocks instanceof ArrayNode a) {
      for (JsonNode b : a) {
        if (b.has("cache_control")) {
          return true;
        }
      }
    }
    return false;
  }
}
