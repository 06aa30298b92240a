package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.DebugLogCapture;
import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credentials that are not a configured API key — a Vertex provider's Google access tokens, which
 * rotate, and a Bedrock provider's AWS keys and session token, which sign rather than travel — never
 * reach a client, the request log or a log line, even from an upstream that echoes the
 * {@code Authorization} and {@code X-Amz-Security-Token} headers it received in its error text (the
 * rest of which is passed on).
 */
class ProviderCredentialsRedactionEndToEndTest {
  private static final String MARKER = "UPSTREAM-TEXT-MARKER";
  private static final String KEY_ID = "AKIAIOSFODNN7CANARY1";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjCANARYTOKEN+FwoGZXIvYXdz/EBYaDHVzLWVhc3QtMSJHMEUCIQ==";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();
  final FakeTicker ticker = new FakeTicker();

  private static String bare(String authorization) {
    return authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
  }

  private static HttpResponse<String> chat(TestGateway gw, String requestId) throws Exception {
    return gw.http().send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .header("authorization", "Bearer " + TestGateway.KEY).header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The request log's entry for {@code id}, once stored. */
  private static String logged(TestGateway gw, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpResponse<String> res = KeysApi.admin(gw, "GET", "/admin/requests/" + id, null);
      if (res.statusCode() == 200) {
        return res.body();
      }
      assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
      assertThat(System.nanoTime() - deadline).as("request %s never reached the log", id).isNegative();
      Thread.sleep(10);
    }
  }

  private static void assertNowhere(List<String> secrets, String... surfaces) {
    for (String surface : surfaces) {
      for (String secret : secrets) {
        assertThat(surface).doesNotContain(secret);
      }
    }
  }

  @Test
  void vertexTokensEchoedByTheProviderAreRedactedIncludingARotatedOne() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean refuseToken1 = new java.util.concurrent.atomic.AtomicBoolean();
    upstream.dispatch(r -> {
      String sent = bare(r.header("authorization"));
      if (sent.equals(FakeGoogleAuth.token(1)) && refuseToken1.get()) {
        return FakeResponse.json(401, "{\"error\":{\"code\":401,\"message\":\"expired\",\"status\":\"UNAUTHENTICATED\"}}");
      }
      return FakeResponse.json(500, "{\"error\":{\"code\":500,\"message\":\"" + MARKER + " with token " + sent
          + " (earlier " + FakeGoogleAuth.token(1) + "), header " + r.header("authorization")
          + "\",\"status\":\"INTERNAL\"}}");
    });
    try (DebugLogCapture logs = DebugLogCapture.everythingAtDebug()) {
      TestGateway gw = TestGateway.start("""
            server: { host: 127.0.0.1, master_key: %s }
            providers:
              - { name: vertex, type: vertex, project: test-project, location: europe-west4,
                  base_url: "http://127.0.0.1:%d", credentials_file: "%s" }
            models:
              - name: chat
                targets: [ { provider: vertex, model: gemini-2.5-flash } ]
                retries: { max_attempts: 1 }
            keys:
              - { key: %s, name: tester, log_bodies: { enabled: true, max_bytes: 65536 } }
            """.formatted(KeysApi.MASTER, upstream.port(), google.serviceAccountFile(), TestGateway.KEY), ticker);
      List<String> tokens = List.of(FakeGoogleAuth.token(1), FakeGoogleAuth.token(2));
      try {
        HttpResponse<String> first = chat(gw, "vx-first");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(502);
        assertThat(first.body()).contains(MARKER);
        assertThat(upstream.takeRequest().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));

        refuseToken1.set(true);
        ticker.advance(Duration.ofMinutes(10)); // token 1 is refused as stale: token 2 is fetched, the call resent
        HttpResponse<String> second = chat(gw, "vx-second");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(502);
        assertThat(second.body()).contains(MARKER);
        upstream.takeRequest();
        RecordedRequest resent = upstream.takeRequest();
        assertThat(resent.header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(2));

        assertNowhere(tokens, first.body(), second.body(), logged(gw, "vx-first"), logged(gw, "vx-second"));
        assertThat(logged(gw, "vx-second")).as("bodies are logged").doesNotContain("\"bodies\":null");
      } finally {
        gw.close();
      }
      assertNowhere(tokens, String.join("\n", logs.lines()), logs.printed());
    }
  }

  @Test
  void awsKeysAndSignatureHeadersEchoedByTheProviderAreRedacted() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(500, "{\"message\":\"" + MARKER + " Authorization: "
        + r.header("authorization") + " X-Amz-Security-Token: " + r.header("x-amz-security-token")
        + " secret " + SECRET + "\"}"));
    try (DebugLogCapture logs = DebugLogCapture.everythingAtDebug()) {
      // As logback.xml ships it: the SDK's signer logs canonical requests (session token included) at DEBUG.
      ch.qos.logback.classic.Logger signerLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
          "software.amazon.awssdk.http.auth.aws.internal.signer");
      assertThat(signerLog.getLevel()).as("pinned by the logback config").isNotNull();
      signerLog.setLevel(ch.qos.logback.classic.Level.INFO);
      TestGateway gw = TestGateway.start("""
            server: { host: 127.0.0.1, master_key: %s }
            providers:
              - { name: bedrock, type: bedrock, region: us-east-1, base_url: "http://127.0.0.1:%d",
                  access_key_id: %s, secret_access_key: "%s", session_token: "%s" }
            models:
              - name: chat
                targets: [ { provider: bedrock, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } ]
                retries: { max_attempts: 1 }
            keys:
              - { key: %s, name: tester, log_bodies: { enabled: true, max_bytes: 65536 } }
            """.formatted(KeysApi.MASTER, upstream.port(), KEY_ID, SECRET, TOKEN, TestGateway.KEY));
      List<String> secrets;
      try {
        HttpResponse<String> reply = chat(gw, "aws-echo");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(502);
        assertThat(reply.body()).contains(MARKER);
        RecordedRequest sent = upstream.takeRequest();
        String authorization = sent.header("authorization");
        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID);
        assertThat(sent.header("x-amz-security-token")).isEqualTo(TOKEN);
        String signature = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());

        secrets = List.of(KEY_ID, SECRET, TOKEN, signature, authorization);
        String entry = logged(gw, "aws-echo");
        assertNowhere(secrets, reply.body(), entry);
        assertThat(entry).as("bodies are logged").doesNotContain("\"bodies\":null");
      } finally {
        gw.close();
      }
      assertNowhere(secrets, String.join("\n", logs.lines()), logs.printed());
    }
  }
}
