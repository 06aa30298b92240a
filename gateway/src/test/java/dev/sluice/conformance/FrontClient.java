package dev.sluice.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of one front door: writes a {@link ChatSpec} in the front's wire format, sends it with
 * the front's own way of authenticating, and reads the answer (whole, streamed or an error) back
 * into an {@link Answer}. Decoding is strict about the front's grammar: an event out of order is
 * an assertion failure, not something to skip.
 *
 * <p>Error kinds are normalized across fronts: {@code invalid_request}, {@code authentication},
 * {@code rate_limited}, {@code upstream_failed} (provider unusable: 5xx, rejected key, broken
 * stream), {@code overloaded}, {@code timeout}, {@code not_found}, {@code other}.
 */
interface FrontClient {
  ObjectMapper JSON = new ObjectMapper();

  /** A gateway answer and what the client made of it. */
  record Reply(HttpResponse<String> http, Answer answer) {}

  /** The endpoint path. */
  String path();

  /** The request body for {@code spec}. */
  String encode(ChatSpec spec);

  /** Adds this front's client authentication (and protocol headers) for the gateway key. */
  HttpRequest.Builder authenticate(HttpRequest.Builder request, String key);

  /** Reads the gateway's response. */
  Answer decode(HttpResponse<String> response);

  /** Where the gateway must put the request id for this front's SDKs, besides x-request-id; null if none. */
  String requestIdHeader();

  default Reply send(TestGateway gateway, ChatSpec spec) throws Exception {
    return send(gateway, encode(spec));
  }

  default Reply send(TestGateway gateway, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(path()))).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json");
    HttpResponse<String> res = gateway.http().send(authenticate(b, TestGateway.KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(res, decode(res));
  }

  static boolean isEventStream(HttpResponse<String> res) {
    return res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
