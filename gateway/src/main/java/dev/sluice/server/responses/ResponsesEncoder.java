package dev.sluice.server.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;

/**
 * A canonical answer → a Responses {@code response} object: the first choice's reasoning as a
 * {@code reasoning} item, its text as one assistant {@code message} item, each tool call as a
 * {@code function_call} item, in that order. A {@code length} finish reads as status incomplete
 * (reason max_output_tokens), content_filter as incomplete (content_filter). Stateless.
 */
final class ResponsesEncoder {
  private final ResponseIds ids;

  ResponsesEncoder(ResponseIds ids) {
    this.ids = ids;
  }

  ObjectNode encode(ChatRequest request, ChatResponse response) {
    ChatCompletion c = response.body();
    ArrayNode output = JsonNodeFactory.instance.arrayNode();
    String finish = null;
    if (!c.choices().isEmpty()) {
      ChatCompletion.Choice choice = c.choices().get(0);
      finish = choice.finishReason();
      ChatMessage m = choice.message();
      if (m != null) {
        if (m.reasoningContent() != null && !m.reasoningContent().isEmpty()) {
          output.add(ResponseObjects.reasoning(ids.itemId("rs"), m.reasoningContent()));
        }
        String text = m.content() == null ? null : m.content().joinedText();
        if (text != null && !text.isEmpty()) {
          output.add(ResponseObjects.message(ids.itemId("msg"), "completed", text));
        }
        if (m.toolCalls() != null) {
          for (ToolCall call : m.toolCalls()) {
            output.add(ResponseObjects.functionCall(ids.itemId("fc"), ids.callId(call.id()), call.name(),
                call.arguments() == null ? "" : call.arguments(), "completed"));
          }
        }
      }
    }
    TokenUsage usage = response.usage() != null ? response.usage() : TokenUsage.fromOpenAi(c.usage());
    String incomplete = ResponseObjects.incompleteReason(finish);
    return ResponseObjects.envelope(request, ids.responseId(c.id()),
        c.created() > 0 ? c.created() : ids.nowSeconds(), c.model() == null || c.model().isEmpty() ? request.model()
            : c.model(), incomplete == null ? "completed" : "incomplete", output, usage, incomplete);
  }
}
