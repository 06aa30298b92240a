package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** By default a client that hangs up mid-stream does not cut billing short: the stream is drained. */
class ClientDisconnectDrainTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  @Test
  void theProvidersStreamIsReadToItsFinalUsageAfterTheClientLeaves() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).holdAfter(2, release));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), ""))) {
      RecordedRequest seen;
      try (RawHttpClient client = new RawHttpClient(gw.gateway().port(), 0)) {
        client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
        client.readUntil("\"Hel\"");
        seen = upstream.takeRequest();
      }
      Thread.sleep(200); // give the gateway time to notice the hang-up (it must not cancel)
      assertThat(seen.connectionClosed()).as("the provider call is still being read").isNotDone();
      release.complete(null);
      String metrics = "";
      for (int i = 0; i < 50 && !metrics.contains("type=\"output\"} 3.0"); i++) {
        Thread.sleep(50);
        metrics = gw.get("/metrics").body();
      }
      assertThat(metrics).as("the final usage was read and counted")
          .contains("sluice_tokens_total{model=\"chat\",provider=\"up\",type=\"output\"} 3.0")
          .contains("status=\"499\"");
    }
  }
}
