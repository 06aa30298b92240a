package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.HttpsMock;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider reached over HTTPS, as every hosted provider is: Sluice offers HTTP/2 by ALPN and the
 * built-in mock (with a certificate) accepts it, so concurrent streams share a connection. The
 * provider's certificate is signed by an authority the JVM does not know (a self-hosted model server
 * behind a private CA); {@code ca_file} names it. Real sockets, real TLS, a certificate made by the
 * JDK's keytool for this run.
 */
class UpstreamTlsEndToEndTest {
  private static final String STREAM_REQUEST = "{\"model\":\"chat\",\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story.\"}]}";

  @TempDir
  static Path dir;

  @RegisterExtension
  static final HttpsMock https = new HttpsMock();

  private static String config(String fault, String caFileLine) {
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: private, type: openai-compatible, base_url: "%s/fault/%s/v1" %s}
        models:
          - { name: chat, targets: [ { provider: private, model: m } ] }
        keys:
          - { key: %s, name: app }
        """.formatted(https.mock().baseUrl(), fault, caFileLine, TestGateway.KEY);
  }

  private static String trusting() {
    return ", ca_file: \"" + https.authority() + "\" ";
  }

  @Test
  void aProviderBehindAPrivateAuthorityAnswers() throws Exception {
    assertThat(https.mock().baseUrl()).startsWith("https://");
    try (TestGateway gw = TestGateway.start(config("latency=1ms", trusting()))) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", OpenAiFixtures.SIMPLE_REQUEST);

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"choices\"").contains("\"usage\"");
    }
  }

  @Test
  void concurrentStreamsShareConnectionsAndALeavingClientEndsOnlyItsOwnStream() throws Exception {
    try (TestGateway gw = TestGateway.start(config("chunk_delay=100ms,words=100", trusting()))) {
      long before = https.mock().connectionsAccepted();
      int port = gw.gateway().port();
      List<RawHttpClient> clients = new ArrayList<>();
      try {
        // One at a time, each after the previous one's first token, so the client that leaves below has
        // a stream of its own on a connection others use. (Streams asking at the same instant share the
        // connection being opened too: upstream/Http2ConnectGateTest.)
        for (int i = 0; i < 6; i++) {
          RawHttpClient c = new RawHttpClient(port, 0, 60_000); // its own connection: spread over the front loops
          clients.add(c);
          c.post("/v1/chat/completions", TestGateway.KEY, STREAM_REQUEST);
          assertThat(c.readUntil("\"content\"")).startsWith("HTTP/1.1 200");
        }
        // Every stream is open now; one client goes away.
        clients.get(0).close();

        for (RawHttpClient c : clients.subList(1, clients.size())) {
          String body = c.readUntil("data: [DONE]");
          String text = String.join("", Sse.dataLines(body.substring(body.indexOf("\r\n\r\n"))).stream()
              .filter(d -> !d.equals("[DONE]")).map(Sse::json)
              .filter(j -> j.path("choices").size() > 0)
              .map(j -> j.path("choices").get(0).path("delta").path("content").asText("")).toList());
          assertThat(text).as("every word of the stream arrived").startsWith("This is a mock response to: Tell me a story.");
          assertThat(text.split(" ")).as("every word of the stream arrived").hasSize(10 + 100);
        }
      } finally {
        for (RawHttpClient c : clients) {
          c.close();
        }
      }
      int loops = Math.max(1, Runtime.getRuntime().availableProcessors()); // each front loop has its own pool
      assertThat(https.mock().connectionsAccepted() - before)
          .as("six streams over HTTP/2 need at most one connection per event loop, not one each")
          .isLessThanOrEqualTo(Math.min(loops, 5));
    }
  }

  @Test
  void aClientThatStopsReadingHoldsBackOnlyItsOwnStreamNotTheOthersOnItsConnection() throws Exception {
    // Long answers sent as fast as the mock can: ~15 MB each, far more than the socket buffers
    // between Sluice and a client that stops reading, so Sluice must pause that client's upstream stream.
    try (TestGateway gw = TestGateway.start(config("words=100000", trusting()))) {
      int port = gw.gateway().port();
      int loops = Math.max(1, Runtime.getRuntime().availableProcessors()); // connections are dealt to the front loops in turn
      List<RawHttpClient> stalled = new ArrayList<>();
      List<RawHttpClient> readers = new ArrayList<>();
      try {
        // First one client per front loop that reads the first token and then nothing more; each
        // loop's upstream pool now has a connection, which the next stream on that loop shares.
        for (int i = 0; i < loops; i++) {
          RawHttpClient c = new RawHttpClient(port, 4096, 60_000);
          stalled.add(c);
          c.post("/v1/chat/completions", TestGateway.KEY, STREAM_REQUEST);
          assertThat(c.readUntil("\"content\"")).startsWith("HTTP/1.1 200");
        }
        // Then one client per loop that reads everything, multiplexed with a stalled stream.
        for (int i = 0; i < loops; i++) {
          RawHttpClient c = new RawHttpClient(port, 0, 30_000);
          readers.add(c);
          c.post("/v1/chat/completions", TestGateway.KEY, STREAM_REQUEST);
        }
        List<Long> read = new ArrayList<>();
        for (RawHttpClient c : readers) {
          read.add(c.drainUntil("data: [DONE]"));
        }
        // The stalled clients read again: their streams were paused, not lost.
        for (RawHttpClient c : stalled) {
          read.add(c.drainUntil("data: [DONE]"));
        }
        long smallest = read.stream().mapToLong(Long::longValue).min().orElseThrow();
        long largest = read.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(smallest).as("every stream arrived whole (100,000 words, ~150 bytes each)").isGreaterThan(10_000_000L);
        assertThat(largest - smallest).as("the same answer, byte counts within one percent").isLessThan(largest / 100);
      } finally {
        for (RawHttpClient c : stalled) {
          c.close();
        }
        for (RawHttpClient c : readers) {
          c.close();
        }
      }
    }
  }

  @Test
  void withoutItsAuthorityTheProviderIsRefusedWithAnOpenAiError() throws Exception {
    try (TestGateway gw = TestGateway.start(config("latency=1ms", ""))) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", OpenAiFixtures.SIMPLE_REQUEST);

      assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
      assertThat(Sse.json(r.body()).path("error").path("message").asText())
          .isEqualTo("Provider 'private' failed: Connection to provider 'private' failed:"
              + " TLS handshake failed (certificate not trusted? see the provider's ca_file)");
    }
  }

  @Test
  void aCaFileThatCannotServeIsAConfigProblemNamingIt() throws Exception {
    Path garbage = Files.writeString(dir.resolve("not-a-cert.pem"), "hello");
    ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);
    String yaml = """
        providers:
          - { name: p, type: openai-compatible, base_url: "%s", ca_file: "%s" }
        models:
          - { name: chat, targets: [ { provider: p, model: m } ] }
        """;

    assertThatThrownBy(() -> loader.parse(yaml.formatted("https://h/v1", dir.resolve("missing.pem")), "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ca_file").hasMessageContaining("not a readable file");
    assertThatThrownBy(() -> loader.parse(yaml.formatted("https://h/v1", garbage), "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ca_file").hasMessageContaining("PEM certificate");
    assertThatThrownBy(() -> loader.parse(yaml.formatted("http://h/v1", https.authority()), "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ca_file").hasMessageContaining("https://");
    assertThat(loader.parse(yaml.formatted("https://h/v1", https.authority()), "t").providers().get(0).caFile())
        .isEqualTo(https.authority().toString());
  }
}
