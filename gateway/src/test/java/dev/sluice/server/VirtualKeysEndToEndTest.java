package dev.sluice.server;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.chat;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static dev.sluice.testing.KeysApi.keyLookups;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.KeyHashes;
import dev.sluice.store.NewKey;
import dev.sluice.testing.Await;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VirtualKeysEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    gateway = TestGateway.start(KeysApi.config(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aCreatedKeyWorksAtOnceAndItsPlainTextIsShownOnlyAtCreation() throws Exception {
    JsonNode created = createKey(gateway, "{\"name\":\"app-a\"}");
    String plain = created.path("key").asText();
    String id = created.path("id").asText();
    assertThat(plain).startsWith("sk-sluice-").hasSize("sk-sluice-".length() + 43).matches("sk-sluice-[0-9A-Za-z]+");
    assertThat(id).startsWith("key_");
    assertThat(created.path("key_prefix").asText()).isEqualTo(plain.substring(0, 12));
    assertThat(created.has("key_hash")).isFalse();
    assertThat(created.path("status").asText()).isEqualTo("active");

    assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200);

    String hash = KeyHashes.sha256Hex(plain);
    for (String path : new String[] {"/admin/keys", "/admin/keys/" + id}) {
      HttpResponse<String> shown = admin(gateway, "GET", path, null);
      assertThat(shown.statusCode()).isEqualTo(200);
      assertThat(shown.body()).contains(id).doesNotContain(plain).doesNotContain(hash).doesNotContain("key_hash");
    }
    assertThat(json(admin(gateway, "GET", "/admin/keys", null)).path("data")).hasSize(1);
  }

  @Test
  void twoCreatedKeysNeverShareTheirText() throws Exception {
    String a = createKey(gateway, "{\"name\":\"a\"}").path("key").asText();
    String b = createKey(gateway, "{\"name\":\"a\"}").path("key").asText();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void aRevokedKeyIsRefusedOnTheVeryNextRequest() throws Exception {
    JsonNode created = createKey(gateway, "{\"name\":\"app-b\"}");
    String plain = created.path("key").asText();
    assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200); // now cached

    HttpResponse<String> revoked = admin(gateway, "DELETE", "/admin/keys/" + created.path("id").asText(), null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(json(revoked).path("status").asText()).isEqualTo("revoked");
    assertThat(json(revoked).path("revoked_at").isTextual()).isTrue();

    HttpResponse<String> refused = chat(gateway, plain, "chat");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("key_revoked");
    assertThat(admin(gateway, "DELETE", "/admin/keys/" + created.path("id").asText(), null).statusCode())
        .as("revoking twice is harmless").isEqualTo(200);
  }

  @Test
  void anExpiredKeyIsRefused() throws Exception {
    JsonNode created = createKey(gateway, "{\"name\":\"app-c\",\"expires_at\":\"2999-01-01T00:00:00Z\"}");
    String plain = created.path("key").asText();
    assertThat(created.path("expires_at").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200);

    HttpResponse<String> patched = admin(gateway, "PATCH", "/admin/keys/" + created.path("id").asText(),
        "{\"expires_at\":\"2001-01-01T00:00:00Z\"}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json(patched).path("status").asText()).isEqualTo("expired");
    HttpResponse<String> refused = chat(gateway, plain, "chat");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("key_expired");

    String stale = "sk-sluice-expiredexpiredexpiredexpiredexpired1234";
    Await.await(gateway.gateway().store().keys().insert(NewKey.fromPlainKey("key_old", stale, "old", Instant.EPOCH)
        .expiresAt(Instant.parse("2020-01-01T00:00:00Z")).build()));
    assertThat(json(chat(gateway, stale, "chat")).path("error").path("code").asText()).isEqualTo("key_expired");
  }

  @Test
  void theModelsAllowListIsEnforced() throws Exception {
    String plain = createKey(gateway, "{\"name\":\"app-d\",\"models\":[\"chat\"]}").path("key").asText();
    assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat(gateway, plain, "other");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("model_not_allowed");
  }

  @Test
  void aKnownKeyIsLookedUpInTheStoreOnceAndUnknownKeysAreRememberedToo() throws Exception {
    String plain = createKey(gateway, "{\"name\":\"app-e\"}").path("key").asText();
    for (int i = 0; i < 5; i++) {
      assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200);
    }
    assertThat(keyLookups(gateway, "store_found")).isEqualTo(1);
    assertThat(keyLookups(gateway, "cache_hit")).isGreaterThanOrEqualTo(4);

    String guess = "sk-sluice-" + "Z".repeat(43);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> refused = chat(gateway, guess, "chat");
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(json(refused).path("error").path("code").asText()).isEqualTo("invalid_api_key");
    }
    assertThat(keyLookups(gateway, "store_unknown")).isEqualTo(1);

    // Not shaped like an issued key: refused without asking the store at all.
    assertThat(chat(gateway, "not-a-sluice-key-at-all-0000000000", "chat").statusCode()).isEqualTo(401);
    assertThat(keyLookups(gateway, "store_unknown")).isEqualTo(1);
  }

  @Test
  void aStoredKeysLimitsReachTheRequestPath() throws Exception {
    String plain = createKey(gateway, "{\"name\":\"app-f\",\"limits\":{\"rpm\":1}}").path("key").asText();
    assertThat(chat(gateway, plain, "chat").statusCode()).isEqualTo(200);
    HttpResponse<String> limited = chat(gateway, plain, "chat");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("requests on key:app-f");
  }

  @Test
  void staticConfigKeysAndTheMasterKeyKeepWorking() throws Exception {
    assertThat(chat(gateway, TestGateway.KEY, "chat").statusCode()).isEqualTo(200);
    assertThat(chat(gateway, KeysApi.MASTER, "chat").statusCode()).isEqualTo(200);
    assertThat(chat(gateway, null, "chat").statusCode()).isEqualTo(401);
  }

  @Test
  void aKeySeesItsOwnSettingsAndSpendButNeverItsHash() throws Exception {
    JsonNode created = createKey(gateway, """
        {"name":"app-g","team":"search","models":["chat","other"],"limits":{"rpm":100,"tpm":5000,"max_concurrency":3},
         "priority":"low","budget":{"usd":"12.5","period":"daily","mode":"soft"},"metadata":{"owner":"g@example.com"}}""");
    String plain = created.path("key").asText();

    HttpResponse<String> res = KeysApi.call(gateway, "GET", "/v1/sluice/key", plain, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode me = json(res);
    assertThat(me.path("id").asText()).isEqualTo(created.path("id").asText());
    assertThat(me.path("name").asText()).isEqualTo("app-g");
    assertThat(me.path("team").asText()).isEqualTo("search");
    assertThat(me.path("models")).hasSize(2);
    assertThat(me.path("limits").path("rpm").asLong()).isEqualTo(100);
    assertThat(me.path("limits").path("tpm").asLong()).isEqualTo(5000);
    assertThat(me.path("limits").path("max_concurrency").asInt()).isEqualTo(3);
    assertThat(me.path("priority").asText()).isEqualTo("low");
    assertThat(me.path("budget").path("usd").asText()).isEqualTo("12.500000");
    assertThat(me.path("budget").path("period").asText()).isEqualTo("daily");
    assertThat(me.path("budget").path("mode").asText()).isEqualTo("soft");
    assertThat(me.path("metadata").path("owner").asText()).isEqualTo("g@example.com");
    assertThat(me.path("spend").path("period").asText()).isEqualTo("daily");
    assertThat(me.path("spend").path("cost_usd").asText()).isEqualTo("0.000000");
    assertThat(me.path("spend").path("remaining_usd").asText()).isEqualTo("12.500000");
    assertThat(res.body()).doesNotContain(plain).doesNotContain(KeyHashes.sha256Hex(plain));

    JsonNode staticKey = json(KeysApi.call(gateway, "GET", "/v1/sluice/key", TestGateway.KEY, null));
    assertThat(staticKey.path("name").asText()).isEqualTo("tester");
    assertThat(staticKey.path("id").isNull()).isTrue();
    assertThat(staticKey.path("models").isNull()).as("every model").isTrue();
  }
  @Test
  void withRedisDownAGatewayStillStartsAndRevokesStoredKeysLocally() throws Exception {
    try (TestGateway alone = TestGateway.start(KeysApi.config(upstream.baseUrl(),
        "redis: { url: \"redis://127.0.0.1:1\" }"))) {
      JsonNode created = createKey(alone, "{\"name\":\"lonely\"}");
      String plain = created.path("key").asText();
      assertThat(chat(alone, plain, "chat").statusCode()).isEqualTo(200);
      assertThat(admin(alone, "DELETE", "/admin/keys/" + created.path("id").asText(), null).statusCode()).isEqualTo(200);
      assertThat(chat(alone, plain, "chat").statusCode()).isEqualTo(401);
    }
  }
}
