package dev.sluice.pipeline;

import dev.sluice.core.ApiError;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * One client-facing wire format (OpenAI Chat Completions, Anthropic Messages): how its requests
 * become canonical, and how canonical answers, streams and errors are written back in it. Stateless
 * and thread-safe; per-request stream state lives in the {@link FrontStream} it creates.
 */
public interface FrontDoor {

  /** The metrics name of the endpoint ("chat", "messages"). */
  String endpoint();

  /**
   * Parses and validates a request body into the canonical form.
   *
   * @throws FrontDoorException carrying a 400 that names the bad field
   */
  ChatRequest parse(Buffer body);

  /** The non-streamed answer in this format. */
  Buffer encodeResponse(ChatRequest request, ChatResponse response);

  /** A fresh encoder for one streamed answer. */
  FrontStream newStream(ChatRequest request);

  /** An error as a whole response body in this format (always JSON). */
  Buffer errorBody(ApiError error);

  /** A header this format's SDKs read the request id from, besides {@code x-request-id}; null if none. */
  default String requestIdHeader() {
    return null;
  }

  /** A request that fails validation; carries the error the client gets. */
  final class FrontDoorException extends RuntimeException {
    private final transient ApiError error;

    public FrontDoorException(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }
}
