package dev.sluice.pipeline;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatResponse;
import dev.sluice.switching.shadow.ShadowAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns an answer into what a shadow comparison reads: a whole answer's first choice, or a stream's
 * first choice collected chunk by chunk (text deltas joined, tool-call fragments joined by index).
 * A collector lives on one request's event loop; not thread-safe.
 */
final class ShadowAnswers implements Consumer<ChatChunk> {
  private final StringBuilder text = new StringBuilder();
  private final TreeMap<Integer, String[]> tools = new TreeMap<>();
  private String finishReason;
  private long chars;

  /** The first choice of a whole answer. */
  static ShadowAnswer of(ChatResponse response) {
    if (response == null || response.body() == null || response.body().choices().isEmpty()) {
      return ShadowAnswer.NONE;
    }
    ChatCompletion.Choice c = response.body().choices().get(0);
    String content = c.message() == null || c.message().content() == null ? ""
        : c.message().content().joinedText();
    List<ShadowAnswer.ToolUse> calls = new ArrayList<>();
    if (c.message() != null && c.message().toolCalls() != null) {
      for (ToolCall t : c.message().toolCalls()) {
        calls.add(new ShadowAnswer.ToolUse(t.name(), t.arguments()));
      }
    }
    return new ShadowAnswer(content, calls, c.finishReason());
  }

  @Override
  public void accept(ChatChunk chunk) {
    if (chunk.chunk() == null) {
      return;
    }
    for (ChatCompletionChunk.ChunkChoice choice : chunk.chunk().choices()) {
      if (choice.index() != 0) {
        continue;
      }
      var d = choice.delta();
      if (d != null && d.content() != null && chars < MAX_CHARS) {
        text.append(d.content());
        chars += d.content().length();
      }
      if (d != null && d.toolCalls() != null) {
        for (ToolCallDelta t : d.toolCalls()) {
          String[] acc = tools.computeIfAbsent(t.index(), i -> new String[] {null, ""});
          if (t.name() != null) {
            acc[0] = acc[0] == null ? t.name() : acc[0] + t.name();
          }
          if (t.arguments() != null && chars < MAX_CHARS) {
            acc[1] = acc[1] + t.arguments();
            chars += t.arguments().length();
          }
        }
      }
      if (choice.finishReason() != null) {
        finishReason = choice.finishReason();
      }
    }
  }

  /** Past this many characters a stream's answer is not collected further (comparing huge answers is not the point). */
  private static final long MAX_CHARS = 1_000_000;

  /** What the stream said so far. */
  ShadowAnswer answer() {
    List<ShadowAnswer.ToolUse> calls = new ArrayList<>(tools.size());
    tools.values().forEach(t -> calls.add(new ShadowAnswer.ToolUse(t[0], t[1])));
    return new ShadowAnswer(text.toString(), calls, finishReason);
  }
}
