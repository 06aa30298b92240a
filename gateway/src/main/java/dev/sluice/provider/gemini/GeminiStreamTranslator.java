package dev.sluice.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ErrorClass;
import dev.sluice.core.Json;
import dev.sluice.core.TokenUsage;
import dev.sluice.core.UpstreamFailure;
import dev.sluice.provider.StreamTranslator;
import dev.sluice.upstream.SseEvent;
import dev.sluice.upstream.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code streamGenerateContent?alt=sse} → canonical chunks. Each SSE {@code data:} event is a whole
 * {@code GenerateContentResponse}. Per candidate: a role chunk when it first appears, then one chunk
 * per event for its text and thoughts, one for its function calls (each call whole, indexed
 * 0, 1, 2 ... over the stream), and a final chunk with the finish reason. Gemini has no end marker:
 * a stream that saw a finish reason is complete when the connection closes, and then a usage-only
 * chunk reports the last {@code usageMetadata} seen.
 *
 * <p>One per request; not thread-safe; lives on the request's event loop. Any split of the bytes
 * gives the same chunks: framing is {@link SseFramer}'s, and ids and times are fixed at creation.
 */
final class GeminiStreamTranslator implements StreamTranslator {
  private final SseFramer framer = new SseFramer();
  private final Map<Integer, CandidateState> candidates = new HashMap<>(2);
  private final long created;
  private String id;
  private String model;
  private boolean sawEvent;
  private boolean sawFinish;
  private boolean failed;
  private boolean completed;
  private TokenUsage usage = TokenUsage.ZERO;

  /**
   * @param fallbackId the chunk id when Gemini sends no {@code responseId}
   * @param created the {@code created} time of every chunk, epoch seconds
   * @param fallbackModel the model name when Gemini sends no {@code modelVersion}
   */
  GeminiStreamTranslator(String fallbackId, long created, String fallbackModel) {
    this.id = fallbackId;
    this.created = created;
    this.model = fallbackModel;
  }

  @Override
  public void onBytes(Buffer bytes, Consumer<ChatChunk> out) {
    framer.feed(bytes, event -> onEvent(event, out));
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    framer.end(event -> onEvent(event, out));
    if (failed || completed || !sawFinish) {
      return;
    }
    completed = true;
    out.accept(ChatChunk.of(new ChatCompletionChunk(id, created, model, List.of(), usage.toOpenAi(), null), null));
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  private void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    if (failed || event.data().length == 0) {
      return;
    }
    JsonNode root;
    try {
      root = Json.parse(event.data());
    } catch (Exception e) {
      fail(out, new ApiError(502, "upstream_error", "stream_error", null, "the provider sent a malformed stream event"));
      return;
    }
    if (root == null || !root.isObject()) {
      fail(out, new ApiError(502, "upstream_error", "stream_error", null, "the provider sent a malformed stream event"));
      return;
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      fail(out, GeminiErrors.streamFailure(error));
      return;
    }
    if (!sawEvent) {
      sawEvent = true;
      String responseId = GeminiWire.textOrNull(root, "responseId");
      String modelVersion = GeminiWire.textOrNull(root, "modelVersion");
      id = responseId == null ? id : responseId;
      model = modelVersion == null ? model : modelVersion;
    }
    JsonNode list = root.get("candidates");
    if ((list == null || !list.isArray() || list.isEmpty()) && GeminiWire.blockReason(root) != null) {
      fail(out, GeminiWire.promptBlocked(GeminiWire.blockReason(root)));
      return;
    }
    if (list != null && list.isArray()) {
      for (int i = 0; i < list.size() && !failed; i++) {
        onCandidate(list.get(i), i, out);
      }
    }
    if (!failed && root.path("usageMetadata").isObject()) {
      usage = GeminiWire.usage(root.get("usageMetadata"));
    }
  }

  private void onCandidate(JsonNode candidate, int position, Consumer<ChatChunk> out) {
    int index = candidate.path("index").asInt(position);
    CandidateState state = candidates.computeIfAbsent(index, k -> new CandidateState());
    if (!state.started) {
      state.started = true;
      emit(out, index, new Delta("assistant", "", null, null), null);
    }
    GeminiWire.Parts parts = GeminiWire.readParts(candidate.get("content"));
    if (parts.text() != null || parts.thought() != null) {
      emit(out, index, new Delta(null, parts.text(), parts.thought(), null), null);
    }
    if (!parts.calls().isEmpty()) {
      List<ToolCallDelta> deltas = new ArrayList<>(parts.calls().size());
      for (GeminiWire.FunctionCall call : parts.calls()) {
        int n = state.toolCalls++;
        deltas.add(new ToolCallDelta(n, "call_" + n, "function", call.name(), call.arguments()));
      }
      emit(out, index, new Delta(null, null, null, deltas), null);
    }
    String reason = GeminiWire.textOrNull(candidate, "finishReason");
    if (reason == null || state.finished) {
      return;
    }
    if (GeminiWire.isMalformed(reason)) {
      fail(out, GeminiWire.malformedToolCall());
      return;
    }
    state.finished = true;
    sawFinish = true;
    emit(out, index, new Delta(null, null, null, null), GeminiWire.finishReason(reason, state.toolCalls > 0));
  }

  private void emit(Consumer<ChatChunk> out, int index, Delta delta, String finishReason) {
    out.accept(ChatChunk.of(new ChatCompletionChunk(id, created, model,
        List.of(new ChunkChoice(index, delta, finishReason)), null, null), null));
  }

  private void fail(Consumer<ChatChunk> out, UpstreamFailure failure) {
    fail(out, failure.error().errorClass() == ErrorClass.CONTENT_FILTER
        ? failure.error().toApiError()
        : new ApiError(502, "upstream_error", "stream_error", null, failure.error().message()));
  }

  private void fail(Consumer<ChatChunk> out, ApiError error) {
    failed = true;
    out.accept(ChatChunk.failure(error));
  }

  /** What the stream has shown of one candidate so far. */
  private static final class CandidateState {
    boolean started;
    boolean finished;
    int toolCalls;
  }
}
