package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that send too slowly are cut off (header, body and idle deadlines, over raw sockets),
 * while a slow provider or a long stream to a client that sent its request whole is never cut.
 */
class ClientTimeoutsEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private TestGateway start(String limits) throws Exception {
    return TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "")
        .replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, " + limits + ","));
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(30_000);
    return s;
  }

  static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection (30 s at most, else the test fails). */
  static String readToClose(Socket s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection; got: " + out.toString(StandardCharsets.UTF_8), e);
    } catch (IOException reset) {
      // a reset is a close too
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** One response with a content-length body, leaving the connection open. */
  static String readResponse(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed in the response head: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = Integer.parseInt(h.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void threeHundredClientsStalledInTheirHeadersAreAllDisconnectedAtTheHeaderTimeout() throws Exception {
    int clients = 300;
    try (TestGateway gw = start("header_timeout: 1s"); Selector selector = Selector.open()) {
      long start = System.nanoTime();
      byte[] partial = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
      List<SocketChannel> open = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", gw.gateway().port()));
        c.write(ByteBuffer.wrap(partial));
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, i);
        open.add(c);
      }
      long[] closedAtMs = new long[clients];
      Arrays.fill(closedAtMs, -1);
      int stillOpen = clients;
      long bytesReceived = 0;
      ByteBuffer buf = ByteBuffer.allocate(4096);
      long giveUp = start + TimeUnit.SECONDS.toNanos(60);
      while (stillOpen > 0 && System.nanoTime() < giveUp) {
        selector.select(500);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          SocketChannel c = (SocketChannel) key.channel();
          buf.clear();
          int n;
          try {
            n = c.read(buf);
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0) {
            closedAtMs[(Integer) key.attachment()] = (System.nanoTime() - start) / 1_000_000;
            key.cancel();
            c.close();
            stillOpen--;
          } else {
            bytesReceived += n;
          }
        }
      }
      open.forEach(c -> {
        try {
          c.close();
        } catch (IOException ignored) {
          // closing what is left
        }
      });
      long openAfter2s = Arrays.stream(closedAtMs).filter(t -> t < 0 || t > 2000).count();
      long last = Arrays.stream(closedAtMs).max().orElse(-1);
      System.out.printf("stalled clients: %d, still open 2 s after the start (header_timeout 1 s): %d, "
          + "first closed at %d ms, last at %d ms%n", clients, openAfter2s,
          Arrays.stream(closedAtMs).min().orElse(-1), last);
      assertThat(stillOpen).as("connections still open after 60 s").isZero();
      assertThat(Arrays.stream(closedAtMs).min().orElseThrow()).as("none closed before the header timeout")
          .isGreaterThanOrEqualTo(1000);
      assertThat(bytesReceived).as("cut without an answer").isZero();
      // The gateway is still there for well-behaved clients.
      assertThat(gw.get("/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aClientTricklingItsHeadersIsCutAtTheHeaderTimeout() throws Exception {
    try (TestGateway gw = start("header_timeout: 1s"); Socket s = connect(gw.gateway().port())) {
      long start = System.nanoTime();
      send(s, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      CompletableFuture<Integer> trickled = CompletableFuture.supplyAsync(() -> {
        int sent = 0;
        try {
          // One byte every 100 ms: 30 s of header if nobody stops it.
          for (; sent < 300; sent++) {
            s.getOutputStream().write('X');
            s.getOutputStream().flush();
            Thread.sleep(100);
          }
        } catch (IOException | InterruptedException cut) {
          // the server closed the connection
        }
        return sent;
      });
      String got = readToClose(s);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(got).as("cut without an answer").isEmpty();
      assertThat(elapsedMs).isGreaterThanOrEqualTo(1000);
      s.close();
      assertThat(trickled.get(40, TimeUnit.SECONDS)).as("bytes trickled before the cut").isLessThan(300);
    }
  }

  @Test
  void aKeepAliveConnectionOutlivesTheHeaderTimeoutThenClosesAtTheIdleTimeout() throws Exception {
    try (TestGateway gw = start("header_timeout: 300ms, idle_timeout: 5s"); Socket s = connect(gw.gateway().port())) {
      String request = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      send(s, request);
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
      Thread.sleep(1000); // idle between requests for longer than the header timeout
      long sent = System.nanoTime();
      send(s, request);
      assertThat(readResponse(s)).as("the same connection answers again").startsWith("HTTP/1.1 200");
      assertThat(readToClose(s)).isEmpty();
      assertThat((System.nanoTime() - sent) / 1_000_000).as("closed no sooner than the idle timeout")
          .isGreaterThanOrEqualTo(5000);
    }
  }

  @Test
  void aKeepAliveConnectionsNextRequestStallingInItsHeadersIsCutAtTheHeaderTimeoutNotTheIdleOne() throws Exception {
    try (TestGateway gw = start("header_timeout: 500ms, idle_timeout: 60s"); Socket s = connect(gw.gateway().port())) {
      send(s, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
      Thread.sleep(1000); // past the first header limit: the connection's pending timer is the idle one
      long started = System.nanoTime();
      send(s, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and nothing more
      s.setSoTimeout(20_000); // the idle timeout (60 s) is far beyond this
      assertThat(readToClose(s)).as("cut without an answer").isEmpty();
      assertThat((System.nanoTime() - started) / 1_000_000).as("no sooner than the header timeout")
          .isGreaterThanOrEqualTo(500);
    }
  }

  @Test
  void aClientStallingInItsBodyGets408InItsApiFormatAndIsDisconnected() throws Exception {
    try (TestGateway gw = start("body_timeout: 500ms")) {
      String head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestGateway.KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":";
      try (Socket s = connect(gw.gateway().port())) {
        send(s, head.formatted("/v1/chat/completions"));
        String got = readToClose(s);
        assertThat(got).startsWith("HTTP/1.1 408").contains("connection: close");
        var error = Sse.json(got.substring(got.indexOf("\r\n\r\n") + 4)).get("error");
        assertThat(error.get("code").asText()).isEqualTo("request_timeout");
        assertThat(error.get("message").asText()).contains("did not arrive within 500 ms");
      }
      try (Socket s = connect(gw.gateway().port())) {
        send(s, head.formatted("/v1/messages"));
        String got = readToClose(s);
        assertThat(got).startsWith("HTTP/1.1 408");
        var body = Sse.json(got.substring(got.indexOf("\r\n\r\n") + 4));
        assertThat(body.get("type").asText()).isEqualTo("error"); // Anthropic's shape
        assertThat(body.get("error").get("message").asText()).contains("did not arrive");
      }
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void aSlowProviderAndALongStreamAreNotCutByTheClientTimeouts() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    // The provider takes 1.5 s to start, then holds the stream after "Hel".
    upstream.enqueue(FakeResponse.openAiStream(OpenAiFixtures.helloStream()).latency(1500).holdAfter(2, release));
    try (TestGateway gw = start("header_timeout: 300ms, body_timeout: 300ms, idle_timeout: 300ms");
        RawHttpClient client = new RawHttpClient(gw.gateway().port(), 0)) {
      client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
      assertThat(client.readUntil("\"Hel\"")).contains("200 OK");
      Thread.sleep(1500); // the stream is silent for five times every client timeout
      release.complete(null);
      assertThat(client.readUntil("data: [DONE]")).contains("\"lo\"");
    }
  }
}
