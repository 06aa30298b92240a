package dev.sluice.mock;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side HTTP client for the mock: sends one request with the Vert.x client and collects the
 * whole response, including a response that ends in a connection error (the body received so far
 * is kept, which is what the {@code cut_after} tests look at).
 */
final class MockHttp implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A finished exchange: {@code error} is set when the body ended abruptly. */
  record Result(int status, MultiMap headers, String body, Throwable error, long headersMillis) {

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The SSE events of the body; accepts LF and CRLF framing. */
    List<SseEvent> events() {
      List<SseEvent> events = new ArrayList<>();
      for (String block : body.replace("\r\n", "\n").split("\n\n")) {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
        }
        if (event != null || data.length() > 0) {
          events.add(new SseEvent(event, data.toString()));
        }
      }
      return events;
    }
  }

  /** One SSE event. */
  record SseEvent(String event, String data) {
    JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + data, e);
      }
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final String baseUrl;

  MockHttp(Vertx vertx, String baseUrl) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
    this.baseUrl = baseUrl;
  }

  /**
   * Sends and collects; {@code headers} alternate name, value.
   *
   * <p>The request is issued from a Vert.x context, not from the test thread: when a non-Vert.x
   * thread starts the chain, Vert.x 5 delivers the response future's callback as a separate task,
   * and a short response may already have ended by the time the body handlers are attached
   * ({@code IllegalStateException} from {@code handler()}).
   */
  Future<Result> send(HttpMethod method, String path, String body, String... headers) {
    Promise<Result> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v ->
        sendOnContext(method, path, body, headers).onComplete(result));
    return result.future();
  }

  private Future<Result> sendOnContext(HttpMethod method, String path, String body,
      String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(baseUrl + path);
    for (int i = 0; i < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    long start = System.nanoTime();
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> {
          long headersMillis = (System.nanoTime() - start) / 1_000_000;
          Promise<Result> done = Promise.promise();
          Buffer received = Buffer.buffer();
          response.handler(received::appendBuffer);
          response.exceptionHandler(e -> done.tryComplete(new Result(response.statusCode(),
              response.headers(), received.toString(), e, headersMillis)));
          response.endHandler(v -> done.tryComplete(new Result(response.statusCode(),
              response.headers(), received.toString(), null, headersMillis)));
          return done.future();
        });
  }

  Result post(String path, String body, String... headers) {
    return await(send(HttpMethod.POST, path, body, headers));
  }

  Result get(String path, String... headers) {
    return await(send(HttpMethod.GET, path, null, headers));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  @Override
  public void close() {
    await(client.close());
  }
}
