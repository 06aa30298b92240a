package dev.sluice.store.audit;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Store;
import dev.sluice.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log's behaviour, the same on every engine: each subclass supplies a fresh, empty
 * database per test ({@link #newStoreUrl()}); the store migrates it on open.
 */
abstract class AuditLogContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String ROOT = "master:1a2b3c4d";
  static Vertx vertx;
  Store store;
  AuditLog audit;

  /** A URL to an empty database, different for each call. */
  abstract String newStoreUrl() throws Exception;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStore() throws Exception {
    store = await(Store.open(vertx, newStoreUrl()));
    audit = store.audit();
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  static AuditEntry pending(String id, Instant ts, String actor, String action, String target) {
    String path = target == null ? "/admin/keys" : "/admin/keys/" + target;
    return AuditEntry.pending(id, ts, actor, "127.0.0.1", "PATCH", "/admin/keys/:id", path, action, target);
  }

  static AuditEntry done(String id, Instant ts, String actor, String action, String target) {
    return pending(id, ts, actor, action, target).completed(target, 200, null, "{\"team\":\"red\"}",
        "{\"team\":\"blue\"}");
  }

  private List<String> ids(AuditQuery q) {
    return await(audit.list(q)).entries().stream().map(AuditEntry::id).toList();
  }

  @Test
  void aPendingEntryIsCompletedOnceAndThenNeverChanges() {
    AuditEntry ahead = AuditEntry.pending("aud_1", T0.plusNanos(1_234_567), ROOT, "127.0.0.1", "POST", "/admin/keys",
        "/admin/keys", "key.create", null);
    await(audit.insert(ahead));
    AuditEntry stored = await(audit.list(AuditQuery.newest(10))).entries().get(0);
    assertThat(stored).isEqualTo(ahead);
    assertThat(stored.ts()).as("kept to the millisecond").isEqualTo(T0.plusMillis(1));
    assertThat(stored.isComplete()).isFalse();
    assertThat(stored.status()).isNull();

    AuditEntry outcome = ahead.completed("key_7f", 201, null, null, "{\"id\":\"key_7f\",\"name\":\"app\"}");
    assertThat(await(audit.complete(outcome))).isTrue();
    assertThat(await(audit.list(AuditQuery.newest(10))).entries()).containsExactly(outcome);

    AuditEntry rewrite = ahead.completed("key_other", 500, "boom", "{}", "{}");
    assertThat(await(audit.complete(rewrite))).as("a completed entry is never rewritten").isFalse();
    assertThat(await(audit.list(AuditQuery.newest(10))).entries()).containsExactly(outcome);
    assertThat(await(audit.complete(pending("aud_nope", T0, ROOT, "key.update", "k").completed("k", 200, null, null,
        null)))).as("no such entry").isFalse();
  }

  @Test
  void anEntryWrittenWholeKeepsEveryFieldAndItsNulls() {
    AuditEntry failed = new AuditEntry("aud_2", T0, ROOT, null, "DELETE", "/admin/keys/:id", "/admin/keys/key_x",
        "key.revoke", "key_x", 404, "No key with id 'key_x'", null, null);
    AuditEntry full = new AuditEntry("aud_3", T0.plusSeconds(1), ROOT, "::1", "POST", "/admin/teams", "/admin/teams",
        "team.upsert", "search", 200, null, "{\"budget\":null}", "{\"budget\":{\"usd\":\"5.000000\"}}");
    await(audit.insert(failed));
    await(audit.insert(full));
    assertThat(await(audit.list(AuditQuery.newest(10))).entries()).containsExactly(full, failed);
  }

  @Test
  void refusesADuplicateIdAndJsonThatIsNotAnObject() {
    await(audit.insert(pending("aud_1", T0, ROOT, "key.update", "k")));
    Throwable dup = failure(audit.insert(pending("aud_1", T0, ROOT, "key.update", "k")));
    assertThat(dup).isInstanceOf(StoreException.class);
    assertThat(((StoreException) dup).conflict()).isTrue();

    AuditEntry array = pending("aud_2", T0, ROOT, "key.update", "k").completed("k", 200, null, "[1]", null);
    assertThat(failure(audit.insert(array))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beforeJson");
    AuditEntry broken = pending("aud_1", T0, ROOT, "key.update", "k").completed("k", 200, null, null, "{x");
    assertThat(failure(audit.complete(broken))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("afterJson");
    assertThat(failure(audit.complete(pending("aud_1", T0, ROOT, "key.update", "k"))))
        .as("completing needs a status").isInstanceOf(IllegalArgumentException.class);
    assertThat(await(audit.list(AuditQuery.newest(10))).entries()).singleElement()
        .satisfies(e -> assertThat(e.isComplete()).isFalse());
  }

  @Test
  void listsNewestFirstAndFiltersByActorActionTargetAndTime() {
    await(audit.insert(done("a", T0, ROOT, "key.create", "key_1")));
    await(audit.insert(done("b", T0.plusSeconds(10), ROOT, "key.update", "key_1")));
    await(audit.insert(done("c", T0.plusSeconds(20), "master:99999999", "key.update", "key_2")));
    await(audit.insert(done("d", T0.plusSeconds(30), ROOT, "team.upsert", "search")));
    await(audit.insert(pending("e", T0.plusSeconds(40), ROOT, "key.revoke", "key_1")));

    assertThat(ids(AuditQuery.newest(50))).containsExactly("e", "d", "c", "b", "a");
    assertThat(ids(AuditQuery.newest(50).actor(ROOT))).containsExactly("e", "d", "b", "a");
    assertThat(ids(AuditQuery.newest(50).action("key.update"))).containsExactly("c", "b");
    assertThat(ids(AuditQuery.newest(50).target("key_1"))).containsExactly("e", "b", "a");
    assertThat(ids(AuditQuery.newest(50).target("key_1").action("key.update").actor(ROOT))).containsExactly("b");
    assertThat(ids(AuditQuery.newest(50).between(T0.plusSeconds(10), T0.plusSeconds(30))))
        .as("from inclusive, to exclusive").containsExactly("c", "b");
    assertThat(ids(AuditQuery.newest(50).between(T0.plusSeconds(25), null))).containsExactly("e", "d");
    assertThat(ids(AuditQuery.newest(50).between(null, T0.plusSeconds(10)))).containsExactly("a");
    assertThat(ids(AuditQuery.newest(50).target("nobody"))).isEmpty();
  }

  @Test
  void pagesNeverRepeatOrSkipAnEntryEvenWithSharedTimesAndNewArrivals() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String id = "aud_" + (char) ('a' + i);
      await(audit.insert(done(id, T0.plusSeconds(i / 4), ROOT, "key.update", "k"))); // 4 entries share each second
      expected.add(0, id);
    }
    List<String> seen = new ArrayList<>();
    AuditQuery q = AuditQuery.newest(5);
    int pages = 0;
    while (true) {
      AuditPage page = await(audit.list(q));
      page.entries().forEach(e -> seen.add(e.id()));
      pages++;
      // an entry arriving meanwhile is newer than every page already read: it never shows up in the rest
      await(audit.insert(done("new_" + pages, T0.plusSeconds(60 + pages), ROOT, "key.update", "k")));
      if (page.next() == null) {
        break;
      }
      assertThat(page.entries()).hasSize(5);
      q = AuditQuery.newest(5).after(AuditPosition.parseCursor(page.next().cursor()));
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void deleteBeforeRemovesAtMostMaxOlderEntries() {
    for (int i = 0; i < 5; i++) {
      await(audit.insert(done("old_" + i, T0.minusSeconds(100 + i), ROOT, "key.update", "k")));
    }
    await(audit.insert(done("edge", T0, ROOT, "key.update", "k")));
    await(audit.insert(done("new", T0.plusSeconds(1), ROOT, "key.update", "k")));

    assertThat(await(audit.deleteBefore(T0, 3))).isEqualTo(3);
    assertThat(await(audit.deleteBefore(T0, 3))).isEqualTo(2);
    assertThat(await(audit.deleteBefore(T0, 3))).isZero();
    assertThat(ids(AuditQuery.newest(50))).as("an entry at the cut-off stays").containsExactly("new", "edge");
  }

  @Test
  void everyCallCompletesWhenMadeFromAnEventLoop() {
    // the store's JDBC layer refuses to run on an event loop: these complete only because the work
    // is handed to the store's worker threads
    AuditEntry e = pending("aud_el", T0, ROOT, "key.update", "k");
    onEventLoop(() -> audit.insert(e));
    assertThat(onEventLoop(() -> audit.complete(e.completed("k", 200, null, null, null)))).isTrue();
    assertThat(onEventLoop(() -> audit.list(AuditQuery.newest(1))).entries()).hasSize(1);
    assertThat(onEventLoop(() -> audit.deleteBefore(T0.plusSeconds(1), 10))).isEqualTo(1);
  }

  @Test
  void aCursorFromAnotherListIsRefused() {
    AuditPosition p = new AuditPosition(T0.toEpochMilli(), "aud_x");
    assertThat(AuditPosition.parseCursor(p.cursor())).isEqualTo(p);
    for (String bad : new String[] {"nope!", "MTox", p.cursor().substring(1)}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditPosition.parseCursor(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  static <T> T onEventLoop(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    vertx.runOnContext(v -> call.get().onComplete(p));
    return await(p.future());
  }
}
