package dev.sluice.cache;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole answer as the canonical chunks of a stream, so a cached answer can be replayed to a
 * streaming request through any front door's stream encoder. Per choice, in index order: the role
 * chunk ({@code role: assistant}, {@code content: ""}), reasoning, the text, one chunk per tool
 * call (id, name and whole arguments), then the finish chunk; last a usage-only chunk (the front
 * drops it unless the client asked for usage). Stateless.
 */
public final class Replay {
  private Replay() {}

  public static List<ChatChunk> chunks(ChatResponse response) {
    ChatCompletion c = response.body();
    List<ChatChunk> out = new ArrayList<>(4 + 4 * c.choices().size());
    for (ChatCompletion.Choice choice : c.choices()) {
      int i = choice.index();
      var m = choice.message();
      out.add(chunk(c, i, new Delta("assistant", "", null, null), null));
      if (m.reasoningContent() != null && !m.reasoningContent().isEmpty()) {
        out.add(chunk(c, i, new Delta(null, null, m.reasoningContent(), null), null));
      }
      if (m.content() != null) {
        String text = m.content().joinedText();
        if (!text.isEmpty()) {
          out.add(chunk(c, i, new Delta(null, text, null, null), null));
        }
      }
      if (m.toolCalls() != null) {
        int n = 0;
        for (ToolCall t : m.toolCalls()) {
          out.add(chunk(c, i, new Delta(null, null, null,
              List.of(new ToolCallDelta(n++, t.id(), t.type(), t.name(), t.arguments()))), null));
        }
      }
      out.add(chunk(c, i, new Delta(null, null, null, null), choice.finishReason()));
    }
    out.add(ChatChunk.of(new ChatCompletionChunk(c.id(), c.created(), c.model(), List.of(), response.usage().toOpenAi(),
        c.systemFingerprint()), null));
    return out;
  }

  private static ChatChunk chunk(ChatCompletion c, int index, Delta delta, String finish) {
    return ChatChunk.of(new ChatCompletionChunk(c.id(), c.created(), c.model(), List.of(new ChunkChoice(index, delta,
        finish)), null, c.systemFingerprint()), null);
  }
}
