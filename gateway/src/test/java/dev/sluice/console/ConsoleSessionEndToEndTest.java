package dev.sluice.console;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over real sockets: the cookie it sets, what a session may reach, CSRF on
 * cookie writes, expiry on the console's clock, sign-out that survives a replayed cookie, a revoked
 * key's session, and the security headers of /ui.
 */
class ConsoleSessionEndToEndTest {
  private static final String CONFIG = """
      server: { host: 127.0.0.1, master_key: %s }
      providers:
        - { name: mock, type: mock }
      models:
        - name: chat
          targets: [ { provider: mock, model: mock-model } ]
      console: { session_ttl: 2h }
      """.formatted(KeysApi.MASTER);

  /** A wall clock the test moves. */
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  private final MovableClock clock = new MovableClock();
  private TestGateway gw;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startWithConsole(CONFIG, new ConsoleRoutes(clock, new SecureRandom()));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
  }

  @Test
  void theMasterKeyByFormSetsAStrictHttpOnlyCookieAndRedirectsToTheConsole() throws Exception {
    HttpResponse<String> res = formLogin(KeysApi.MASTER, Map.of());
    assertThat(res.statusCode()).isEqualTo(303);
    assertThat(res.headers().firstValue("location")).hasValue("/ui/");
    String setCookie = res.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).startsWith("sluice_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/").contains("Max-Age=7200").doesNotContain("Secure").doesNotContain(KeysApi.MASTER);
    assertThat(res.body()).doesNotContain(KeysApi.MASTER);

    JsonNode session = json(get("/ui/session", cookie(res), Map.of()));
    assertThat(session.path("role").asText()).isEqualTo("admin");
    assertThat(session.path("key_name").isNull()).isTrue();
    assertThat(session.path("csrf").asText()).hasSizeGreaterThan(20);
    assertThat(Instant.parse(session.path("expires_at").asText())).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
  }

  @Test
  void behindATlsProxyTheCookieIsSecure() throws Exception {
    // The server itself speaks plain HTTP only (no TLS settings exist); a proxy that terminated TLS says so.
    HttpResponse<String> res = formLogin(KeysApi.MASTER, Map.of("x-forwarded-proto", "https"));
    assertThat(res.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");
  }

  @Test
  void jsonSignInAnswersTheSessionAndAWrongKeyGetsNoCookie() throws Exception {
    HttpResponse<String> ok = jsonLogin("{\"key\":\"" + KeysApi.MASTER + "\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).path("role").asText()).isEqualTo("admin");
    assertThat(ok.headers().firstValue("set-cookie")).isPresent();

    String wrong = "sk-sluice-wrongwrongwrongwrongwrong";
    HttpResponse<String> refused = jsonLogin("{\"key\":\"" + wrong + "\"}");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(refused.headers().allValues("set-cookie")).isEmpty();
    assertThat(refused.body()).doesNotContain(wrong);

    HttpResponse<String> page = formLogin(wrong, Map.of());
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("id=\"login-error\"").contains("<form").doesNotContain(wrong);
    assertThat(page.headers().allValues("set-cookie")).isEmpty();

    assertThat(jsonLogin("{\"nokey\":1}").statusCode()).isEqualTo(400);
    assertThat(jsonLogin("not json").statusCode()).isEqualTo(400);
    assertThat(get("/ui/session", null, Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void aCrossSiteSignInIsRefused() throws Exception {
    HttpResponse<String> res = formLogin(KeysApi.MASTER, Map.of("sec-fetch-site", "cross-site"));
    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.headers().allValues("set-cookie")).isEmpty();
  }

  @Test
  void anAdminSessionUsesTheAdminApiAndItsWritesNeedTheCsrfToken() throws Exception {
    String cookie = cookie(formLogin(KeysApi.MASTER, Map.of()));
    String csrf = json(get("/ui/session", cookie, Map.of())).path("csrf").asText();

    assertThat(get("/admin/keys", cookie, Map.of()).statusCode()).isEqualTo(200);
    HttpResponse<String> noToken = send("POST", "/admin/keys", "{\"name\":\"no-token\"}", cookie, Map.of());
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(json(noToken).path("error").path("code").asText()).isEqualTo("csrf_token_missing");
    HttpResponse<String> badToken = send("POST", "/admin/keys", "{\"name\":\"bad-token\"}", cookie,
        Map.of("x-csrf-token", csrf.substring(1) + "x"));
    assertThat(badToken.statusCode()).isEqualTo(403);
    HttpResponse<String> made = send("POST", "/admin/keys", "{\"name\":\"with-token\"}", cookie,
        Map.of("x-csrf-token", csrf));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    // A script's write with the key in a header needs no token.
    assertThat(admin(gw, "POST", "/admin/keys", "{\"name\":\"by-header\"}").statusCode()).isEqualTo(201);

    JsonNode names = json(admin(gw, "GET", "/admin/keys", null)).path("data");
    assertThat(names.findValuesAsText("name")).contains("with-token", "by-header").doesNotContain("no-token", "bad-token");
    // The audit log names the console session, not the master key.
    JsonNode audit = json(admin(gw, "GET", "/admin/audit?action=key.create", null)).path("data");
    assertThat(audit.findValuesAsText("actor")).anyMatch(a -> a.matches("console:[0-9a-f]{8}"));
    // The admin session is not a client key.
    assertThat(get("/v1/sluice/key", cookie, Map.of()).statusCode()).isEqualTo(403);
  }

  @Test
  void aClientKeySessionReadsItsOwnTenantRoutesButNotTheAdminApiAndStopsWhenTheKeyIsRevoked() throws Exception {
    JsonNode key = createKey(gw, "{\"name\":\"team-svc\"}");
    HttpResponse<String> login = jsonLogin("{\"key\":\"" + key.path("key").asText() + "\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(json(login).path("role").asText()).isEqualTo("client");
    assertThat(json(login).path("key_name").asText()).isEqualTo("team-svc");
    String cookie = cookie(login);

    HttpResponse<String> own = get("/v1/sluice/key", cookie, Map.of());
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(json(own).path("name").asText()).isEqualTo("team-svc");
    HttpResponse<String> adminApi = get("/admin/keys", cookie, Map.of());
    assertThat(adminApi.statusCode()).isEqualTo(403);
    assertThat(json(adminApi).path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(send("POST", "/admin/keys", "{\"name\":\"x\"}", cookie,
        Map.of("x-csrf-token", json(login).path("csrf").asText())).statusCode()).isEqualTo(403);
    // The cookie is not a key for the inference API.
    assertThat(send("POST", "/v1/chat/completions",
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", cookie, Map.of()).statusCode())
        .isEqualTo(401);

    assertThat(admin(gw, "DELETE", "/admin/keys/" + key.path("id").asText(), null).statusCode()).isEqualTo(200);
    HttpResponse<String> revoked = get("/v1/sluice/key", cookie, Map.of());
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(json(revoked).path("error").path("code").asText()).isEqualTo("key_revoked");
    assertThat(get("/ui/session", cookie, Map.of()).statusCode()).isEqualTo(401);
    assertThat(jsonLogin("{\"key\":\"" + key.path("key").asText() + "\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void aSessionEndsAtItsExpiry() throws Exception {
    String cookie = cookie(formLogin(KeysApi.MASTER, Map.of()));
    clock.advance(Duration.ofHours(2).minusSeconds(1));
    assertThat(get("/ui/session", cookie, Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/admin/keys", cookie, Map.of()).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(get("/ui/session", cookie, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/admin/keys", cookie, Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void signOutNeedsTheTokenClearsTheCookieAndTheOldCookieIsRefusedWhenReplayed() throws Exception {
    String cookie = cookie(formLogin(KeysApi.MASTER, Map.of()));
    String csrf = json(get("/ui/session", cookie, Map.of())).path("csrf").asText();

    assertThat(send("POST", "/ui/logout", "", cookie, Map.of()).statusCode()).isEqualTo(403);
    assertThat(get("/ui/session", cookie, Map.of()).statusCode()).as("still signed in").isEqualTo(200);

    HttpResponse<String> out = form("/ui/logout", Map.of("csrf", csrf), cookie, Map.of());
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("location")).hasValue("/ui/login");
    assertThat(out.headers().firstValue("set-cookie").orElseThrow()).startsWith("sluice_session=;").contains("Max-Age=0");

    assertThat(get("/ui/session", cookie, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/admin/keys", cookie, Map.of()).statusCode()).isEqualTo(401);
    // Another session of the same key is unaffected.
    String other = cookie(formLogin(KeysApi.MASTER, Map.of()));
    assertThat(get("/ui/session", other, Map.of()).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/ui/logout", "", other, Map.of("x-csrf-token",
        json(get("/ui/session", other, Map.of())).path("csrf").asText())).statusCode()).isEqualTo(204);
    assertThat(get("/ui/session", other, Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void aTamperedCookieIsNoSession() throws Exception {
    String cookie = cookie(formLogin(KeysApi.MASTER, Map.of()));
    String value = cookie.substring(cookie.indexOf('=') + 1);
    char last = value.charAt(value.length() - 1);
    String tampered = "sluice_session=" + value.substring(0, value.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThat(get("/ui/session", tampered, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/admin/keys", tampered, Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void everyUiAnswerCarriesTheSecurityHeaders() throws Exception {
    for (String path : List.of("/ui/", "/ui/login", "/ui/assets/app.js", "/ui/vendor/uplot/uPlot.esm.js", "/ui/session")) {
      HttpResponse<String> res = get(path, null, Map.of());
      assertThat(res.headers().firstValue("content-security-policy")).as(path)
          .hasValue("default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
      assertThat(res.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
      assertThat(res.headers().firstValue("referrer-policy")).as(path).hasValue("same-origin");
    }
    for (String html : List.of("/ui/", "/ui/login")) {
      HttpResponse<String> res = get(html, null, Map.of());
      assertThat(res.headers().firstValue("cache-control")).as(html).hasValue("no-store");
      assertThat(res.body()).as(html).doesNotContain("<script>").doesNotContain(" style=").doesNotContain(" onclick=");
    }
  }

  private HttpResponse<String> formLogin(String key, Map<String, String> headers) throws Exception {
    return form("/ui/login", Map.of("key", key), null, headers);
  }

  private HttpResponse<String> jsonLogin(String body) throws Exception {
    return send("POST", "/ui/login", body, null, Map.of());
  }

  private HttpResponse<String> form(String path, Map<String, String> fields, String cookie, Map<String, String> headers)
      throws Exception {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(b::header);
    if (cookie != null) {
      b.header("cookie", cookie);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String cookie, Map<String, String> headers) throws Exception {
    return send("GET", path, null, cookie, headers);
  }

  private HttpResponse<String> send(String method, String path, String body, String cookie, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    headers.forEach(b::header);
    if (cookie != null) {
      b.header("cookie", cookie);
    }
    return gw.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code name=value} of the response's session cookie, as a browser would send it back. */
  private static String cookie(HttpResponse<String> res) {
    String set = res.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError("no cookie: " + res.body()));
    return set.substring(0, set.indexOf(';'));
  }
}
