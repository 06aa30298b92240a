package dev.sluice.mock;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request/response pair with the fault spec that governs it. All writes go through here so
 * that the body-level faults ({@code cut_after}, {@code chunk_delay}) and the "connection already
 * gone" guard are applied in one place, whichever wire format is answering.
 */
final class MockExchange {

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final String path;
  private final FaultSpec spec;
  private final MockResponder responder;

  MockExchange(Vertx vertx, HttpServerRequest request, String path, FaultSpec spec,
      MockResponder responder) {
    this.vertx = vertx;
    this.request = request;
    this.path = path;
    this.spec = spec;
    this.responder = responder;
  }

  Vertx vertx() {
    return vertx;
  }

  HttpServerRequest request() {
    return request;
  }

  /** The request path with any {@code /fault/<spec>} prefix removed. */
  String path() {
    return path;
  }

  FaultSpec spec() {
    return spec;
  }

  /** False once the client went away or a response was completed; timers check it before acting. */
  boolean isOpen() {
    HttpServerResponse response = request.response();
    return !response.closed() && !response.ended();
  }

  /** The deterministic answer to {@code lastUserText}, lengthened by the {@code words} fault. */
  MockAnswer answer(String lastUserText) {
    return MockAnswer.forPrompt(lastUserText, spec.words());
  }

  /** Unix time in seconds, as the providers' {@code created} fields use. */
  long nowEpochSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * Sends a successful JSON response. Under {@code cut_after}, the headers announce the full
   * length but only half the body is sent before the connection is closed, so a client sees a
   * truncated body rather than a well-formed short one.
   */
  void sendJson(JsonNode body) {
    if (!isOpen()) {
      return;
    }
    byte[] bytes = MockJson.write(body).getBytes(StandardCharsets.UTF_8);
    HttpServerResponse response = request.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length));
    if (spec.cutAfter().isPresent()) {
      response.write(Buffer.buffer(bytes).slice(0, bytes.length / 2))
          .onComplete(ignored -> abort()); // close only once the half is flushed
    } else {
      response.end(Buffer.buffer(bytes));
    }
  }

  /**
   * Sends an error in this exchange's wire format. 429, 503 and 529 (Anthropic's "overloaded")
   * carry {@code Retry-After} because that is what clients and the gateway's retry logic key on.
   */
  void sendError(int status, String message) {
    if (!isOpen()) {
      return;
    }
    HttpServerResponse response = request.response().setStatusCode(status);
    if (status == 429 || status == 503 || status == 529) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(spec.retryAfterSeconds()));
    }
    responder.addErrorHeaders(status, spec, response.headers());
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(MockJson.write(responder.errorBody(status, message)));
  }

  /**
   * Streams pre-framed events (SSE or JSON-array pieces), honouring {@code chunk_delay} and
   * {@code cut_after}.
   */
  void stream(String contentType, List<String> frames) {
    if (isOpen()) {
      new EventStreamWriter(this, contentType, frames).start();
    }
  }

  /**
   * Ends the exchange without finishing the response: "the provider died". On HTTP/1.x this closes
   * the TCP connection (Vert.x closes the socket at once even with a response in flight). On HTTP/2
   * the connection carries other requests' streams, so only this stream is reset (RST_STREAM), as a
   * provider's front end does when one request fails.
   */
  void abort() {
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset();
    } else {
      request.connection().close();
    }
  }
}
