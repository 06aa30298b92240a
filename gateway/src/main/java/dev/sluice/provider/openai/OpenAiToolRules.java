package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletionRequest;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolDefinition;
import dev.sluice.provider.ObjectRootSchemas;
import dev.sluice.provider.ToolCallIds;
import dev.sluice.provider.ToolNames;
import java.util.ArrayList;
import java.util.List;

/**
 * What one OpenAI-format server demands of tools beyond the wire format, applied to an encoded
 * body: tool-call ids in the form it accepts ({@link ToolCallIds}), and — for api.openai.com and
 * Azure, which check them — tool names, parameters schemas with an object root
 * ({@link ObjectRootSchemas}) and {@code strict: true} schemas brought to strict mode's rules
 * ({@link OpenAiStrictSchemas}; the flag is dropped when they cannot be). Generic OpenAI-compatible
 * servers get everything as the client sent it.
 *
 * @param ids the id form the server accepts; null to leave ids alone
 * @param checkTools whether names are checked and parameters roots made objects
 * @param provider the provider's name, for errors
 */
public record OpenAiToolRules(ToolCallIds.Format ids, boolean checkTools, String provider) {
  /** Passes everything on unchanged. */
  public static final OpenAiToolRules NONE = new OpenAiToolRules(null, false, "openai-compatible");
  /** api.openai.com: ids of at most 40 characters, names and object roots checked. */
  public static final OpenAiToolRules OPENAI = new OpenAiToolRules(ToolCallIds.Format.OPENAI, true, "openai");
  /** Azure OpenAI: OpenAI's rules. */
  public static final OpenAiToolRules AZURE = new OpenAiToolRules(ToolCallIds.Format.OPENAI, true, "azure_openai");
  /** Mistral (api.mistral.ai): ids of exactly nine letters and digits. */
  public static final OpenAiToolRules MISTRAL = new OpenAiToolRules(ToolCallIds.Format.MISTRAL, false, "mistral");

  /**
   * Rewrites {@code body} (a tree freshly built by {@code OpenAiRequestCodec.encode}: its message
   * and tool nodes are its own; schema nodes are shared with the request and only replaced, never
   * written into).
   *
   * @return the parameters rewritten (see {@link dev.sluice.provider.ToolAdaptations})
   * @throws dev.sluice.api.openai.WireFormatException when a tool cannot be sent to this server
   */
  public List<String> apply(ObjectNode body) {
    List<String> adapted = new ArrayList<>();
    if (checkTools) {
      JsonNode tools = body.path("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode fn = tools.get(i).path("function");
        if (!(fn instanceof ObjectNode function)) {
          continue;
        }
        String path = "tools[" + i + "].function";
        String name = fn.path("name").asText(null);
        ToolNames.check(name, path + ".name", provider);
        JsonNode parameters = fn.get("parameters");
        JsonNode schema = parameters;
        if (schema != null && !schema.isNull()) {
          schema = ObjectRootSchemas.adapt(schema, path + ".parameters", "'" + name + "'", provider);
        }
        if (schema != null && !schema.isNull() && fn.path("strict").asBoolean(false)) {
          JsonNode strict = OpenAiStrictSchemas.adapt(schema);
          if (strict == null) {
            function.remove("strict"); // strict mode cannot take this schema: send it without
            adapted.add(path + ".strict");
          } else {
            schema = strict;
          }
        }
        if (schema != parameters) {
          function.set("parameters", schema);
          adapted.add(path + ".parameters");
        }
      }
    }
    if (ids != null && rewriteIds(body.path("messages"))) {
      adapted.add("tool_call_ids");
    }
    return adapted;
  }

  /**
   * What {@link #apply} would rewrite in {@code request}'s encoded body, worked out on a skeleton
   * of it (tools and tool-call ids only) rather than a copy of the whole conversation.
   */
  public List<String> adaptations(ChatCompletionRequest request) {
    if (ids == null && !checkTools) {
      return List.of();
    }
    ObjectNode skeleton = JsonNodeFactory.instance.objectNode();
    if (request.tools() != null) {
      ArrayNode tools = skeleton.putArray("tools");
      for (ToolDefinition t : request.tools()) {
        ObjectNode fn = tools.addObject().putObject("function").put("name", t.name());
        if (t.parameters() != null) {
          fn.set("parameters", t.parameters());
        }
        if (t.strict() != null) {
          fn.put("strict", t.strict());
        }
      }
    }
    ArrayNode messages = skeleton.putArray("messages");
    for (ChatMessage m : request.messages()) {
      ObjectNode message = messages.addObject();
      if (m.toolCalls() != null) {
        ArrayNode calls = message.putArray("tool_calls");
        m.toolCalls().forEach(c -> {
          ObjectNode call = calls.addObject();
          if (c.id() != null) {
            call.put("id", c.id());
          }
        });
      }
      if (m.toolCallId() != null) {
        message.put("tool_call_id", m.toolCallId());
      }
    }
    return apply(skeleton);
  }

  private boolean rewriteIds(JsonNode messages) {
    ToolCallIds rewriter = new ToolCallIds(ids);
    for (JsonNode m : messages) {
      for (JsonNode call : m.path("tool_calls")) {
        if (call instanceof ObjectNode c && c.path("id").isTextual()) {
          c.put("id", rewriter.call(c.get("id").textValue()));
        }
      }
      if (m instanceof ObjectNode message && message.path("tool_call_id").isTextual()) {
        message.put("tool_call_id", rewriter.result(message.get("tool_call_id").textValue()));
      }
    }
    return rewriter.rewrote();
  }
}
