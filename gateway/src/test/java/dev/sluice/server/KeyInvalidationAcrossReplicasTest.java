package dev.sluice.server;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.chat;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static dev.sluice.testing.KeysApi.keyLookups;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RedisTestServer;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas sharing one store (one SQLite file, reached through a symbolic link from each
 * replica's own folder so that each keeps its own ledger journal) and one real redis-server.
 */
class KeyInvalidationAcrossReplicasTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @TempDir
  Path dir;
  private RedisTestServer redis;
  private TestGateway a;
  private TestGateway b;

  @BeforeEach
  void start() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    redis = RedisTestServer.startOnFreePort();
    Path dbA = Files.createDirectories(dir.resolve("a")).resolve("keys.db");
    Path dbB = Files.createDirectories(dir.resolve("b")).resolve("keys.db");
    a = TestGateway.start(replica(dbA));
    Files.createSymbolicLink(dbB, dbA);
    b = TestGateway.start(replica(dbB));
  }

  private String replica(Path db) {
    return KeysApi.config(upstream.baseUrl(), """
        store: { url: "sqlite:%s" }
        redis: { url: "%s" }
        """.formatted(db, redis.uri()));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      b.close();
      a.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void aKeyRevokedOnOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
    JsonNode created = createKey(a, "{\"name\":\"roaming\"}");
    String plain = created.path("key").asText();
    assertThat(chat(b, plain, "chat").statusCode()).isEqualTo(200);
    assertThat(chat(b, plain, "chat").statusCode()).isEqualTo(200);
    assertThat(keyLookups(b, "store_found")).as("the second request came from b's cache").isEqualTo(1);

    assertThat(admin(a, "DELETE", "/admin/keys/" + created.path("id").asText(), null).statusCode()).isEqualTo(200);

    HttpResponse<String> refused = untilStatus(b, plain, "chat", 401, Duration.ofSeconds(1));
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("key_revoked");
  }

  @Test
  void aChangeMadeOnOneReplicaReachesTheOther() throws Exception {
    JsonNode created = createKey(a, "{\"name\":\"narrowed\"}");
    String plain = created.path("key").asText();
    assertThat(chat(b, plain, "other").statusCode()).isEqualTo(200);

    assertThat(admin(a, "PATCH", "/admin/keys/" + created.path("id").asText(), "{\"models\":[\"chat\"]}")
        .statusCode()).isEqualTo(200);

    HttpResponse<String> refused = untilStatus(b, plain, "other", 403, Duration.ofSeconds(1));
    assertThat(json(refused).path("error").path("code").asText()).isEqualTo("model_not_allowed");
    assertThat(chat(b, plain, "chat").statusCode()).isEqualTo(200);
  }

  @Test
  void invalidationsResumeAfterRedisRestarts() throws Exception {
    JsonNode created = createKey(a, "{\"name\":\"survivor\"}");
    String plain = created.path("key").asText();
    assertThat(chat(b, plain, "chat").statusCode()).isEqualTo(200);

    redis.stop();
    redis.start();
    assertThat(admin(a, "DELETE", "/admin/keys/" + created.path("id").asText(), null).statusCode()).isEqualTo(200);

    // Either the message arrives on b's re-established subscription, or b drops its cache when it
    // re-subscribes (messages sent while it was away are lost): the key is refused either way.
    untilStatus(b, plain, "chat", 401, Duration.ofSeconds(15));
  }

  /** Repeats the request until it answers {@code status}; fails after {@code within}. */
  private static HttpResponse<String> untilStatus(TestGateway g, String key, String model, int status, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> last;
    do {
      last = chat(g, key, model);
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(10);
    } while (System.nanoTime() - deadline < 0);
    throw new AssertionError("still " + last.statusCode() + " after " + within + ": " + last.body());
  }
}
