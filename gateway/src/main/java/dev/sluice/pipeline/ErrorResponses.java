package dev.sluice.pipeline;

import dev.sluice.core.ApiError;
import io.vertx.core.http.HttpServerResponse;

/** Writes a whole error response in the request's front-door format. */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** Ends {@code response} with the error unless something was already sent. */
  public static void write(HttpServerResponse response, FrontDoor front, ApiError e) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(e.status()).putHeader("content-type", "application/json");
    if ((e.status() == 429 || e.status() == 503) && !response.headers().contains("retry-after")) {
      response.putHeader("retry-after", "1");
    }
    response.end(front.errorBody(e));
  }
}
