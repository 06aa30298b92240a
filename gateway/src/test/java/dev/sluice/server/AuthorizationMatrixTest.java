package dev.sluice.server;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who can reach what. Every route of the gateway's own router (taken from the running router, not
 * from a list kept by hand) is sent a real request with each kind of credential, and the status is
 * checked against {@link #EXPECTED}. A route with no row fails the test, naming the route: adding a
 * route means deciding who may call it.
 *
 * <p>The console's session cookies are credentials too: unless a row says otherwise, an admin
 * session reaches what the master key reaches under {@code /admin/} (a write without its CSRF
 * token: 403), a client session what tenant A's key reaches under {@code /v1/sluice/}, and neither
 * is a key anywhere else ({@link #withSessions}).
 *
 * <p>One gateway (with the console mounted) with a master key and a metrics key; client keys are stored keys of two teams
 * (tenant A of team red, tenant B of team blue). Path parameters are real: a request A made, a key,
 * a team.
 */
class AuthorizationMatrixTest {
  private static final String METRICS_KEY = "sk-metrics-scrape-key-0123456789";

  /** The credentials each route is tried with. */
  enum Cred {
    /** No Authorization or x-api-key header. */
    NONE,
    /** Tenant A's valid key, but under a scheme that is not Bearer. */
    MALFORMED,
    /** A key shaped like an issued one that nobody issued (so it is looked up in the store). */
    UNKNOWN,
    REVOKED,
    EXPIRED,
    /** Tenant A's valid key. */
    CLIENT,
    /** Tenant B's valid key (another team). */
    OTHER_TENANT,
    /** {@code server.metrics_key}: good for {@code /metrics} only. */
    METRICS_KEY,
    MASTER,
    /** The web console's session cookie of the master key, no header (writes carry no CSRF token). */
    ADMIN_SESSION,
    /** The web console's session cookie of tenant A's key, no header (writes carry no CSRF token). */
    CLIENT_SESSION
  }

  /** The shape a 401 must have on the route. */
  enum Shape { OPENAI, ANTHROPIC }

  /**
   * One route's probe and expectations.
   *
   * @param path a concrete path; {request}, {key} and {team} are replaced by A's request id, a key id and a team
   */
  record Row(String method, String path, String body, Shape shape, Map<Cred, Integer> expected) {}

  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String EMBED = "{\"model\":\"chat\",\"input\":\"Hi\"}";
  private static final String MESSAGES = "{\"model\":\"chat\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String RESPONSES = "{\"model\":\"chat\",\"input\":\"Hi\"}";
  private static final String COUNT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /** Route (as {@code Gateway#routeTable} spells it) → probe and expected status per credential. */
  private static final Map<String, Row> EXPECTED = new TreeMap<>();

  static {
    row("GET /health/live", "/health/live", null, Shape.OPENAI, open());
    row("GET /health/ready", "/health/ready", null, Shape.OPENAI, open());
    row("GET /metrics", "/metrics", null, Shape.OPENAI, metricsScrape());
    for (String prefix : new String[] {"/v1", ""}) {
      row("POST " + prefix + "/chat/completions", prefix + "/chat/completions", CHAT, Shape.OPENAI, clientApi(200));
      row("POST " + prefix + "/embeddings", prefix + "/embeddings", EMBED, Shape.OPENAI, clientApi(200));
      row("GET " + prefix + "/models", prefix + "/models", null, Shape.OPENAI, clientApi(200));
    }
    row("POST /v1/messages", "/v1/messages", MESSAGES, Shape.ANTHROPIC, clientApi(200));
    row("POST /v1/messages/count_tokens", "/v1/messages/count_tokens", COUNT, Shape.ANTHROPIC, clientApi(200));
    row("POST /v1/responses", "/v1/responses", RESPONSES, Shape.OPENAI, clientApi(200));
    // Stored responses pass through to providers of type openai; this gateway has none: any key finds nothing.
    row("GET /v1/responses/:id", "/v1/responses/resp_missing", null, Shape.OPENAI, clientApi(404));
    row("DELETE /v1/responses/:id", "/v1/responses/resp_missing", null, Shape.OPENAI, clientApi(404));
    row("GET /v1/responses/:id/input_items", "/v1/responses/resp_missing/input_items", null, Shape.OPENAI,
        clientApi(404));
    row("GET /v1/sluice/key", "/v1/sluice/key", null, Shape.OPENAI, clientApi(200));
    row("GET /v1/sluice/spend", "/v1/sluice/spend", null, Shape.OPENAI, clientApi(200));
    row("GET /v1/sluice/requests", "/v1/sluice/requests", null, Shape.OPENAI, clientApi(200));
    row("GET /v1/sluice/stats", "/v1/sluice/stats", null, Shape.OPENAI, clientApi(200));
    // Only A made this request: B's key, and the master key on a tenant route, find nothing.
    row("GET /v1/sluice/requests/:id", "/v1/sluice/requests/{request}", null, Shape.OPENAI, onlyTenantA());
    // The admin guard covers every path under /admin/, routed or not.
    row("* /admin/*", "/admin/no-such-route", null, Shape.OPENAI, masterOnly(404));
    row("GET /admin/breakers", "/admin/breakers", null, Shape.OPENAI, masterOnly(200));
    row("POST /admin/keys", "/admin/keys", "{\"name\":\"made-by-matrix\"}", Shape.OPENAI, masterOnly(201));
    row("GET /admin/keys", "/admin/keys", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/keys/:id", "/admin/keys/{key}", null, Shape.OPENAI, masterOnly(200));
    row("PATCH /admin/keys/:id", "/admin/keys/{key}", "{\"metadata\":{\"touched\":true}}", Shape.OPENAI, masterOnly(200));
    row("DELETE /admin/keys/:id", "/admin/keys/{key}", null, Shape.OPENAI, masterOnly(200));
    row("POST /admin/teams", "/admin/teams", "{\"name\":\"made-by-matrix\"}", Shape.OPENAI, masterOnly(201));
    row("GET /admin/teams", "/admin/teams", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/teams/:name", "/admin/teams/{team}", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/spend", "/admin/spend", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/requests", "/admin/requests", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/requests/:id", "/admin/requests/{request}", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/stats", "/admin/stats", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/audit", "/admin/audit", null, Shape.OPENAI, masterOnly(200));
    row("POST /admin/cost/estimate", "/admin/cost/estimate", "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":1,"
        + "\"input_tokens\":100,\"output_tokens\":10}", Shape.OPENAI, masterOnly(200));
    row("POST /admin/cost/replay", "/admin/cost/replay", "{\"model\":\"gpt-4o-mini\"}", Shape.OPENAI, masterOnly(200));
    row("GET /admin/cost/savings", "/admin/cost/savings", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/config", "/admin/config", null, Shape.OPENAI, masterOnly(200));
    // Started without a config file: the master key gets past the guard to "nothing to reload" (400).
    row("POST /admin/config/reload", "/admin/config/reload", null, Shape.OPENAI, masterOnly(400));
    row("GET /admin/providers", "/admin/providers", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/shadow", "/admin/shadow", null, Shape.OPENAI, masterOnly(200));
    row("GET /admin/canary", "/admin/canary", null, Shape.OPENAI, masterOnly(200));
    // "chat" has no canary: the master key gets past the guard to a 404, everyone else stops at it.
    row("GET /admin/canary/:name", "/admin/canary/chat", null, Shape.OPENAI, masterOnly(404));
    row("POST /admin/canary/:name/:action", "/admin/canary/chat/pause", null, Shape.OPENAI, masterOnly(404));
    // The web console: its pages and assets are public (they hold no data); its data comes from the
    // routes above. The key to sign in is in the body, so no header signs anyone in.
    row("* /ui*", "/ui/no-such-page", null, Shape.OPENAI, all(404));
    row("GET /ui", "/ui/", null, Shape.OPENAI, open());
    row("GET /ui/assets/*", "/ui/assets/app.js", null, Shape.OPENAI, open());
    row("GET /ui/vendor/uplot/*", "/ui/vendor/uplot/uPlot.esm.js", null, Shape.OPENAI, open());
    row("GET /ui/login", "/ui/login", null, Shape.OPENAI, open());
    row("POST /ui/login", "/ui/login", "{\"key\":\"sk-sluice-" + "N0tAK3y".repeat(5) + "\"}", Shape.OPENAI, all(401));
    row("GET /ui/session", "/ui/session", null, Shape.OPENAI, sessionOnly(200, 200));
    row("POST /ui/logout", "/ui/logout", null, Shape.OPENAI, sessionOnly(403, 403)); // no CSRF token
    // Where the console's session is read: before the tenant routes (and the admin guard, above).
    row("* /v1/sluice/*", "/v1/sluice/no-such-route", null, Shape.OPENAI, all(404));
    // Anything else is a 404 for everyone: an unknown path is not a place to probe keys.
    row("* *", "/no-such-route", null, Shape.OPENAI, all(404));
  }

  private TestGateway gateway;
  private final Map<Cred, String> sessions = new EnumMap<>(Cred.class);
  private JsonNode tenantA;
  private JsonNode tenantB;
  private final Map<Cred, String> keys = new EnumMap<>(Cred.class);
  private String requestOfA;
  private String keyId;

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.startWithConsole("""
        server: { host: 127.0.0.1, master_key: %s, metrics_key: %s }
        providers:
          - { name: mock, type: mock }
        models:
          - name: chat
            targets: [ { provider: mock, model: mock-model } ]
        """.formatted(KeysApi.MASTER, METRICS_KEY));
    tenantA = createKey(gateway, "{\"name\":\"tenant-a\",\"team\":\"red\"}");
    tenantB = createKey(gateway, "{\"name\":\"tenant-b\",\"team\":\"blue\"}");
    JsonNode revoked = createKey(gateway, "{\"name\":\"gone\"}");
    assertThat(admin(gateway, "DELETE", "/admin/keys/" + revoked.path("id").asText(), null).statusCode()).isEqualTo(200);
    JsonNode expired = createKey(gateway, "{\"name\":\"old\",\"expires_at\":\"2999-01-01T00:00:00Z\"}");
    assertThat(admin(gateway, "PATCH", "/admin/keys/" + expired.path("id").asText(),
        "{\"expires_at\":\"2001-01-01T00:00:00Z\"}").statusCode()).isEqualTo(200);
    keyId = createKey(gateway, "{\"name\":\"target-of-admin-routes\"}").path("id").asText();
    assertThat(admin(gateway, "POST", "/admin/teams", "{\"name\":\"red\"}").statusCode()).isEqualTo(201);

    keys.put(Cred.UNKNOWN, "sk-sluice-" + "N0b0dy1ssuedTh1sKey".repeat(2) + "abcde");
    keys.put(Cred.REVOKED, revoked.path("key").asText());
    keys.put(Cred.EXPIRED, expired.path("key").asText());
    keys.put(Cred.CLIENT, tenantA.path("key").asText());
    keys.put(Cred.OTHER_TENANT, tenantB.path("key").asText());
    keys.put(Cred.METRICS_KEY, METRICS_KEY);
    keys.put(Cred.MASTER, KeysApi.MASTER);

    sessions.put(Cred.ADMIN_SESSION, signIn(KeysApi.MASTER));
    sessions.put(Cred.CLIENT_SESSION, signIn(keys.get(Cred.CLIENT)));

    HttpResponse<String> made = KeysApi.chat(gateway, keys.get(Cred.CLIENT), "chat");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    requestOfA = made.headers().firstValue("x-request-id").orElseThrow();
    awaitLogged(requestOfA, "tenant-a");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void everyRouteOfTheRouterHasARowInTheMatrix() {
    SortedSet<String> routes = gateway.gateway().routeTable();
    SortedSet<String> missing = new TreeSet<>(routes);
    missing.removeAll(EXPECTED.keySet());
    assertThat(missing).as("routes with no row in AuthorizationMatrixTest.EXPECTED: decide who may call them")
        .isEmpty();
    SortedSet<String> stale = new TreeSet<>(EXPECTED.keySet());
    stale.removeAll(routes);
    assertThat(stale).as("rows for routes the router no longer has").isEmpty();
  }

  @Test
  void everyRouteAnswersEachCredentialAsTheMatrixSays() throws Exception {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    String idOfA = tenantA.path("id").asText();
    for (String route : gateway.gateway().routeTable()) {
      Row row = EXPECTED.get(route);
      if (row == null) {
        wrong.add(route + ": no row (see everyRouteOfTheRouterHasARowInTheMatrix)");
        continue;
      }
      for (Cred cred : Cred.values()) {
        cells++;
        HttpResponse<String> res = send(row, cred);
        int expected = row.expected().get(cred);
        String cell = route + " with " + cred + " (" + row.method() + " " + res.uri().getPath() + ")";
        if (res.statusCode() != expected) {
          wrong.add(cell + ": expected " + expected + ", got " + res.statusCode() + " " + brief(res.body()));
          continue;
        }
        if (expected == 401 && !isAuthError(res, row.shape())) {
          wrong.add(cell + ": 401 not in the " + row.shape() + " error shape: " + brief(res.body()));
        }
        // Only A, the master key and the scraper (budget gauges name keys: operator data) may see A's key.
        boolean mayReadA = cred == Cred.CLIENT || cred == Cred.MASTER || cred == Cred.CLIENT_SESSION
            || cred == Cred.ADMIN_SESSION
            || (cred == Cred.METRICS_KEY && route.equals("GET /metrics"));
        if (!mayReadA && (res.body().contains(idOfA) || res.body().contains("tenant-a"))) {
          wrong.add(cell + ": the answer names tenant A's key: " + brief(res.body()));
        }
      }
    }
    assertThat(wrong).as("matrix cells that differ").isEmpty();
    assertThat(cells).isEqualTo(EXPECTED.size() * Cred.values().length);
  }

  @Test
  void aKeyShapedLikeSqlIsJustAnUnknownKey() throws Exception {
    String[] injections = {
        "' OR '1'='1",
        "sk-sluice-' OR '1'='1' --abcdefghijklmnop", // shaped like an issued key: it reaches the store lookup
        "sk-sluice-x'; DROP TABLE api_keys; --abcdefgh",
        "sk-sluice-\" OR \"\"=\"\" OR key_hash LIKE '%"};
    for (String key : injections) {
      for (String[] probe : new String[][] {{"POST", "/v1/chat/completions", CHAT}, {"GET", "/v1/sluice/key", null},
          {"GET", "/admin/keys", null}, {"GET", "/metrics", null}}) {
        HttpResponse<String> res = KeysApi.call(gateway, probe[0], probe[1], key, probe[2]);
        assertThat(res.statusCode()).as(key + " on " + probe[1] + ": " + res.body()).isEqualTo(401);
        assertThat(res.body()).doesNotContain("tenant-a").doesNotContain("tenant-b");
      }
    }
    // The keys table is intact and still answers.
    assertThat(KeysApi.chat(gateway, keys.get(Cred.CLIENT), "chat").statusCode()).isEqualTo(200);
    assertThat(json(admin(gateway, "GET", "/admin/keys", null)).path("data").size()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void metricsNeedTheMetricsKeyOrTheMasterKeyAsABearer() throws Exception {
    HttpResponse<String> refused = KeysApi.call(gateway, "GET", "/metrics", null, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"sluice-metrics\"");
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(refused.body()).doesNotContain("sluice_requests_total");

    for (String key : new String[] {METRICS_KEY, KeysApi.MASTER}) {
      HttpResponse<String> scrape = KeysApi.call(gateway, "GET", "/metrics", key, null);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
      assertThat(scrape.body()).contains("sluice_requests_total");
    }
    // Only as a bearer: the metrics key in x-api-key, or a near miss, is refused.
    assertThat(send("/metrics", "x-api-key", METRICS_KEY).statusCode()).isEqualTo(401);
    assertThat(KeysApi.call(gateway, "GET", "/metrics", METRICS_KEY + "x", null).statusCode()).isEqualTo(401);
    assertThat(KeysApi.call(gateway, "GET", "/metrics", METRICS_KEY.substring(1), null).statusCode()).isEqualTo(401);
    // Health stays open for the orchestrator's probes.
    assertThat(KeysApi.call(gateway, "GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAMasterKeyEveryAdminRouteIsOffAndMetricsAreOpen() throws Exception {
    try (TestGateway plain = TestGateway.start("""
        server: { host: 127.0.0.1 }
        providers:
          - { name: mock, type: mock }
        models:
          - name: chat
            targets: [ { provider: mock, model: mock-model } ]
        keys:
          - { key: %s, name: tester }
        """.formatted(TestGateway.KEY))) {
      List<String> wrong = new ArrayList<>();
      int adminRoutes = 0;
      for (String route : plain.gateway().routeTable()) {
        Row row = EXPECTED.get(route);
        if (row == null || !row.path().startsWith("/admin/")) {
          continue;
        }
        adminRoutes++;
        String path = row.path().replace("{request}", "req_x").replace("{key}", "key_x").replace("{team}", "red");
        for (String key : new String[] {null, "sk-sluice-" + "x".repeat(43), TestGateway.KEY, KeysApi.MASTER}) {
          HttpResponse<String> res = KeysApi.call(plain, row.method(), path, key, row.body());
          if (res.statusCode() != 403 || !json(res).path("error").path("type").asText().equals("permission_error")) {
            wrong.add(route + " with " + key + ": " + res.statusCode() + " " + res.body());
          }
        }
      }
      assertThat(wrong).isEmpty();
      assertThat(adminRoutes).isGreaterThanOrEqualTo(14);
      assertThat(plain.get("/metrics", null).statusCode()).as("no metrics_key: open").isEqualTo(200);
    }
  }

  private HttpResponse<String> send(Row row, Cred cred) throws Exception {
    String path = row.path().replace("{request}", requestOfA).replace("{key}", keyId).replace("{team}", "red");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(20))
        .method(row.method(), row.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(row.body(), StandardCharsets.UTF_8));
    if (row.body() != null) {
      b.header("content-type", "application/json");
    }
    if (row.shape() == Shape.ANTHROPIC) {
      b.header("anthropic-version", "2023-06-01");
    }
    switch (cred) {
      case NONE -> { }
      case MALFORMED -> b.header("authorization", "Token " + keys.get(Cred.CLIENT));
      case ADMIN_SESSION, CLIENT_SESSION -> b.header("cookie", sessions.get(cred));
      default -> b.header("authorization", "Bearer " + keys.get(cred));
    }
    return gateway.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in to the console with {@code key}; the session cookie as a browser sends it back. */
  private String signIn(String key) throws Exception {
    HttpResponse<String> res = KeysApi.call(gateway, "POST", "/ui/login", null, "{\"key\":\"" + key + "\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    String set = res.headers().firstValue("set-cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private HttpResponse<String> send(String path, String header, String value) throws Exception {
    return gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(20))
        .header(header, value).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String brief(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }

  private static boolean isAuthError(HttpResponse<String> res, Shape shape) throws Exception {
    JsonNode body = json(res);
    boolean openAi = body.path("error").path("type").asText().equals("authentication_error");
    return switch (shape) {
      case OPENAI -> openAi && !body.has("type");
      case ANTHROPIC -> body.path("type").asText().equals("error") && openAi;
    };
  }

  /** Waits (bounded) until the request log holds {@code id}: its row is written just after the answer. */
  private void awaitLogged(String id, String keyName) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      Await.await(gateway.gateway().ledger().flush());
      if (Await.await(gateway.gateway().store().requests().find(id, keyName)).isPresent()) {
        return;
      }
      assertThat(System.nanoTime()).as("request " + id + " never reached the request log").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void row(String route, String path, String body, Shape shape, Map<Cred, Integer> expected) {
    String method = route.substring(0, route.indexOf(' '));
    Row previous = EXPECTED.put(route, new Row(method.equals("*") ? "GET" : method, path, body, shape,
        withSessions(method, path, expected)));
    assertThat(previous).as("two rows for " + route).isNull();
  }

  /**
   * The console's sessions where a row does not say: under {@code /admin/} an admin session is the
   * master key (a write, without the CSRF token, 403) and a client session is refused (403); under
   * {@code /v1/sluice/} a client session is tenant A's key and an admin session is refused (403) where
   * a key is needed at all; anywhere else a session is no credential.
   */
  private static Map<Cred, Integer> withSessions(String method, String path, Map<Cred, Integer> expected) {
    Map<Cred, Integer> m = new EnumMap<>(expected);
    boolean write = !method.equals("GET") && !method.equals("*");
    if (path.startsWith("/admin/")) {
      m.putIfAbsent(Cred.ADMIN_SESSION, write ? 403 : expected.get(Cred.MASTER));
      m.putIfAbsent(Cred.CLIENT_SESSION, 403);
    } else if (path.startsWith("/v1/sluice/")) {
      boolean needsKey = !expected.get(Cred.CLIENT).equals(expected.get(Cred.NONE));
      m.putIfAbsent(Cred.CLIENT_SESSION, expected.get(Cred.CLIENT));
      m.putIfAbsent(Cred.ADMIN_SESSION, needsKey ? 403 : expected.get(Cred.NONE));
    } else {
      m.putIfAbsent(Cred.ADMIN_SESSION, expected.get(Cred.NONE));
      m.putIfAbsent(Cred.CLIENT_SESSION, expected.get(Cred.NONE));
    }
    return m;
  }

  /** A console route: {@code admin} and {@code client} for the two sessions, 401 for every header. */
  private static Map<Cred, Integer> sessionOnly(int admin, int client) {
    Map<Cred, Integer> m = all(401);
    m.put(Cred.ADMIN_SESSION, admin);
    m.put(Cred.CLIENT_SESSION, client);
    return m;
  }

  /** {@code status} for every header credential (the sessions follow {@link #withSessions}). */
  private static Map<Cred, Integer> all(int status) {
    Map<Cred, Integer> m = new EnumMap<>(Cred.class);
    for (Cred c : Cred.values()) {
      if (c != Cred.ADMIN_SESSION && c != Cred.CLIENT_SESSION) {
        m.put(c, status);
      }
    }
    return m;
  }

  /** No credential needed. */
  private static Map<Cred, Integer> open() {
    return all(200);
  }

  /** Any valid client key (tenant A, tenant B, the master key, which is also a client key); else 401. */
  private static Map<Cred, Integer> clientApi(int ok) {
    Map<Cred, Integer> m = all(401);
    m.put(Cred.CLIENT, ok);
    m.put(Cred.OTHER_TENANT, ok);
    m.put(Cred.MASTER, ok);
    return m;
  }

  /** Tenant A's own data: A reads it, every other valid key finds nothing (404, not 403: nothing leaks). */
  private static Map<Cred, Integer> onlyTenantA() {
    Map<Cred, Integer> m = all(401);
    m.put(Cred.CLIENT, 200);
    m.put(Cred.OTHER_TENANT, 404);
    m.put(Cred.MASTER, 404);
    return m;
  }

  /** The master key only; every other key, client keys included, 401. */
  private static Map<Cred, Integer> masterOnly(int ok) {
    Map<Cred, Integer> m = all(401);
    m.put(Cred.MASTER, ok);
    return m;
  }

  private static Map<Cred, Integer> metricsScrape() {
    Map<Cred, Integer> m = all(401);
    m.put(Cred.METRICS_KEY, 200);
    m.put(Cred.MASTER, 200);
    return m;
  }
}
