package dev.sluice.server.anthropic;

import dev.sluice.api.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.api.openai.ChatCompletionChunk.Delta;
import dev.sluice.api.openai.ChatCompletionChunk;
import dev.sluice.api.openai.ToolCallDelta;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.pipeline.FrontStream;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Canonical chunks → Anthropic's stream grammar: {@code message_start} and {@code ping} first; then
 * per content block {@code content_block_start}, its deltas, {@code content_block_stop} (when the
 * next block starts or the message ends); last {@code message_delta} and {@code message_stop}. One
 * per request; not thread-safe; lives on the request's event loop.
 *
 * <p>Block indexes count every block, whatever its kind: reasoning opens a thinking block, content
 * a text block, and each OpenAI tool-call index gets a new tool_use block on its first fragment.
 * The stop reason and usage are written at {@link #onComplete}, not at the finish chunk, because an
 * OpenAI stream reports its usage in a chunk after the finish. Once complete or failed, further
 * calls write nothing.
 *
 * <p>A fragment for a tool call whose block already stopped (an upstream interleaving parallel calls,
 * which OpenAI and Anthropic never do) is still sent, at that block's index: the SDKs accumulate by
 * index, so the final message is right.
 *
 * <p>When the upstream is Anthropic, its chunks carry its own events ({@link ChatChunk#anthropicSse()})
 * and this stream relays them byte for byte instead (thinking signatures, redacted thinking,
 * {@code stop_sequence}, the cache fields of {@code message_start} usage); a canonical chunk without
 * them is then ignored, and the relayed {@code message_stop} ends the stream.
 */
final class AnthropicFrontStream implements FrontStream {
  private enum Kind { NONE, TEXT, THINKING, TOOL }

  private final MessageIds ids;
  private final String requestModel;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>(4); // OpenAI tool index → block index
  private boolean started;
  private boolean finished;
  private boolean relaying;
  private int nextIndex;
  private Kind open = Kind.NONE;
  private int openIndex = -1;
  private String finishReason;
  private TokenUsage chunkUsage;

  AnthropicFrontStream(ChatRequest request, MessageIds ids) {
    this.ids = ids;
    this.requestModel = request.model();
  }

  @Override
  public void onChunk(ChatChunk chunk, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    if (chunk.error() != null) {
      onError(chunk.error(), write);
      return;
    }
    if (chunk.anthropicSse() != null && !started) {
      relaying = true;
    }
    if (relaying) {
      if (chunk.anthropicSse() != null) {
        write.accept(chunk.anthropicSse());
        finished = chunk.isUsageOnly(); // the translator's last chunk: it carries message_stop
      }
      return;
    }
    ChatCompletionChunk c = chunk.chunk();
    if (c == null) {
      return;
    }
    start(c.id(), c.model(), write);
    if (c.usage() != null) {
      chunkUsage = TokenUsage.fromOpenAi(c.usage());
    }
    for (ChunkChoice choice : c.choices()) {
      if (choice.index() != 0) {
        continue; // Anthropic answers with one message; the front never asks for more choices
      }
      Delta delta = choice.delta();
      if (delta != null) {
        thinking(delta.reasoningContent(), write);
        text(delta.content(), write);
        if (delta.toolCalls() != null) {
          for (ToolCallDelta call : delta.toolCalls()) {
            tool(call, write);
          }
        }
      }
      if (choice.finishReason() != null) {
        finishReason = choice.finishReason();
      }
    }
  }

  @Override
  public void onComplete(TokenUsage usage, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    if (relaying) {
      finished = true; // an Anthropic stream without message_stop: nothing honest to add
      return;
    }
    start(null, null, write);
    close(write);
    finished = true;
    TokenUsage finalUsage = usage != null ? usage : chunkUsage != null ? chunkUsage : TokenUsage.ZERO;
    write.accept(AnthropicSse.messageDelta(StopReasons.of(finishReason, !toolBlocks.isEmpty()), finalUsage));
    write.accept(AnthropicSse.messageStop());
  }

  @Override
  public void onError(ApiError error, Consumer<Buffer> write) {
    if (finished) {
      return;
    }
    finished = true;
    write.accept(AnthropicSse.error(AnthropicErrorBodies.type(error), error.message() == null ? "" : error.message()));
  }

  private void start(String completionId, String model, Consumer<Buffer> write) {
    if (started) {
      return;
    }
    started = true;
    // Input tokens are not known before an OpenAI-shaped stream ends; message_delta carries them.
    write.accept(AnthropicSse.messageStart(ids.messageId(completionId), model != null && !model.isEmpty() ? model : requestModel, 0));
    write.accept(AnthropicSse.ping());
  }

  private void text(String text, Consumer<Buffer> write) {
    if (text == null || text.isEmpty()) {
      return; // OpenAI's role chunk carries content "": no block for it
    }
    if (open != Kind.TEXT) {
      open(Kind.TEXT, write);
      write.accept(AnthropicSse.textStart(openIndex));
    }
    write.accept(AnthropicSse.textDelta(openIndex, text));
  }

  private void thinking(String text, Consumer<Buffer> write) {
    if (text == null || text.isEmpty()) {
      return;
    }
    if (open != Kind.THINKING) {
      open(Kind.THINKING, write);
      write.accept(AnthropicSse.thinkingStart(openIndex));
    }
    write.accept(AnthropicSse.thinkingDelta(openIndex, text));
  }

  private void tool(ToolCallDelta call, Consumer<Buffer> write) {
    Integer block = toolBlocks.get(call.index());
    if (block == null) {
      open(Kind.TOOL, write);
      block = openIndex;
      toolBlocks.put(call.index(), block);
      write.accept(AnthropicSse.toolUseStart(block, ids.toolUseId(call.id()), call.name() == null ? "" : call.name()));
    }
    String fragment = call.arguments();
    if (fragment != null && !fragment.isEmpty()) {
      write.accept(AnthropicSse.inputJsonDelta(block, fragment));
    }
  }

  /** Stops the open block and opens a new one of {@code kind} at the next index. */
  private void open(Kind kind, Consumer<Buffer> write) {
    close(write);
    open = kind;
    openIndex = nextIndex++;
  }

  private void close(Consumer<Buffer> write) {
    if (open != Kind.NONE) {
      write.accept(AnthropicSse.blockStop(openIndex));
      open = Kind.NONE;
    }
  }
}
