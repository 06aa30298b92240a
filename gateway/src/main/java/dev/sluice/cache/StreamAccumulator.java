package dev.sluice.cache;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.api.openai.MessageContent;
import dev.sluice.api.openai.ToolCall;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Folds a streamed answer's canonical chunks into the whole answer, so a streamed miss fills the
 * cache like a whole one. It gives an answer only when the stream {@link #complete completed}
 * normally; an error chunk, a refusal, a filtered finish, or more than {@code maxChars} of text make
 * it give none (and stop holding text). One per request; not thread-safe.
 */
public final class StreamAccumulator {
  private final long maxChars;
  private final TreeMap<Integer, ChoiceParts> choices = new TreeMap<>();
  private String id;
  private long created;
  private String model;
  private String fingerprint;
  private TokenUsage chunkUsage;
  private long chars;
  private boolean spoiled;
  private boolean completed;
  private TokenUsage finalUsage;

  public StreamAccumulator(long maxChars) {
    this.maxChars = maxChars;
  }

  private static final class ChoiceParts {
    final StringBuilder content = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    final TreeMap<Integer, String[]> tools = new TreeMap<>(); // index → id, type, name
    final TreeMap<Integer, StringBuilder> args = new TreeMap<>();
    boolean sawContent;
    String finish;
  }

  public void add(ChatChunk chunk) {
    if (spoiled) {
      return;
    }
    if (chunk.error() != null || chunk.chunk() == null
        || chunk.openAiJson() != null && Cacheability.hasRefusal(chunk.openAiJson())) {
      spoil();
      return;
    }
    ChatCompletionChunk c = chunk.chunk();
    if (id == null) {
      id = c.id();
      created = c.created();
      model = c.model();
    }
    if (fingerprint == null) {
      fingerprint = c.systemFingerprint();
    }
    if (c.usage() != null) {
      chunkUsage = TokenUsage.fromOpenAi(c.usage());
    }
    for (ChatCompletionChunk.ChunkChoice ch : c.choices()) {
      ChoiceParts p = choices.computeIfAbsent(ch.index(), i -> new ChoiceParts());
      ChatCompletionChunk.Delta d = ch.delta();
      if (d != null) {
        if (d.content() != null) {
          p.sawContent = true;
          append(p.content, d.content());
        }
        if (d.reasoningContent() != null) {
          append(p.reasoning, d.reasoningContent());
        }
        if (d.toolCalls() != null) {
          for (ToolCallDelta t : d.toolCalls()) {
            String[] head = p.tools.computeIfAbsent(t.index(), i -> new String[3]);
            head[0] = head[0] == null ? t.id() : head[0];
            head[1] = head[1] == null ? t.type() : head[1];
            head[2] = head[2] == null ? t.name() : head[2];
            if (t.arguments() != null) {
              append(p.args.computeIfAbsent(t.index(), i -> new StringBuilder()), t.arguments());
            }
          }
        }
      }
      if (ch.finishReason() != null) {
        p.finish = ch.finishReason();
        if (Cacheability.refusedFinish(p.finish)) {
          spoil();
          return;
        }
      }
    }
  }

  private void append(StringBuilder sb, String s) {
    chars += s.length();
    if (chars > maxChars) {
      spoil();
      return;
    }
    sb.append(s);
  }

  private void spoil() {
    spoiled = true;
    choices.clear();
  }

  /** The stream ended normally with {@code usage} (the provider's final usage, null if none). */
  public void complete(TokenUsage usage) {
    completed = true;
    finalUsage = usage;
  }

  /** The stream failed after its first byte. */
  public void failed() {
    spoil();
  }

  /** The whole answer; null unless the stream completed normally with every choice finished. */
  public ChatResponse answer() {
    if (!completed || spoiled || choices.isEmpty()) {
      return null;
    }
    List<ChatCompletion.Choice> out = new ArrayList<>(choices.size());
    for (var e : choices.entrySet()) {
      ChoiceParts p = e.getValue();
      if (p.finish == null) {
        return null; // a choice that never finished is a partial answer
      }
      List<ToolCall> calls = null;
      if (!p.tools.isEmpty()) {
        calls = new ArrayList<>(p.tools.size());
        for (var t : p.tools.entrySet()) {
          String[] h = t.getValue();
          StringBuilder a = p.args.get(t.getKey());
          calls.add(new ToolCall(h[0], h[1] == null ? "function" : h[1], h[2] == null ? "" : h[2],
              a == null ? "" : a.toString()));
        }
      }
      MessageContent content = p.sawContent && (p.content.length() > 0 || calls == null)
          ? MessageContent.text(p.content.toString()) : null;
      out.add(new ChatCompletion.Choice(e.getKey(), new ChatMessage("assistant", content, null, calls, null,
          p.reasoning.length() == 0 ? null : p.reasoning.toString()), p.finish));
    }
    TokenUsage usage = finalUsage != null ? finalUsage : chunkUsage != null ? chunkUsage : TokenUsage.ZERO;
    return new ChatResponse(new ChatCompletion(id, created, model, out, usage.toOpenAi(), fingerprint), usage, null);
  }
}
