package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.FakeGoogleAuth;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeTicker;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code type: vertex} provider's Google token as a client meets it, through the real gateway:
 * requests before the first token wait for it, a stale token refused with 401 is renewed and the
 * call resent once, and no credential is a clear error in the front's own shape.
 */
class VertexAuthEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @RegisterExtension
  final FakeGoogleAuth google = new FakeGoogleAuth();
  final FakeTicker ticker = new FakeTicker();
  TestGateway gateway;

  @AfterEach
  void stop() throws Exception {
    google.release();
    if (gateway != null) {
      gateway.close();
    }
  }

  private void start(String credentialsFile) throws Exception {
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - name: vertex
            type: vertex
            project: test-project
            location: europe-west4
            base_url: http://127.0.0.1:%d
            credentials_file: %s
        models:
          - name: chat
            targets: [ { provider: vertex, model: gemini-2.5-flash } ]
            retries: { max_attempts: 1 }
        keys:
          - { key: %s, name: tester }
        """.formatted(upstream.port(), credentialsFile, TestGateway.KEY), ticker);
  }

  private static FakeResponse geminiAnswer() throws Exception {
    return FakeResponse.json(200, resource("fixtures/gemini/text-response.json"));
  }

  private static String resource(String path) throws Exception {
    try (var in = VertexAuthEndToEndTest.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void requestsArrivingBeforeTheFirstTokenWaitForTheOneFetch() throws Exception {
    google.hold();
    start(google.serviceAccountFile().toString());
    upstream.enqueue(geminiAnswer()).enqueue(geminiAnswer());

    CompletableFuture<HttpResponse<String>> first = gateway.http().sendAsync(
        gateway.request("/v1/chat/completions").POST(java.net.http.HttpRequest.BodyPublishers.ofString(CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> second = gateway.http().sendAsync(
        gateway.request("/v1/chat/completions").POST(java.net.http.HttpRequest.BodyPublishers.ofString(CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first).isNotDone();
    google.release();

    assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
    assertThat(second.get().statusCode()).as(second.get().body()).isEqualTo(200);
    assertThat(google.requestCount()).as("one token fetch for both").isEqualTo(1);
    assertThat(upstream.takeRequest().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(upstream.takeRequest().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
  }

  @Test
  void aStaleTokenRefusedWith401IsRenewedAndTheCallResentOnce() throws Exception {
    start(google.serviceAccountFile().toString());
    upstream.enqueue(geminiAnswer());
    assertThat(gateway.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    RecordedRequest firstCall = upstream.takeRequest();

    ticker.advance(Duration.ofMinutes(10)); // the token is old enough to be the stale one
    upstream.enqueue(FakeResponse.json(401, resource("fixtures/gemini/error-401.json"))).enqueue(geminiAnswer());
    HttpResponse<String> reply = gateway.post("/v1/chat/completions", CHAT);

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    RecordedRequest refused = upstream.takeRequest();
    RecordedRequest resent = upstream.takeRequest();
    assertThat(refused.header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
    assertThat(resent.header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(2));
    assertThat(resent.uri()).isEqualTo(refused.uri()).isEqualTo(firstCall.uri());
    assertThat(resent.json()).isEqualTo(refused.json());
    assertThat(google.requestCount()).isEqualTo(2);
  }

  @Test
  void aRefusalOfAFreshTokenIsNotRetriedAndBecomesA502WithoutTheProvidersText() throws Exception {
    start(google.serviceAccountFile().toString());
    String refusal = resource("fixtures/gemini/error-403.json");
    upstream.enqueue(FakeResponse.json(403, refusal));

    HttpResponse<String> reply = gateway.post("/v1/chat/completions", CHAT);

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(502);
    JsonNode error = JSON.readTree(reply.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("auth");
    assertThat(reply.body()).doesNotContain(FakeGoogleAuth.token(1))
        .doesNotContain(JSON.readTree(refusal).path("error").path("message").asText());
    assertThat(upstream.requestCount()).as("a permission refusal is not a stale token: no resend").isEqualTo(1);
    assertThat(google.requestCount()).isEqualTo(1);
  }

  @Test
  void noUsableCredentialIsAClear502InTheFrontsShape() throws Exception {
    java.nio.file.Path file = google.authorizedUserFile();
    java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file)
        .replace(FakeGoogleAuth.REFRESH_TOKEN, "1//revoked"));
    start(file.toString());

    HttpResponse<String> reply = gateway.post("/v1/chat/completions", CHAT);

    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(502);
    JsonNode error = JSON.readTree(reply.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("auth");
    assertThat(error.path("message").asText()).contains("Provider 'vertex'").contains("no Google access token")
        .contains("authorized user").contains("invalid_grant").doesNotContain("1//revoked");
    assertThat(upstream.requestCount()).as("nothing sent without a token").isZero();
  }
}
