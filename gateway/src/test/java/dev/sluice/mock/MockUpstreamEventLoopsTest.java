package dev.sluice.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A mock on several event loops (one server each, sharing the port) answers every connection and
 * counts them all in one place: {@code /mock/stats} and the connection count are the whole mock's,
 * whichever loop took the connection.
 */
class MockUpstreamEventLoopsTest extends MockServerTestBase {

  @Test
  void everyConnectionIsServedAndCountedWhicheverLoopTakesIt() throws Exception {
    int port = freePort();
    MockUpstream three = start(MockUpstreamOptions.builder().port(port).eventLoops(3).build());
    try {
      for (int i = 0; i < 9; i++) {
        // A new client each time: a new connection, which Vert.x hands to the servers in turn.
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = fresh.send(HttpRequest.newBuilder(URI.create(three.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chatBody("hi", false))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      HttpResponse<String> stats = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(three.baseUrl()
          + "/mock/stats")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(stats.body()).isEqualTo("{\"requests\":9}");
      assertThat(three.connectionsAccepted()).isEqualTo(10);
    } finally {
      MockHttp.await(three.close());
    }
  }

  @Test
  void eventLoopsOutsideOneToSixtyFourAreRefused() {
    assertThatThrownBy(() -> MockUpstreamOptions.builder().eventLoops(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventLoops");
    assertThatThrownBy(() -> MockUpstreamOptions.builder().port(8090).eventLoops(65).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventLoops");
    assertThatThrownBy(() -> MockUpstreamOptions.builder().eventLoops(2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed port");
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
