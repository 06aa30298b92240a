package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request body reaches the provider whole however the client frames it: with a Content-Length
 * below or above the 64 KiB the gateway reads into a buffer of that size at once, or chunked (no
 * length: the buffer grows as the body comes).
 */
class RequestBodyFramingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static String chat(String content) {
    return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
  }

  @Test
  void bodiesWithAndWithoutAContentLengthArriveWhole() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    try (TestGateway gw = TestGateway.start(TestGateway.singleProvider(upstream.baseUrl(), "")
        .replace("max_body_bytes: 65536", "max_body_bytes: 1048576"))) {
      for (int size : new int[] {1, 900, 65_535, 65_536, 300_000}) {
        String content = "abcdefghij".repeat(size / 10 + 1).substring(0, size);
        byte[] body = chat(content).getBytes(StandardCharsets.UTF_8);
        for (boolean chunked : new boolean[] {false, true}) {
          HttpRequest.BodyPublisher publisher = chunked
              ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)) // no length: chunked
              : HttpRequest.BodyPublishers.ofByteArray(body);
          HttpResponse<String> res = gw.http().send(gw.request("/v1/chat/completions").POST(publisher).build(),
              HttpResponse.BodyHandlers.ofString());
          String what = size + (chunked ? " chunked" : " with Content-Length");
          assertThat(res.statusCode()).as(what).isEqualTo(200);
          assertThat(upstream.takeRequest().json().get("messages").get(0).get("content").asText()).as(what)
              .isEqualTo(content);
        }
      }
    }
  }
}
