package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import java.util.concurrent.CompletableFuture;

/** A request the {@link FakeUpstream} received, and a future that completes when its connection closes. */
public record RecordedRequest(String method, String uri, MultiMap headers, String body,
    CompletableFuture<Void> connectionClosed) {

  public JsonNode json() {
    try {
      return new ObjectMapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError("upstream request body is not JSON: " + body, e);
    }
  }

  public String header(String name) {
    return headers.get(name);
  }
}
