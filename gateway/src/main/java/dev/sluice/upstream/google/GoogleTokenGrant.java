package dev.sluice.upstream.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;

/**
 * One exchange of a {@link GoogleCredential} for an access token, over the gateway's own Vert.x
 * HTTP stack: a service account's RS256-signed JWT (RFC 7523) or a user's refresh token posted to
 * the credential's {@code token_uri}, or a GET to the metadata server. Thread-safe; the signing
 * (a few RSA milliseconds) runs on a worker.
 */
final class GoogleTokenGrant {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  static final String METADATA_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
  private static final long TIMEOUT_MS = 10_000;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** An access token and how long it lives from when it was received. */
  record AccessToken(String value, long lifetimeSeconds) {
    @Override
    public String toString() {
      return "AccessToken[" + lifetimeSeconds + " s]";
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final Clock clock;

  /** @param clock wall-clock time for the JWT's {@code iat}/{@code exp} */
  GoogleTokenGrant(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
        .setKeepAlive(false).setMaxRedirects(0).setName("sluice-google-token"));
  }

  /** Fails with an {@link IllegalStateException} whose message names the credential and what went wrong. */
  Future<AccessToken> fetch(GoogleCredential credential) {
    Future<AccessToken> token;
    if (credential instanceof GoogleCredential.ServiceAccount sa) {
      token = vertx.executeBlocking(() -> jwt(sa, clock.millis() / 1000))
          .compose(jwt -> post(sa.tokenUri(), "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer")
              + "&assertion=" + jwt));
    } else if (credential instanceof GoogleCredential.AuthorizedUser u) {
      token = post(u.tokenUri(), "grant_type=refresh_token&client_id=" + enc(u.clientId()) + "&client_secret="
          + enc(u.clientSecret()) + "&refresh_token=" + enc(u.refreshToken()));
    } else {
      GoogleCredential.Metadata m = (GoogleCredential.Metadata) credential;
      token = exchange(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(m.baseUrl() + METADATA_PATH)
          .putHeader("Metadata-Flavor", "Google"), Buffer.buffer());
    }
    return token.recover(e -> Future.failedFuture(new IllegalStateException(
        "no Google access token from " + credential + ": " + reason(e), e)));
  }

  Future<Void> close() {
    return http.close();
  }

  /** The signed assertion a service account trades for a token (header.claims.signature, base64url). */
  static String jwt(GoogleCredential.ServiceAccount sa, long nowSeconds) throws java.security.GeneralSecurityException {
    ObjectNode header = Json.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (sa.keyId() != null) {
      header.put("kid", sa.keyId());
    }
    ObjectNode claims = Json.MAPPER.createObjectNode().put("iss", sa.clientEmail()).put("scope", SCOPE)
        .put("aud", sa.tokenUri()).put("iat", nowSeconds).put("exp", nowSeconds + 3600);
    String signingInput = B64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(sa.privateKey());
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64URL.encodeToString(rsa.sign());
  }

  private Future<AccessToken> post(String tokenUri, String form) {
    return exchange(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(tokenUri)
        .putHeader("content-type", "application/x-www-form-urlencoded"), Buffer.buffer(form));
  }

  private Future<AccessToken> exchange(RequestOptions options, Buffer body) {
    options.setFollowRedirects(false).setIdleTimeout(TIMEOUT_MS).putHeader("accept", "application/json");
    return http.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().compose(b -> answer(resp.statusCode(), b)));
  }

  private static Future<AccessToken> answer(int status, Buffer body) {
    JsonNode json;
    try {
      json = Json.parse(body);
    } catch (java.io.IOException e) {
      return Future.failedFuture("answered " + status + " with a body that is not JSON");
    }
    String token = json.path("access_token").asText("");
    if (status / 100 != 2 || token.isEmpty()) {
      // OAuth's error fields name the problem (invalid_grant, ...) and hold no secret.
      String error = json.path("error").isTextual() ? json.path("error").asText()
          : json.path("error").path("message").asText("no access_token");
      String description = json.path("error_description").asText("");
      return Future.failedFuture("answered " + status + ": " + error + (description.isEmpty() ? "" : " (" + description + ")"));
    }
    return Future.succeededFuture(new AccessToken(token, Math.max(1, json.path("expires_in").asLong(3600))));
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
