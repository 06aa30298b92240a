package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streams are relayed event by event, end cleanly or with a terminal error event, and respect the client. */
class StreamingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    // Idle 3 s: tests that hold a stream open on purpose must not race the idle timeout on a loaded
    // machine; the one test of the idle timeout waits for it.
    gateway = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(),
        "timeouts: { first_token: 2s, idle: 3s, total: 20s }")
        .replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, on_client_disconnect: cancel,"));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void eachEventReachesTheClientBeforeTheUpstreamSendsTheNext() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(2, release));

    try (RawHttpClient client = new RawHttpClient(gateway.gateway().port(), 0)) {
      client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
      // The upstream holds after "Hel": the client can only see it if nothing is buffered.
      String soFar = client.readUntil("\"Hel\"");
      assertThat(soFar).contains("text/event-stream").doesNotContain("\"lo\"");
      release.complete(null);
      assertThat(client.readUntil("data: [DONE]")).contains("\"lo\"");
    }
  }

  @Test
  void theEventsBeforeTheFirstTokenLeaveWithItInOneWrite() throws Exception {
    // Sluice holds the role event until the first token (retries stay possible until then); both then
    // go out with the head in one write, so the client has its first token in its first read of the
    // body: one HTTP chunk holding both events.
    CompletableFuture<Void> release = new CompletableFuture<>();
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(2, release));

    try (RawHttpClient client = new RawHttpClient(gateway.gateway().port(), 0)) {
      client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
      client.readUntil("\"Hel\"");
      release.complete(null);
      String all = client.readUntil("data: [DONE]");
      String body = all.substring(all.indexOf("\r\n\r\n") + 4);
      int sizeEnd = body.indexOf("\r\n");
      int size = Integer.parseInt(body.substring(0, sizeEnd).trim(), 16);
      String firstChunk = body.substring(sizeEnd + 2, sizeEnd + 2 + size);
      assertThat(Sse.dataLines(firstChunk)).hasSize(2);
      assertThat(firstChunk).contains("\"role\":\"assistant\"").contains("\"Hel\"").doesNotContain("\"lo\"");
    }
  }

  @Test
  void upstreamCutAfterFirstChunkEndsWithATerminalErrorEvent() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).cutAfter(2));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));

    assertThat(res.statusCode()).isEqualTo(200);
    List<String> data = Sse.dataLines(res.body());
    assertThat(data).hasSize(3).doesNotContain("[DONE]");
    assertThat(Sse.json(data.get(2)).get("error").get("code").asText()).isIn("stream_cut", "connection");
    assertThat(upstream.requestCount()).isEqualTo(1); // never retried after the first byte
  }

  @Test
  void providerErrorEventMidStreamIsRelayedAsTerminalError() throws Exception {
    List<String> chunks = new ArrayList<>(OpenAiFixtures.helloStream().subList(0, 2));
    chunks.add("{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}");
    upstream.enqueue(FakeResponse.openAiStream(chunks));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));

    List<String> data = Sse.dataLines(res.body());
    assertThat(data).hasSize(3).doesNotContain("[DONE]");
    assertThat(Sse.json(data.get(2)).get("error").get("message").asText()).contains("The server had an error");
  }

  @Test
  void silenceMidStreamBeyondTheIdleTimeoutEndsWithATerminalErrorEvent() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(2, new CompletableFuture<>()));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));

    List<String> data = Sse.dataLines(res.body());
    assertThat(data).hasSize(3);
    assertThat(Sse.json(data.get(2)).get("error").get("message").asText()).contains("idle timeout");
  }

  @Test
  void upstreamErrorBeforeTheFirstByteIsAPlainErrorResponse() throws Exception {
    upstream.enqueue(FakeResponse.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));

    HttpResponse<String> res = gateway.post("/v1/chat/completions", OpenAiFixtures.streamRequest(false));

    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(Sse.json(res.body()).get("error").get("message").asText()).contains("overloaded");
  }

  @Test
  void clientDisconnectMidStreamCancelsTheUpstreamCall() throws Exception {
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(2, new CompletableFuture<>()));

    RecordedRequest seen;
    try (RawHttpClient client = new RawHttpClient(gateway.gateway().port(), 0)) {
      client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
      client.readUntil("\"Hel\"");
      seen = upstream.takeRequest();
      assertThat(seen.connectionClosed()).isNotDone();
    }
    seen.connectionClosed().get(5, TimeUnit.SECONDS); // the gateway hung up on the provider too
    // The upstream is closed just before the request is recorded, on the event loop: a scrape right
    // after the close can come in between (seen on a loaded machine), so poll briefly.
    String metrics = gateway.get("/metrics").body();
    for (int i = 0; i < 50 && !metrics.contains("status=\"499\""); i++) {
      Thread.sleep(20);
      metrics = gateway.get("/metrics").body();
    }
    assertThat(metrics).contains("status=\"499\"");
  }

  @Test
  void aClientThatStopsReadingPausesTheUpstream() throws Exception {
    String filler = "x".repeat(16 * 1024);
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 4096; i++) { // 64 MiB in all
      chunks.add(OpenAiFixtures.chunk("{\"content\":\"" + filler + "\"}", null));
    }
    chunks.add(OpenAiFixtures.chunk("{}", "stop"));
    FakeResponse stream = FakeResponse.openAiStream(chunks);
    upstream.enqueue(stream);

    try (RawHttpClient client = new RawHttpClient(gateway.gateway().port(), 64 * 1024)) {
      client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
      client.readUntil("data: ");
      long before = -1;
      long now = stream.bytesSent.get();
      for (int i = 0; i < 50 && now != before; i++) { // wait until the upstream stalls
        Thread.sleep(100);
        before = now;
        now = stream.bytesSent.get();
      }
      assertThat(now).as("upstream must stall while the client reads nothing").isLessThan(32L * 1024 * 1024);
      long read = client.drainUntil("data: [DONE]");
      assertThat(read).isGreaterThan(64L * 1024 * 1024);
    }
  }
}
