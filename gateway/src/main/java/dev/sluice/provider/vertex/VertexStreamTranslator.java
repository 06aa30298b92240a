package dev.sluice.provider.vertex;

import dev.sluice.core.ChatChunk;
import dev.sluice.core.TokenUsage;
import dev.sluice.provider.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A Vertex stream of either family, handed to the family's own translator once its first
 * non-blank byte tells which: Anthropic's SSE opens with an {@code event:} line, Gemini's with
 * {@code data:}. Bytes before that (blank lines, or nothing yet) are kept and passed on with the
 * rest, so any split of the stream gives the same chunks. Not thread-safe, like every translator.
 */
final class VertexStreamTranslator implements StreamTranslator {
  private final Supplier<StreamTranslator> anthropic;
  private final Supplier<StreamTranslator> gemini;
  private StreamTranslator family;
  private Buffer held;

  VertexStreamTranslator(Supplier<StreamTranslator> anthropic, Supplier<StreamTranslator> gemini) {
    this.anthropic = anthropic;
    this.gemini = gemini;
  }

  @Override
  public void onBytes(Buffer bytes, Consumer<ChatChunk> out) {
    if (family != null) {
      family.onBytes(bytes, out);
      return;
    }
    for (int i = 0; i < bytes.length(); i++) {
      byte b = bytes.getByte(i);
      if (b != ' ' && b != '\r' && b != '\n' && b != '\t') {
        family = b == 'e' ? anthropic.get() : gemini.get();
        if (held != null) {
          family.onBytes(held, out);
          held = null;
        }
        family.onBytes(bytes, out);
        return;
      }
    }
    held = held == null ? bytes.copy() : held.appendBuffer(bytes);
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    if (family == null) {
      family = gemini.get(); // nothing but blanks: either translator reports the stream as cut
      if (held != null) {
        family.onBytes(held, out);
      }
    }
    family.onEnd(out);
  }

  @Override
  public boolean completed() {
    return family != null && family.completed();
  }

  @Override
  public TokenUsage usage() {
    return family == null ? TokenUsage.ZERO : family.usage();
  }
}
