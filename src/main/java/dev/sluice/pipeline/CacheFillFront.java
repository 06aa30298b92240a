package dev.sluice.pipeline;

import dev.sluice.cache.StreamAccumulator;
import dev.sluice.core.ApiError;
import dev.sluice.core.ChatChunk;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * A request's front door, seen by its execution, that also keeps the answer it writes: the whole
 * answer it encodes, or the chunks of the stream it relays (folded into a whole answer when the
 * stream completes normally). What it kept goes to the response cache when the request ends well.
 * One per request; lives on the request's event loop.
 */
final class CacheFillFront implements FrontDoor {
  private final FrontDoor front;
  private final StreamAccumulator stream;
  private ChatResponse whole;

  CacheFillFront(FrontDoor front, long maxChars) {
    this.front = front;
    this.stream = new StreamAccumulator(maxChars);
  }

  /** The answer written to the client, or null when none was written whole or completed as a stream. */
  ChatResponse answer() {
    return whole != null ? whole : stream.answer();
  }

  @Override
  public String endpoint() {
    return front.endpoint();
  }

  @Override
  public ChatRequest parse(Buffer body) {
    return front.parse(body);
  }

  @Override
  public Buffer encodeResponse(ChatRequest request, ChatResponse response) {
    whole = response;
    return front.encodeResponse(request, response);
  }

  @Override
  public FrontStream newStream(ChatRequest request) {
    FrontStream inner = front.newStream(request);
    return new FrontStream() {
      @Override
      public void onChunk(ChatChunk chunk, Consumer<Buffer> write) {
        stream.add(chunk);
        inner.onChunk(chunk, write);
      }

      @Override
      public void onComplete(TokenUsage usage, Consumer<Buffer> write) {
        stream.complete(usage);
        inner.onComplete(usage, write);
      }

      @Override
      public void onError(ApiError error, Consumer<Buffer> write) {
        stream.failed();
        inner.onError(error, write);
      }
    };
  }

  @Override
  public Buffer errorBody(ApiError error) {
    return front.errorBody(error);
  }

  @Override
  public String requestIdHeader() {
    return front.requestIdHeader();
  }
}
