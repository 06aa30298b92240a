package dev.sluice.admin;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.KeyHashes;
import dev.sluice.store.audit.AuditQuery;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log through the real server over real sockets: every admin write leaves one entry
 * (also a refused one), with the actor's id, the client's address and before/after values and
 * never a secret; {@code GET /admin/audit} filters and pages them. The admin routes run on a
 * clock the test sets, so each write's time is known.
 */
class AdminAuditEndToEndTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ACTOR = "master:" + KeyHashes.sha256Hex(KeysApi.MASTER).substring(0, 8);
  private static final String WEBHOOK = "https://hooks.example.com/services/T000/B000/webhooksecret42";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private final SetClock clock = new SetClock(T0);
  private TestGateway gateway;

  /** A wall clock the test moves. */
  private static final class SetClock extends Clock {
    private volatile Instant now;

    SetClock(Instant now) {
      this.now = now;
    }

    void at(Duration sinceT0) {
      now = T0.plus(sinceT0);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void start() throws Exception {
    gateway = TestGateway.startWithAdmin(KeysApi.config(upstream.baseUrl(), ""),
        new AdminRoutes(clock, new SecureRandom()));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  private HttpResponse<String> write(Duration at, String method, String path, String body) throws Exception {
    clock.at(at);
    return admin(gateway, method, path, body);
  }

  private JsonNode audit(String query) throws Exception {
    HttpResponse<String> res = admin(gateway, "GET", "/admin/audit" + query, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res);
  }

  private static List<String> field(JsonNode page, String name) {
    List<String> out = new ArrayList<>();
    page.path("data").forEach(e -> out.add(e.path(name).asText()));
    return out;
  }

  @Test
  void everyAdminWriteLeavesOneEntryWithBeforeAndAfterAndNoSecret() throws Exception {
    clock.at(Duration.ZERO);
    JsonNode created = createKey(gateway, "{\"name\":\"app\",\"team\":\"red\",\"budget\":{\"usd\":\"5\"}}");
    String id = created.path("id").asText();
    String plain = created.path("key").asText();
    assertThat(plain).startsWith("sk-sluice-");
    assertThat(write(Duration.ofSeconds(1), "PATCH", "/admin/keys/" + id,
        "{\"team\":\"blue\",\"budget\":{\"usd\":\"7.5\"}}").statusCode()).isEqualTo(200);
    assertThat(admin(gateway, "GET", "/admin/keys/" + id, null).statusCode()).as("a read is no write").isEqualTo(200);
    assertThat(write(Duration.ofSeconds(2), "DELETE", "/admin/keys/" + id, null).statusCode()).isEqualTo(200);
    assertThat(write(Duration.ofSeconds(3), "POST", "/admin/teams",
        "{\"name\":\"search\",\"budget\":{\"usd\":500,\"alert_webhook\":\"" + WEBHOOK + "\"}}").statusCode())
        .isEqualTo(201);
    assertThat(write(Duration.ofSeconds(4), "POST", "/admin/teams",
        "{\"name\":\"search\",\"budget\":{\"usd\":800,\"period\":\"daily\"}}").statusCode()).isEqualTo(200);

    HttpResponse<String> raw = admin(gateway, "GET", "/admin/audit", null);
    JsonNode page = json(raw);
    JsonNode data = page.path("data");
    assertThat(field(page, "action")).as("newest first")
        .containsExactly("team.upsert", "team.upsert", "key.revoke", "key.update", "key.create");
    assertThat(page.path("has_more").asBoolean()).isFalse();
    assertThat(page.path("next_cursor").isNull()).isTrue();
    for (JsonNode e : data) {
      assertThat(e.path("object").asText()).isEqualTo("sluice.audit_entry");
      assertThat(e.path("id").asText()).startsWith("aud_");
      assertThat(e.path("actor").asText()).isEqualTo(ACTOR);
      assertThat(e.path("client_ip").asText()).isEqualTo("127.0.0.1");
      assertThat(e.path("error").isNull()).isTrue();
    }
    assertThat(field(page, "created_at")).containsExactly("2026-03-01T10:00:04Z", "2026-03-01T10:00:03Z",
        "2026-03-01T10:00:02Z", "2026-03-01T10:00:01Z", "2026-03-01T10:00:00Z");
    assertThat(field(page, "status")).containsExactly("200", "201", "200", "200", "201");
    assertThat(field(page, "method")).containsExactly("POST", "POST", "DELETE", "PATCH", "POST");
    assertThat(field(page, "route")).containsExactly("/admin/teams", "/admin/teams", "/admin/keys/:id",
        "/admin/keys/:id", "/admin/keys");
    assertThat(field(page, "path")).containsExactly("/admin/teams", "/admin/teams", "/admin/keys/" + id,
        "/admin/keys/" + id, "/admin/keys");
    assertThat(field(page, "target")).containsExactly("search", "search", id, id, id);

    JsonNode create = data.get(4);
    assertThat(create.path("before").isNull()).isTrue();
    assertThat(create.path("after").path("id").asText()).isEqualTo(id);
    assertThat(create.path("after").path("team").asText()).isEqualTo("red");
    assertThat(create.path("after").path("budget").path("usd").asText()).isEqualTo("5.000000");
    assertThat(create.path("after").has("key")).as("the plain key is not kept").isFalse();
    assertThat(create.path("after").path("key_prefix").asText()).isEqualTo(plain.substring(0, 12));

    JsonNode patch = data.get(3);
    assertThat(patch.path("before").path("team").asText()).isEqualTo("red");
    assertThat(patch.path("before").path("budget").path("usd").asText()).isEqualTo("5.000000");
    assertThat(patch.path("after").path("team").asText()).isEqualTo("blue");
    assertThat(patch.path("after").path("budget").path("usd").asText()).isEqualTo("7.500000");

    JsonNode revoke = data.get(2);
    assertThat(revoke.path("before").path("status").asText()).isEqualTo("active");
    assertThat(revoke.path("before").path("revoked_at").isNull()).isTrue();
    assertThat(revoke.path("after").path("status").asText()).isEqualTo("revoked");
    assertThat(revoke.path("after").path("revoked_at").asText()).isEqualTo("2026-03-01T10:00:02Z");

    JsonNode team = data.get(1);
    assertThat(team.path("before").isNull()).as("a new team").isTrue();
    assertThat(team.path("after").path("budget").path("usd").asText()).isEqualTo("500.000000");
    assertThat(team.path("after").path("budget").path("alert_webhook").asText())
        .as("the webhook's host stays, its path (which often holds a token) does not")
        .startsWith("https://hooks.example.com/…").contains("sha256:").doesNotContain("webhooksecret42");
    JsonNode replaced = data.get(0);
    assertThat(replaced.path("before").path("budget").path("usd").asText()).isEqualTo("500.000000");
    assertThat(replaced.path("after").path("budget").path("usd").asText()).isEqualTo("800.000000");
    assertThat(replaced.path("after").path("budget").path("period").asText()).isEqualTo("daily");

    // No secret anywhere: not in the API's answer, not in the table.
    String stored = await(gateway.gateway().store().audit().list(AuditQuery.newest(500))).entries().toString();
    for (String text : new String[] {raw.body(), stored}) {
      assertThat(text).doesNotContain(plain).doesNotContain(plain.substring(10))
          .doesNotContain(KeyHashes.sha256Hex(plain)).doesNotContain(KeysApi.MASTER)
          .doesNotContain("webhooksecret42");
    }
  }

  @Test
  void refusedWritesAreRecordedWithTheirStatusAndUnauthenticatedOnesAreNot() throws Exception {
    HttpResponse<String> invalid = write(Duration.ofSeconds(1), "POST", "/admin/keys",
        "{\"name\":\"x\",\"limits\":{\"rpm\":-1}}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(write(Duration.ofSeconds(2), "PATCH", "/admin/keys/key_nope", "{\"team\":\"x\"}").statusCode())
        .isEqualTo(404);
    assertThat(write(Duration.ofSeconds(3), "DELETE", "/admin/keys/key_nope", null).statusCode()).isEqualTo(404);
    assertThat(write(Duration.ofSeconds(4), "POST", "/admin/teams", "{\"name\":\"t\",\"budget\":{\"usd\":\"-1\"}}")
        .statusCode()).isEqualTo(400);
    // not by an admin credential, or not a write route: nothing to record
    assertThat(KeysApi.call(gateway, "POST", "/admin/keys", TestGateway.KEY, "{\"name\":\"y\"}").statusCode())
        .isEqualTo(401);
    assertThat(KeysApi.call(gateway, "DELETE", "/admin/keys/key_nope", null, null).statusCode()).isEqualTo(401);
    assertThat(admin(gateway, "POST", "/admin/nothing-here", "{}").statusCode()).isEqualTo(404);

    JsonNode data = audit("").path("data");
    assertThat(field(audit(""), "status")).containsExactly("400", "404", "404", "400");
    assertThat(field(audit(""), "action")).containsExactly("team.upsert", "key.revoke", "key.update", "key.create");
    JsonNode team = data.get(0);
    assertThat(team.path("target").asText()).isEqualTo("t");
    assertThat(team.path("error").asText()).contains("budget.usd");
    assertThat(data.get(1).path("target").asText()).isEqualTo("key_nope");
    assertThat(data.get(1).path("error").asText()).isEqualTo("No key with id 'key_nope'");
    JsonNode key = data.get(3);
    assertThat(key.path("target").isNull()).as("no key was made").isTrue();
    assertThat(key.path("error").asText()).isEqualTo(json(invalid).path("error").path("message").asText());
    for (JsonNode e : data) {
      assertThat(e.path("before").isNull()).isTrue();
      assertThat(e.path("after").isNull()).isTrue();
      assertThat(e.path("actor").asText()).isEqualTo(ACTOR);
    }
  }

  @Test
  void filtersAndCursorPagesOverRealWrites() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.at(Duration.ofSeconds(i));
      ids.add(createKey(gateway, "{\"name\":\"k" + i + "\"}").path("id").asText());
    }
    write(Duration.ofSeconds(3), "PATCH", "/admin/keys/" + ids.get(0), "{\"team\":\"red\"}");
    write(Duration.ofSeconds(4), "DELETE", "/admin/keys/" + ids.get(1), null);
    write(Duration.ofSeconds(5), "POST", "/admin/teams", "{\"name\":\"red\"}");

    assertThat(field(audit("?action=key.create"), "target")).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(field(audit("?target=" + ids.get(0)), "action")).containsExactly("key.update", "key.create");
    assertThat(field(audit("?target=red&action=team.upsert"), "created_at")).containsExactly("2026-03-01T10:00:05Z");
    assertThat(audit("?actor=" + ACTOR).path("data")).hasSize(6);
    assertThat(audit("?actor=master:00000000").path("data")).isEmpty();
    List<String> window = List.of("2026-03-01T10:00:03Z", "2026-03-01T10:00:02Z", "2026-03-01T10:00:01Z");
    assertThat(field(audit("?from=" + enc("2026-03-01T10:00:01Z") + "&to=" + enc("2026-03-01T10:00:04Z")),
        "created_at")).as("from inclusive, to exclusive").containsExactlyElementsOf(window);
    assertThat(field(audit("?since=" + enc("2026-03-01T11:00:01+01:00") + "&until=" + enc("2026-03-01T10:00:04Z")),
        "created_at")).as("since/until are from/to").containsExactlyElementsOf(window);
    assertThat(audit("?from=2026-03-02").path("data")).as("a date is its start, UTC").isEmpty();
    assertThat(audit("?to=2026-03-02").path("data")).hasSize(6);

    List<String> all = field(audit(""), "id");
    assertThat(all).hasSize(6).doesNotHaveDuplicates();
    List<String> paged = new ArrayList<>();
    String query = "?limit=4";
    JsonNode page = audit(query);
    assertThat(page.path("data")).hasSize(4);
    assertThat(page.path("has_more").asBoolean()).isTrue();
    paged.addAll(field(page, "id"));
    page = audit(query + "&cursor=" + page.path("next_cursor").asText());
    assertThat(page.path("has_more").asBoolean()).isFalse();
    assertThat(page.path("next_cursor").isNull()).isTrue();
    paged.addAll(field(page, "id"));
    assertThat(paged).containsExactlyElementsOf(all);

    List<String> oneByOne = new ArrayList<>();
    String cursor = null;
    do {
      page = audit("?limit=1&action=key.create" + (cursor == null ? "" : "&cursor=" + cursor));
      oneByOne.addAll(field(page, "target"));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(oneByOne).containsExactly(ids.get(2), ids.get(1), ids.get(0));
  }

  @Test
  void badFiltersAreA400NamingTheParameter() throws Exception {
    String[][] cases = {
        {"?limit=0", "limit"}, {"?limit=501", "limit"}, {"?limit=ten", "limit"},
        {"?cursor=not-ours", "cursor"}, {"?from=yesterday", "from"}, {"?until=2026-13-01", "until"},
        {"?from=2026-03-01&since=2026-03-01", "since"}, {"?from=2026-03-02&to=2026-03-01", "to"},
        {"?colour=red", "colour"}, {"?actor=a&actor=b", "actor"}, {"?target=" + "x".repeat(201), "target"},
    };
    for (String[] c : cases) {
      HttpResponse<String> res = admin(gateway, "GET", "/admin/audit" + c[0], null);
      assertThat(res.statusCode()).as(c[0] + " " + res.body()).isEqualTo(400);
      JsonNode error = json(res).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("param").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(error.path("message").asText()).isNotBlank();
    }
    assertThat(KeysApi.call(gateway, "GET", "/admin/audit", TestGateway.KEY, null).statusCode())
        .as("a client key may not read it").isEqualTo(401);
  }

  @Test
  void aWriteWhoseEntryCannotBeWrittenIsRefusedAndChangesNothing() throws Exception {
    String db = gateway.gateway().config().storeUrl().substring("sqlite:".length());
    sql(db, "ALTER TABLE audit_log RENAME TO audit_log_away");
    HttpResponse<String> refused = admin(gateway, "POST", "/admin/keys", "{\"name\":\"ghost\"}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("store_unavailable");
    assertThat(admin(gateway, "PATCH", "/admin/keys/key_nope", "{\"team\":\"x\"}").statusCode()).isEqualTo(503);
    assertThat(json(admin(gateway, "GET", "/admin/keys", null)).path("data")).as("no key was made").isEmpty();

    sql(db, "ALTER TABLE audit_log_away RENAME TO audit_log");
    createKey(gateway, "{\"name\":\"real\"}");
    assertThat(field(audit(""), "status")).as("only the write that went through").containsExactly("201");
  }

  private static void sql(String db, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute(statement);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
