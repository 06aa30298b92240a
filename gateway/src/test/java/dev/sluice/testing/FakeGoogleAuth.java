package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake Google OAuth token endpoint and metadata server on one loopback port, as Google's speak:
 * {@code POST /token} takes a service account's JWT bearer assertion — whose RS256 signature it
 * checks against the public half of a key pair it generated, with its claims — or an authorized
 * user's refresh token; {@code GET /computeMetadata/v1/instance/service-accounts/default/token}
 * requires {@code Metadata-Flavor: Google}. Each token handed out is {@code ya29.fake-N}, N counting
 * from 1. Tests can make the next fetches fail, hold answers until released, and write the matching
 * credentials files. A JUnit 5 extension: it starts before and stops after each test.
 */
public final class FakeGoogleAuth implements BeforeEachCallback, AfterEachCallback {
  public static final String CLIENT_EMAIL = "sluice-test@test-project.iam.gserviceaccount.com";
  public static final String REFRESH_TOKEN = "1//0g-fake-refresh-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair keys;
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicReference<CompletableFuture<Void>> gate = new AtomicReference<>();
  private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Map<String, String>> grants = new ConcurrentLinkedQueue<>();
  private volatile long lifetimeSeconds = 3600;
  private Vertx vertx;
  private HttpServer server;
  private Path dir;

  public FakeGoogleAuth() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      keys = g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    dir = Files.createTempDirectory("fake-google-auth");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    release();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** {@code http://127.0.0.1:port}: the metadata server's base URL, and the token endpoint's origin. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public String tokenUri() {
    return baseUrl() + "/token";
  }

  /** A service-account key file whose private key is the fake's own and whose token_uri is the fake. */
  public Path serviceAccountFile() throws Exception {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> json = new HashMap<>(Map.of("type", "service_account", "project_id", "test-project",
        "private_key_id", "kid-0123456789abcdef", "private_key", pem, "client_email", CLIENT_EMAIL,
        "client_id", "1234567890", "token_uri", tokenUri()));
    return write("service-account.json", json);
  }

  /** gcloud's {@code application_default_credentials.json} after {@code gcloud auth application-default login}. */
  public Path authorizedUserFile() throws Exception {
    return write("application_default_credentials.json", Map.of("type", "authorized_user",
        "client_id", "764086051850-fake.apps.googleusercontent.com", "client_secret", "d-FL95Q19q7MQmFpd7hHD0Ty",
        "refresh_token", REFRESH_TOKEN, "token_uri", tokenUri()));
  }

  private Path write(String name, Map<String, String> json) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, JSON.writeValueAsString(json));
    return file;
  }

  /** The lifetime ({@code expires_in}) of the tokens handed out from now on. */
  public FakeGoogleAuth lifetimeSeconds(long seconds) {
    this.lifetimeSeconds = seconds;
    return this;
  }

  /** The next {@code n} token requests are answered 500. */
  public FakeGoogleAuth failNext(int n) {
    failNext.set(n);
    return this;
  }

  /** Token requests arriving from now on wait until {@link #release()}. */
  public FakeGoogleAuth hold() {
    gate.set(new CompletableFuture<>());
    return this;
  }

  public FakeGoogleAuth release() {
    CompletableFuture<Void> g = gate.getAndSet(null);
    if (g != null) {
      g.complete(null);
    }
    return this;
  }

  /** Token requests received (answered or not). */
  public int requestCount() {
    return requests.get();
  }

  /** Tokens handed out; the last is {@code "ya29.fake-" + issued()}. */
  public int issued() {
    return issued.get();
  }

  /** Why requests were refused (a bad signature, a missing header...), in order. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  /** The form fields of every token request received, in order. */
  public List<Map<String, String>> grants() {
    return List.copyOf(grants);
  }

  public static String token(int n) {
    return "ya29.fake-" + n;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      requests.incrementAndGet();
      CompletableFuture<Void> g = gate.get();
      if (g != null) {
        g.whenComplete((v, t) -> vertx.runOnContext(x -> answer(req, body.toString())));
      } else {
        answer(req, body.toString());
      }
    });
  }

  private void answer(HttpServerRequest req, String body) {
    // RSA verification (and the JCA's first-use set-up) on a worker, not on the fake's event loop.
    vertx.executeBlocking(() -> {
      String why = refusal(req, body);
      return why == null ? "" : why;
    }).onSuccess(why -> respond(req, why.isEmpty() ? null : why));
  }

  private String refusal(HttpServerRequest req, String body) {
    String refusal;
    if (req.path().equals("/computeMetadata/v1/instance/service-accounts/default/token")) {
      refusal = "Google".equals(req.getHeader("Metadata-Flavor")) ? null : "no Metadata-Flavor: Google header";
    } else if (req.path().equals("/token") && req.method().name().equals("POST")) {
      Map<String, String> form = form(body);
      grants.add(form);
      refusal = checkGrant(form, req.getHeader("content-type"));
    } else {
      refusal = "no such endpoint " + req.method() + " " + req.path();
    }
    return refusal;
  }

  private void respond(HttpServerRequest req, String refusal) {
    if (refusal != null) {
      refusals.add(refusal);
      req.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":\"invalid_grant\",\"error_description\":\"" + refusal + "\"}");
      return;
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      req.response().setStatusCode(500).putHeader("content-type", "application/json")
          .end("{\"error\":\"internal_failure\",\"error_description\":\"try again\"}");
      return;
    }
    int n = issued.incrementAndGet();
    req.response().putHeader("content-type", "application/json").end("{\"access_token\":\"" + token(n)
        + "\",\"expires_in\":" + lifetimeSeconds + ",\"token_type\":\"Bearer\"}");
  }

  private String checkGrant(Map<String, String> form, String contentType) {
    if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
      return "not a form post";
    }
    String grant = form.getOrDefault("grant_type", "");
    if (grant.equals("refresh_token")) {
      return REFRESH_TOKEN.equals(form.get("refresh_token")) && form.get("client_id") != null
          && form.get("client_secret") != null ? null : "wrong refresh token or client";
    }
    if (!grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
      return "unknown grant_type " + grant;
    }
    return checkJwt(form.getOrDefault("assertion", ""));
  }

  /** RS256 over header.claims with the fake's public key, then the claims Google checks. */
  private String checkJwt(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return "assertion is not a JWT";
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(keys.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "bad signature";
      }
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      if (!header.path("alg").asText().equals("RS256") || !header.path("kid").asText().equals("kid-0123456789abcdef")) {
        return "bad header " + header;
      }
      long now = System.currentTimeMillis() / 1000;
      if (!claims.path("iss").asText().equals(CLIENT_EMAIL) || !claims.path("aud").asText().equals(tokenUri())
          || !claims.path("scope").asText().equals("https://www.googleapis.com/auth/cloud-platform")
          || Math.abs(claims.path("iat").asLong() - now) > 300
          || claims.path("exp").asLong() - claims.path("iat").asLong() != 3600) {
        return "bad claims " + claims;
      }
      return null;
    } catch (Exception e) {
      return "unreadable assertion: " + e;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
