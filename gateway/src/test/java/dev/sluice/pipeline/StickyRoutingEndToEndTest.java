package dev.sluice.pipeline;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sticky routing through a real gateway: a conversation named by {@code x-sluice-session} or by
 * the request's {@code user} is served by the same provider on every request; without a name, or
 * with {@code sticky: false}, requests spread as before.
 */
class StickyRoutingEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private String config(String extra) {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
          - { name: c, type: openai-compatible, base_url: %s/c/v1 }
        models:
          - name: chat
            targets: [ { provider: a, model: m }, { provider: b, model: m }, { provider: c, model: m } ]
            %s
        keys: [ { key: %s, name: t } ]
        """.formatted(base, base, base, extra, TestGateway.KEY);
  }

  private static String servedBy(TestGateway gw, String session, String user) throws Exception {
    String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
        + (user == null ? "" : ",\"user\":\"" + user + "\"") + "}";
    HttpRequest.Builder b = gw.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("x-sluice-session", session);
    }
    HttpResponse<String> r = gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("x-sluice-provider").orElseThrow();
  }

  @Test
  void aConversationStaysOnOneProvider() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config(""))) {
      Set<String> primaries = new HashSet<>();
      for (int s = 0; s < 12; s++) {
        String bySession = servedBy(gw, "session-" + s, "someone-else-" + s);
        String byUser = servedBy(gw, null, "user-" + s);
        for (int i = 0; i < 10; i++) {
          assertThat(servedBy(gw, "session-" + s, "changing-user-" + i)).as("the header wins over user")
              .isEqualTo(bySession);
          assertThat(servedBy(gw, null, "user-" + s)).isEqualTo(byUser);
        }
        primaries.add(bySession);
        primaries.add(byUser);
      }
      assertThat(primaries).as("24 conversations are not all on one provider").hasSizeGreaterThan(1);

      Set<String> unnamed = new HashSet<>();
      for (int i = 0; i < 60 && unnamed.size() < 3; i++) {
        unnamed.add(servedBy(gw, null, null));
      }
      assertThat(unnamed).as("without a name: random by weight").hasSize(3);
    }
  }

  @Test
  void stickyFalseSpreadsEvenANamedConversation() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config("sticky: false"))) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 60 && seen.size() < 3; i++) {
        seen.add(servedBy(gw, "one-conversation", null));
      }
      assertThat(seen).hasSize(3);
    }
  }
}
