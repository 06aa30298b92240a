package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamError;
import dev.sluice.core.UpstreamFailure;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A non-streamed {@code GenerateContentResponse} → the canonical completion. One choice per
 * candidate. Tool calls get ids {@code call_<n>} (Gemini matches results by name, not id).
 */
final class GeminiResponseDecoder {

  private GeminiResponseDecoder() {}

  /**
   * @param fallbackId the completion id when Gemini sent no {@code responseId}
   * @param fallbackModel the model name when Gemini sent no {@code modelVersion}
   * @throws UpstreamFailure when the body is malformed, the prompt was blocked or a tool call is unusable
   */
  static ChatResponse decode(Buffer body, String fallbackId, long created, String fallbackModel) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Exception e) {
      throw invalidBody();
    }
    if (root == null || !root.isObject()) {
      throw invalidBody();
    }
    JsonNode candidates = root.get("candidates");
    if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
      String blocked = GeminiWire.blockReason(root);
      throw blocked != null ? GeminiWire.promptBlocked(blocked) : invalidBody();
    }
    List<ChatCompletion.Choice> choices = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      choices.add(choice(candidates.get(i), i));
    }
    TokenUsage usage = GeminiWire.usage(root.get("usageMetadata"));
    String id = GeminiWire.textOrNull(root, "responseId");
    String model = GeminiWire.textOrNull(root, "modelVersion");
    ChatCompletion completion = new ChatCompletion(id == null ? fallbackId : id, created,
        model == null ? fallbackModel : model, choices, usage.toOpenAi(), null);
    return new ChatResponse(completion, usage, null);
  }

  private static ChatCompletion.Choice choice(JsonNode candidate, int position) {
    String reason = GeminiWire.textOrNull(candidate, "finishReason");
    if (GeminiWire.isMalformed(reason)) {
      throw GeminiWire.malformedToolCall();
    }
    GeminiWire.Parts parts = GeminiWire.readParts(candidate.get("content"));
    List<ToolCall> calls = null;
    if (!parts.calls().isEmpty()) {
      calls = new ArrayList<>(parts.calls().size());
      for (GeminiWire.FunctionCall call : parts.calls()) {
        calls.add(new ToolCall("call_" + calls.size(), "function", call.name(), call.arguments()));
      }
    }
    ChatMessage message = new ChatMessage("assistant",
        parts.text() == null ? null : MessageContent.text(parts.text()), null, calls, null, parts.thought());
    return new ChatCompletion.Choice(candidate.path("index").asInt(position), message,
        GeminiWire.finishReason(reason, calls != null));
  }

  static UpstreamFailure invalidBody() {
    return new UpstreamFailure(UpstreamError.of(ErrorClass.SERVER_ERROR, 200,
        "the provider sent a malformed response body"));
  }
}
