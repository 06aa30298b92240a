package dev.sluice.server;

import static dev.sluice.server.ClientTimeoutsEndToEndTest.connect;
import static dev.sluice.server.ClientTimeoutsEndToEndTest.readToClose;
import static dev.sluice.server.ClientTimeoutsEndToEndTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.Sse;
import dev.sluice.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Oversized, ambiguous or malformed input gets a clean 4xx in the API's own error format (OpenAI's,
 * or Anthropic's on /v1/messages) and never reaches a provider.
 */
class HostileInputEndToEndTest {
  private static final String LIMITS = "max_header_bytes: 2048, max_headers: 12, max_request_line_bytes: 512, "
      + "max_json_depth: 16, max_json_number_length: 20, max_json_string_bytes: 2048";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private TestGateway start(String limits) throws Exception {
    return TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "")
        .replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, " + limits + ","));
  }

  private static JsonNode body(String rawResponse) {
    return Sse.json(rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4));
  }

  private static String chat(String content) {
    return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
  }

  @Test
  void oversizedRequestHeadsGet431Or414InTheApiFormatAndTheConnectionCloses() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      try (Socket s = connect(gw.gateway().port())) {
        send(s, "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(3000) + "\r\n\r\n");
        String got = readToClose(s);
        assertThat(got).startsWith("HTTP/1.1 431").contains("connection: close");
        assertThat(body(got).get("error").get("code").asText()).isEqualTo("request_header_fields_too_large");
        assertThat(body(got).get("error").get("message").asText()).contains("larger than 2048 bytes");
      }
      try (Socket s = connect(gw.gateway().port())) {
        send(s, "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "x-h: v\r\n".repeat(20)
            + "Content-Length: 2\r\n\r\n{}");
        String got = readToClose(s);
        assertThat(got).startsWith("HTTP/1.1 431");
        assertThat(body(got).get("type").asText()).isEqualTo("error"); // Anthropic's shape on /v1/messages
        assertThat(body(got).get("error").get("message").asText()).isEqualTo("The request has 22 header lines; the limit is 12");
      }
      try (Socket s = connect(gw.gateway().port())) {
        send(s, "GET /v1/models?q=" + "a".repeat(1000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        String got = readToClose(s);
        assertThat(got).matches("(?s)HTTP/1\\.[01] 414 .*");
        assertThat(body(got).get("error").get("code").asText()).isEqualTo("uri_too_long");
        assertThat(body(got).get("error").get("message").asText()).contains("longer than 512 bytes");
      }
      assertThat(gw.get("/v1/models").statusCode()).as("ordinary requests still pass").isEqualTo(200);
    }
  }

  @Test
  void aCallerWithoutAValidKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      for (String auth : new String[] {"", "Authorization: Bearer sk-not-a-key\r\n"}) {
        try (Socket s = connect(gw.gateway().port())) {
          // Announces 5 MB and sends none of it: the answer cannot wait for the body.
          send(s, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
              + "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n");
          String got = readToClose(s);
          assertThat(got).startsWith("HTTP/1.1 401").contains("connection: close");
          assertThat(body(got).get("error").get("code").asText()).isEqualTo("invalid_api_key");
        }
      }
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void aBodyFramedBothByTransferEncodingAndContentLengthGets400AndTheConnectionCloses() throws Exception {
    String body = OpenAiFixtures.SIMPLE_REQUEST;
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestGateway.KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: %d\r\nTransfer-Encoding: %s\r\n\r\n";
    try (TestGateway gw = start(LIMITS)) {
      for (String framing : new String[] {"chunked", "identity"}) {
        try (Socket s = connect(gw.gateway().port())) {
          String payload = framing.equals("chunked")
              ? Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n" : body;
          send(s, head.formatted(5, framing) + payload);
          String got = readToClose(s);
          assertThat(got).as(framing).startsWith("HTTP/1.1 400").contains("connection: close");
          assertThat(body(got).get("error").get("message").asText())
              .isEqualTo("The request has both Transfer-Encoding and Content-Length; send only one of them");
        }
      }
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void jsonOverItsLimitsGets400NamingTheLimit() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      String deep = "{\"model\":\"chat\",\"metadata\":{\"a\":" + "[".repeat(20) + "]".repeat(20)
          + "},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      HttpResponse<String> res = gw.post("/v1/chat/completions", deep);
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("message").asText())
          .contains("objects and arrays are nested deeper than the limit of 16 levels");

      res = gw.post("/v1/chat/completions", OpenAiFixtures.SIMPLE_REQUEST.replace("{\"model\"",
          "{\"temperature\":0.1234567890123456789012,\"model\""));
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("message").asText())
          .contains("a number is longer than the limit of 20 characters");

      res = gw.post("/v1/chat/completions", chat("x".repeat(3000)));
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("message").asText())
          .contains("a string is longer than the limit of 2048 characters");

      res = gw.post("/v1/embeddings", "{\"model\":\"chat\",\"input\":\"" + "x".repeat(3000) + "\"}");
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("message").asText()).contains("a string is longer than the limit");

      res = gw.post("/v1/messages", "{\"model\":\"chat\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\""
          + "x".repeat(3000) + "\"}]}");
      assertThat(res.statusCode()).isEqualTo(400);
      JsonNode anthropic = Sse.json(res.body());
      assertThat(anthropic.get("type").asText()).isEqualTo("error");
      assertThat(anthropic.get("error").get("message").asText())
          .isEqualTo("There was an issue with the request body: a string is longer than the limit of 2048 characters");
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void aBodyThatIsNotUtf8Gets400() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      byte[] bytes = chat("Hi!").getBytes(StandardCharsets.US_ASCII);
      int at = chat("Hi").length(); // the '!' becomes an overlong NUL, which Jackson alone would accept
      byte[] bad = new byte[bytes.length + 1];
      System.arraycopy(bytes, 0, bad, 0, at);
      bad[at] = (byte) 0xC0;
      bad[at + 1] = (byte) 0x80;
      System.arraycopy(bytes, at + 1, bad, at + 2, bytes.length - at - 1);
      HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Sse.json(res.body()).get("error").get("message").asText()).contains("not valid UTF-8 (byte 0xC0 at offset " + at + ")");
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void compressedBodiesGet415UnlessDecompressionIsOn() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions").header("content-encoding", "gzip")
          .POST(HttpRequest.BodyPublishers.ofByteArray(
              RequestInflationTest.gzip(OpenAiFixtures.SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8), 1))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(415);
      assertThat(Sse.json(res.body()).get("error").get("code").asText()).isEqualTo("unsupported_media_type");
      assertThat(Sse.json(res.body()).get("error").get("message").asText()).contains("send the body uncompressed");
      assertThat(upstream.requestCount()).isZero();
    }
  }

  @Test
  void withDecompressionOnBodiesAreInflatedUpToTheCap() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    byte[] plain = OpenAiFixtures.SIMPLE_REQUEST.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
      out.write(plain);
    }
    try (TestGateway gw = start("decompress_requests: true, max_decompressed_bytes: 65536")) {
      for (Object[] c : new Object[][] {{"gzip", RequestInflationTest.gzip(plain, 1)}, {"deflate", deflated.toByteArray()}}) {
        HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions").header("content-encoding", (String) c[0])
            .POST(HttpRequest.BodyPublishers.ofByteArray((byte[]) c[1])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as((String) c[0]).isEqualTo(200);
        assertThat(upstream.takeRequest().json().get("messages").get(0).get("content").asText()).isEqualTo("Hi");
      }
      // 10 MiB of zeros in about 10 KB: the compressed body is well under max_body_bytes.
      byte[] bomb = RequestInflationTest.gzip(new byte[10 << 20], 1);
      HttpResponse<String> res = gw.http().send(gw.request("/v1/messages").header("content-encoding", "gzip")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(413);
      assertThat(Sse.json(res.body()).get("error").get("message").asText()).isEqualTo(
          "The request body inflates to more than 65536 bytes");
      assertThat(Sse.json(res.body()).get("type").asText()).isEqualTo("error"); // Anthropic's shape

      res = gw.http().send(gw.request("/v1/chat/completions").header("content-encoding", "br")
          .POST(HttpRequest.BodyPublishers.ofByteArray(plain)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(415);
      assertThat(Sse.json(res.body()).get("error").get("message").asText()).contains("br is not supported");
      assertThat(upstream.requestCount()).as("only the two good bodies went upstream").isEqualTo(2);
    }
  }

  @Test
  void aBodyOverMaxBodyBytesGets413InTheApiFormat() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      HttpResponse<String> res = gw.post("/v1/messages", "{\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertThat(res.statusCode()).isEqualTo(413);
      assertThat(Sse.json(res.body()).get("error").get("type").asText()).isEqualTo("request_too_large");
    }
  }

  @Test
  void aClientRequestIdIsEchoedOnlyWhenItIsSane() throws Exception {
    try (TestGateway gw = start(LIMITS)) {
      HttpResponse<String> res = gw.http().send(gw.request("/v1/models").header("x-request-id", "trace-42.a_b").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(res.headers().firstValue("x-request-id")).hasValue("trace-42.a_b");
      for (String bad : new String[] {"has space", "x".repeat(200)}) {
        res = gw.http().send(gw.request("/v1/models").header("x-request-id", bad).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(res.headers().firstValue("x-request-id")).as(bad).hasValueSatisfying(
            id -> assertThat(id).matches("req_[0-9a-f]{32}"));
      }
      try (Socket s = connect(gw.gateway().port())) {
        s.getOutputStream().write(("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer "
            + TestGateway.KEY + "\r\nx-request-id: caf").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(new byte[] {(byte) 0xC3, (byte) 0xA9, '\r', '\n', '\r', '\n'});
        String got = readToClose(s);
        assertThat(got).startsWith("HTTP/1.1 200").containsPattern("x-request-id: req_[0-9a-f]{32}\r\n");
      }
      try (Socket s = connect(gw.gateway().port())) {
        send(s, "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-request-id: ok-1\r\n"
            + "Content-Length: 2\r\n\r\n{}");
        String got = readToClose(s);
        assertThat(got).contains("\r\nx-request-id: ok-1\r\n").contains("\r\nrequest-id: ok-1\r\n");
      }
    }
  }
}
