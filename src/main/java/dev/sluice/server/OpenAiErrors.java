package dev.sluice.server;

import dev.sluice.api.openai.OpenAiError;
import dev.sluice.core.ApiError;
import dev.sluice.core.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes errors in OpenAI's shape: as a whole response, or as a terminal stream event. */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static Buffer body(ApiError e) {
    return Json.toBuffer(new OpenAiError(e.message(), e.type(), e.param(), e.code()).toJson());
  }

  /** Ends {@code response} with the error unless something was already sent. */
  static void write(HttpServerResponse response, ApiError e) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(e.status()).putHeader("content-type", "application/json");
    if (e.status() == 429 || e.status() == 503) {
      response.putHeader("retry-after", "1");
    }
    response.end(body(e));
  }

  /** The error as an SSE event, the way OpenAI ends a stream that failed after it began. */
  static Buffer streamEvent(ApiError e) {
    return Buffer.buffer("data: ").appendBuffer(body(e)).appendString("\n\n");
  }
}
