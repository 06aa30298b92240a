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
 * A request's front door, seen by its execution, that also hands the answer it writes to the
 * response cache: the whole answer as it is encoded, or the chunks of the stream it relays, folded
 * into a whole answer and handed over when the stream completes normally (a stream that fails or
 * whose client leaves never completes). Either happens before the answer's last bytes are written,
 * so an identical request that follows the answer finds it stored. One per request; lives on the
 * request's event loop.
 */
final class CacheFillFront implements FrontDoor {
  private final FrontDoor front;
  private final StreamAccumulator stream;
  private final java.util.function.Consumer<ChatResponse> answered;

  /** @param answered gets the answer written to the client, once, if it was written whole or streamed to its end */
  CacheFillFront(FrontDoor front, long maxChars, java.util.function.Consumer<ChatResponse> answered) {
    this.front = front;
    this.stream = new StreamAccumulator(maxChars);
    this.answered = answered;
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
    answered.accept(response);
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
        ChatResponse whole = stream.answer();
        if (whole != null) {
          answered.accept(whole);
        }
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
