package dev.sluice.server;

import static dev.sluice.server.ClientTimeoutsEndToEndTest.connect;
import static dev.sluice.server.ClientTimeoutsEndToEndTest.readResponse;
import static dev.sluice.server.ClientTimeoutsEndToEndTest.readToClose;
import static dev.sluice.server.ClientTimeoutsEndToEndTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Open connections are capped per remote address and for the whole gateway, across all its front
 * verticles; a connection over a cap gets a 503 and is closed, and closing one makes room.
 */
class ConnectionCapsEndToEndTest {
  private static final String PING = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private TestGateway start(String limits) throws Exception {
    return TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "")
        .replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, " + limits + ","));
  }

  /** Opens a connection and asks for /health/live: the status line's code, or 0 if it was cut first. */
  private static int ping(Socket s) {
    try {
      send(s, PING);
      String got = readResponse(s);
      return Integer.parseInt(got.substring(9, 12));
    } catch (IOException | RuntimeException cut) {
      return 0;
    }
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Test
  void theCapPerAddressHoldsAndClosingAConnectionMakesRoom() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (TestGateway gw = start("max_connections_per_ip: 5")) {
      int admitted = 0;
      int refused = 0;
      for (int i = 0; i < 50; i++) {
        Socket s = connect(gw.gateway().port());
        sockets.add(s);
        if (ping(s) == 200) {
          admitted++;
        } else {
          refused++;
        }
      }
      System.out.printf("max_connections_per_ip 5: of 50 connections from one address, %d admitted, %d refused%n",
          admitted, refused);
      assertThat(admitted).isEqualTo(5);
      assertThat(sockets.subList(0, 5)).as("the first five stay open and keep answering")
          .allSatisfy(s -> assertThat(ping(s)).isEqualTo(200));

      try (Socket over = connect(gw.gateway().port())) {
        String refusal = readToClose(over); // written at accept, before any request
        assertThat(refusal).startsWith("HTTP/1.1 503").contains("retry-after: 1");
        assertThat(Sse.json(refusal.substring(refusal.indexOf("\r\n\r\n") + 4)).get("error").get("message").asText())
            .contains("Too many open connections from 127.0.0.1").contains("limit is 5");
      }

      sockets.get(0).close();
      sockets.get(1).close();
      int code = 0;
      for (int attempt = 0; attempt < 100 && code != 200; attempt++) { // the server sees the close shortly
        try (Socket s = connect(gw.gateway().port())) {
          code = ping(s);
        }
        if (code != 200) {
          Thread.sleep(100);
        }
      }
      assertThat(code).as("a closed connection frees its place").isEqualTo(200);
    } finally {
      closeAll(sockets);
    }
  }

  @Test
  void theGatewayCapCountsConnectionsOnEveryFront() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (TestGateway gw = start("max_connections: 3")) {
      int admitted = 0;
      for (int i = 0; i < 12; i++) { // spread by the kernel over the fronts (one per core)
        Socket s = connect(gw.gateway().port());
        sockets.add(s);
        if (ping(s) == 200) {
          admitted++;
        }
      }
      assertThat(admitted).isEqualTo(3);
      try (Socket over = connect(gw.gateway().port())) {
        assertThat(readToClose(over)).startsWith("HTTP/1.1 503").contains("The gateway has too many open connections");
      }
    } finally {
      closeAll(sockets);
    }
  }
}
