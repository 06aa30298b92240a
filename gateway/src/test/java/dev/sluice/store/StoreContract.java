package dev.sluice.store;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.SpendQuery.GroupBy;
import dev.sluice.store.requestlog.RequestDetail;
import dev.sluice.store.requestlog.RequestPage;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import dev.sluice.store.stats.StatsCell;
import dev.sluice.store.stats.StatsDimension;
import dev.sluice.store.stats.StatsGrain;
import dev.sluice.store.stats.StatsQuery;
import dev.sluice.store.stats.StatsRow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's behaviour, the same on every engine: each subclass supplies a fresh, empty
 * database per test ({@link #newStoreUrl()}); the store migrates it on open.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static Vertx vertx;
  Store store;
  String url;

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
    url = newStoreUrl();
    store = await(Store.open(vertx, url));
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  // ---- migrations and lifecycle -------------------------------------------------------------

  @Test
  void canaryStatesAreUpsertedAndAnOlderVersionNeverOverwritesANewerOne() throws Exception {
    assertThat(await(store.canaries().list())).isEmpty();
    CanaryRow v2 = new CanaryRow("chat", "fp-1", "ramping", 110_000, 1_000, null, 0, 2);
    await(store.canaries().save(v2));
    await(store.canaries().save(new CanaryRow("chat", "fp-1", "ramping", 10_000, 500, null, 0, 1)));
    assertThat(await(store.canaries().list())).containsExactly(v2);
    CanaryRow v3 = new CanaryRow("chat", "fp-1", "rolled_back", 0, 1_000, "error rate 5.0% above 2.0%", 2_000, 3);
    await(store.canaries().save(v3));
    await(store.canaries().save(new CanaryRow("other", "fp-9", "paused", 50_000, 7, null, 0, 1)));
    await(store.close());
    store = await(Store.open(vertx, url));
    assertThat(await(store.canaries().list())).containsExactlyInAnyOrder(v3,
        new CanaryRow("other", "fp-9", "paused", 50_000, 7, null, 0, 1));
  }

  @Test
  void migrationsApplyOnceAndDataSurvivesReopening() {
    await(store.teams().upsert(Team.named("red", T0)));
    await(store.close());
    store = await(Store.open(vertx, url)); // migrating again is a no-op
    assertThat(await(store.teams().list())).extracting(Team::name).containsExactly("red");
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).isEmpty();
    assertThat(await(store.keys().list(null))).isEmpty();
  }

  @Test
  void callsAfterCloseFailAndCloseIsIdempotent() {
    await(store.close());
    await(store.close());
    assertThat(failure(store.teams().list())).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    store = await(Store.open(vertx, url));
  }

  // ---- keys -----------------------------------------------------------------------------------

  @Test
  void insertsAKeyAndFindsItByTheHashOfThePlainKeyOnly() {
    NewKey k = NewKey.fromPlainKey("key_1", "sk-sluice-0123456789abcdef", "alice", T0).team("red")
        .models(List.of("smart", "fast")).limitsJson("{\"rpm\":60}").budget(new Budget(5_000_000, Budget.Period.MONTHLY, Budget.Mode.HARD))
        .metadataJson("{\"owner\":\"alice@example.com\"}").expiresAt(T0.plusSeconds(86_400)).build();
    StoredKey inserted = await(store.keys().insert(k));

    Optional<StoredKey> found = await(store.keys().findByHash(KeyHashes.sha256Hex("sk-sluice-0123456789abcdef")));
    assertThat(found).contains(inserted);
    StoredKey s = found.orElseThrow();
    assertThat(s.keyPrefix()).isEqualTo("sk-sluice-01");
    assertThat(s.keyHash()).hasSize(64).doesNotContain("0123456789abcdef");
    assertThat(s.models()).containsExactly("smart", "fast");
    assertThat(s.budget()).isEqualTo(new Budget(5_000_000, Budget.Period.MONTHLY, Budget.Mode.HARD));
    assertThat(s.limitsJson()).isEqualTo("{\"rpm\":60}");
    assertThat(s.revokedAt()).isNull();
    assertThat(s.createdAt()).isEqualTo(T0);
    assertThat(s.usableAt(T0.plusSeconds(10))).isTrue();
    assertThat(s.usableAt(T0.plusSeconds(86_400))).isFalse();
    assertThat(await(store.keys().findByHash(KeyHashes.sha256Hex("sk-other")))).isEmpty();
    assertThat(await(store.keys().findById("key_1"))).contains(inserted);
    assertThat(await(store.keys().findById("key_nope"))).isEmpty();
  }

  @Test
  void aKeyWithNothingOptionalRoundTripsWithNulls() {
    StoredKey k = await(store.keys().insert(NewKey.fromPlainKey("key_2", "sk-short", "bob", T0).build()));
    StoredKey found = await(store.keys().findByHash(KeyHashes.sha256Hex("sk-short"))).orElseThrow();
    assertThat(found).isEqualTo(k);
    assertThat(found.team()).isNull();
    assertThat(found.models()).isNull();
    assertThat(found.allowsModel("anything")).isTrue();
    assertThat(found.budget()).isNull();
    assertThat(found.expiresAt()).isNull();
  }

  @Test
  void aDuplicateHashOrIdIsAConflict() {
    await(store.keys().insert(NewKey.fromPlainKey("key_1", "sk-a", "a", T0).build()));
    Throwable sameHash = failure(store.keys().insert(NewKey.fromPlainKey("key_2", "sk-a", "b", T0).build()));
    Throwable sameId = failure(store.keys().insert(NewKey.fromPlainKey("key_1", "sk-b", "b", T0).build()));
    assertThat(sameHash).isInstanceOf(StoreException.class);
    assertThat(((StoreException) sameHash).conflict()).isTrue();
    assertThat(((StoreException) sameId).conflict()).isTrue();
    assertThat(await(store.keys().list(null))).hasSize(1);
  }

  @Test
  void listsAllKeysOrATeamsKeysOldestFirst() {
    await(store.keys().insert(NewKey.fromPlainKey("key_b", "sk-1", "one", T0.plusSeconds(2)).team("red").build()));
    await(store.keys().insert(NewKey.fromPlainKey("key_a", "sk-2", "two", T0.plusSeconds(1)).team("blue").build()));
    await(store.keys().insert(NewKey.fromPlainKey("key_c", "sk-3", "three", T0.plusSeconds(3)).team("red").build()));
    await(store.keys().insert(NewKey.fromPlainKey("key_d", "sk-4", "four", T0).build()));

    assertThat(await(store.keys().list(null))).extracting(StoredKey::id)
        .containsExactly("key_d", "key_a", "key_b", "key_c");
    assertThat(await(store.keys().list("red"))).extracting(StoredKey::id).containsExactly("key_b", "key_c");
    assertThat(await(store.keys().list("green"))).isEmpty();
  }

  @Test
  void revokingKeepsTheFirstRevocationAndTheKeyStaysFindable() {
    await(store.keys().insert(NewKey.fromPlainKey("key_1", "sk-a", "a", T0).build()));
    assertThat(await(store.keys().revoke("key_1", T0.plusSeconds(60)))).isTrue();
    assertThat(await(store.keys().revoke("key_1", T0.plusSeconds(120)))).isFalse();
    assertThat(await(store.keys().revoke("key_nope", T0))).isFalse();

    StoredKey k = await(store.keys().findByHash(KeyHashes.sha256Hex("sk-a"))).orElseThrow();
    assertThat(k.revokedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(k.usableAt(T0.plusSeconds(59))).isTrue();
    assertThat(k.usableAt(T0.plusSeconds(60))).isFalse();
  }

  @Test
  void updateChangesOnlyTheFieldsItNamesAndCanClearThem() {
    NewKey k = NewKey.fromPlainKey("key_1", "sk-a", "alice", T0).team("red").models(List.of("smart"))
        .limitsJson("{\"rpm\":60}").budget(new Budget(1_000, Budget.Period.DAILY, Budget.Mode.SOFT))
        .metadataJson("{\"a\":1}").build();
    await(store.keys().insert(k));

    assertThat(await(store.keys().update("key_1", KeyUpdate.builder().name("alice-2").team(null)
        .budget(new Budget(2_000, Budget.Period.TOTAL, Budget.Mode.HARD)).expiresAt(T0.plusSeconds(5)).build())))
        .isTrue();
    StoredKey u = await(store.keys().findByHash(k.keyHash())).orElseThrow();
    assertThat(u.name()).isEqualTo("alice-2");
    assertThat(u.team()).isNull();
    assertThat(u.budget()).isEqualTo(new Budget(2_000, Budget.Period.TOTAL, Budget.Mode.HARD));
    assertThat(u.expiresAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(u.models()).containsExactly("smart"); // untouched
    assertThat(u.limitsJson()).isEqualTo("{\"rpm\":60}");
    assertThat(u.metadataJson()).isEqualTo("{\"a\":1}");

    assertThat(await(store.keys().update("key_1", KeyUpdate.builder().models(null).budget(null).limitsJson(null)
        .metadataJson("{\"b\":2}").build()))).isTrue();
    StoredKey v = await(store.keys().findByHash(k.keyHash())).orElseThrow();
    assertThat(v.models()).isNull();
    assertThat(v.budget()).isNull();
    assertThat(v.limitsJson()).isNull();
    assertThat(v.metadataJson()).isEqualTo("{\"b\":2}");
    assertThat(v.keyHash()).isEqualTo(k.keyHash());

    assertThat(await(store.keys().update("key_nope", KeyUpdate.builder().name("x").build()))).isFalse();
    assertThat(await(store.keys().update("key_1", KeyUpdate.builder().build()))).isTrue();
  }

  // ---- teams ----------------------------------------------------------------------------------

  @Test
  void upsertInsertsThenReplacesSettingsButKeepsCreationTime() {
    Team red = new Team("red", new Budget(10_000_000, Budget.Period.MONTHLY, Budget.Mode.HARD),
        "https://hooks.example.com/red", List.of(50, 80, 100), T0);
    assertThat(await(store.teams().upsert(red))).isEqualTo(red);
    Team changed = new Team("red", null, null, List.of(90), T0.plusSeconds(3600));
    Team stored = await(store.teams().upsert(changed));
    assertThat(stored).isEqualTo(new Team("red", null, null, List.of(90), T0));
    assertThat(await(store.teams().find("red"))).contains(stored);
    assertThat(await(store.teams().find("blue"))).isEmpty();
  }

  @Test
  void listsTeamsByName() {
    for (String n : List.of("red", "Blue", "green", "blue")) {
      await(store.teams().upsert(Team.named(n, T0)));
    }
    assertThat(await(store.teams().list())).extracting(Team::name).containsExactly("Blue", "blue", "green", "red");
  }

  // ---- ledger ---------------------------------------------------------------------------------

  @Test
  void insertBatchIsIdempotentOnTheAttemptId() {
    List<LedgerRow> rows = List.of(row("r1", 1).build(), row("r1", 2).outcome(Outcome.ERROR).status(503)
        .errorClass("server_error").retry(true).latency(12, null).build(), row("r2", 1).stream(true).latency(900, 120L)
        .clientDisconnected(true).cost(0, false, true).kind(RowKind.CACHE_HIT).saved(1234).build());
    assertThat(await(store.ledger().insertBatch(rows))).isEqualTo(3);
    assertThat(await(store.ledger().insertBatch(rows))).isZero();
    List<LedgerRow> more = List.of(rows.get(0), row("r3", 1).build(), row("r3", 1).build());
    assertThat(await(store.ledger().insertBatch(more))).isEqualTo(1);
    assertThat(await(store.ledger().insertBatch(List.of()))).isZero();

    List<LedgerRow> stored = await(store.ledger().rowsSince(Instant.EPOCH));
    assertThat(stored).extracting(LedgerRow::id).containsExactly("r1:1", "r1:2", "r2:1", "r3:1");
    assertThat(stored.subList(0, 3)).containsExactlyElementsOf(rows); // every column round-trips
  }

  @Test
  void totalsSumEveryRowOfTheWindowToTheMillisecondWhetherWholeHoursOrEdges() {
    List<LedgerRow> rows = rollupFixture(0, 80);
    await(store.ledger().insertBatch(rows.subList(0, 50)));
    await(store.ledger().insertBatch(rows.subList(50, rows.size())));
    Instant[][] windows = {
        {T0, T0.plusSeconds(4 * 3600)}, // whole hours: the rollup alone
        {T0.plusSeconds(7 * 60 + 1), T0.plusSeconds(3 * 3600 + 13 * 60)}, // partial hours at both edges
        {T0.plusSeconds(20 * 60), T0.plusSeconds(40 * 60)}, // inside one hour: the rows alone
        {T0.plusSeconds(90 * 60), null}, // no end
        {T0.minusSeconds(3600), T0.plusSeconds(10 * 3600)},
        {T0.plusSeconds(3600), T0.plusSeconds(3600)}}; // empty
    for (Instant[] w : windows) {
      for (LedgerTotals.By by : LedgerTotals.By.values()) {
        assertThat(await(store.ledger().totals(w[0], w[1], by))).as(by + " of " + w[0] + " .. " + w[1])
            .containsExactlyElementsOf(byHand(rows, w[0], w[1], by));
      }
    }
    assertThat(await(store.ledger().totals(T0, null, LedgerTotals.By.ALL)).get(0).attempts()).isEqualTo(80);
  }

  @Test
  void windowsOverDaysReadWholeDaysEdgeHoursAndEdgeRowsAndAgreeWithTheRows() {
    // 150 attempts 2731 s apart: four and a half days, so a window has whole days, whole hours and rows.
    List<LedgerRow> rows = rollupFixture(0, 150).stream()
        .map(r -> r.toBuilder().ts(T0.plusSeconds(2731L * Integer.parseInt(r.requestId().substring(1)))).build())
        .toList();
    await(store.ledger().insertBatch(rows.subList(0, 70)));
    await(store.ledger().insertBatch(rows.subList(70, rows.size())));
    Instant day2 = Instant.parse("2026-03-02T00:00:00Z");
    Instant[][] windows = {
        {T0.plusSeconds(7 * 60 + 1), T0.plusSeconds(3 * 86_400 + 5 * 3600 + 13 * 60)}, // rows, hours, days, hours, rows
        {day2, day2.plusSeconds(2 * 86_400)}, // whole days alone
        {day2.minusSeconds(3600), day2.plusSeconds(86_400 + 3600)}, // an hour either side of a whole day
        {T0.plusSeconds(1234), null}, // no end
        {day2.plusSeconds(3 * 3600 + 5), day2.plusSeconds(20 * 3600 + 7)}}; // inside one day
    for (Instant[] w : windows) {
      for (LedgerTotals.By by : LedgerTotals.By.values()) {
        assertThat(await(store.ledger().totals(w[0], w[1], by))).as(by + " of " + w[0] + " .. " + w[1])
            .containsExactlyElementsOf(byHand(rows, w[0], w[1], by));
      }
      long clientCost = rows.stream().filter(r -> !r.ts().isBefore(w[0]) && (w[1] == null || r.ts().isBefore(w[1])))
          .filter(r -> r.kind() != RowKind.SHADOW).mapToLong(LedgerRow::costMicros).sum();
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, w[0], w[1]))).stream()
          .mapToLong(SpendRow::costMicros).sum()).isEqualTo(clientCost);
    }
    // retention takes the days and hours that ended by the cutoff from both rollups
    Instant cutoff = day2.plusSeconds(86_400 + 1800);
    while (await(store.ledger().deleteBefore(cutoff, 50)) == 50) {
      // bounded batches until none older is left
    }
    assertThat(await(store.ledger().totals(T0, day2.plusSeconds(86_400), LedgerTotals.By.ALL))).isEmpty();
    List<LedgerRow> kept = rows.stream().filter(r -> !r.ts().isBefore(cutoff)).toList();
    assertThat(await(store.ledger().totals(cutoff, null, LedgerTotals.By.DAY)))
        .containsExactlyElementsOf(byHand(kept, cutoff, null, LedgerTotals.By.DAY));
  }

  @Test
  void aReplayedRowAddsNothingToTheTotalsAndRetentionDropsTheWholeHoursItDeleted() {
    List<LedgerRow> rows = rollupFixture(0, 40);
    assertThat(await(store.ledger().insertBatch(rows))).isEqualTo(40);
    assertThat(await(store.ledger().insertBatch(rows))).isZero(); // a journal replay of the same batch
    List<LedgerRow> more = new ArrayList<>(rollupFixture(30, 60)); // ten already stored, twenty new
    more.add(more.get(15)); // the same attempt twice in one batch
    assertThat(await(store.ledger().insertBatch(more))).isEqualTo(20);
    List<LedgerRow> all = rollupFixture(0, 60);
    for (LedgerTotals.By by : LedgerTotals.By.values()) {
      assertThat(await(store.ledger().totals(T0, null, by))).as(by.name()).containsExactlyElementsOf(byHand(all, T0, null, by));
    }

    Instant cutoff = T0.plusSeconds(2 * 3600 + 60);
    while (await(store.ledger().deleteBefore(cutoff, 7)) == 7) {
      // bounded batches until none older is left
    }
    List<LedgerRow> kept = all.stream().filter(r -> !r.ts().isBefore(cutoff)).toList();
    assertThat(await(store.ledger().totals(T0, T0.plusSeconds(2 * 3600), LedgerTotals.By.ALL)))
        .as("the hours that ended by the cutoff").isEmpty();
    assertThat(await(store.ledger().totals(cutoff, null, LedgerTotals.By.MODEL)))
        .containsExactlyElementsOf(byHand(kept, cutoff, null, LedgerTotals.By.MODEL));
  }

  @Test
  void rowsSinceFiltersByTimeAndOrdersByTime() {
    await(store.ledger().insertBatch(List.of(row("late", 1).ts(T0.plusSeconds(20)).build(),
        row("early", 1).ts(T0.plusSeconds(10)).build(), row("old", 1).ts(T0.minusSeconds(1)).build())));
    assertThat(await(store.ledger().rowsSince(T0))).extracting(LedgerRow::id).containsExactly("early:1", "late:1");
  }

  @Test
  void rowsBetweenEndsBeforeItsEnd() {
    await(store.ledger().insertBatch(List.of(row("late", 1).ts(T0.plusSeconds(20)).build(),
        row("early", 1).ts(T0.plusSeconds(10)).build(), row("old", 1).ts(T0.minusSeconds(1)).build())));
    assertThat(await(store.ledger().rowsBetween(T0, T0.plusSeconds(20)))).extracting(LedgerRow::id)
        .containsExactly("early:1");
    assertThat(await(store.ledger().rowsBetween(T0.minusSeconds(1), null))).extracting(LedgerRow::id)
        .containsExactly("old:1", "early:1", "late:1");
  }

  @Test
  void aWriteThatFailsHalfWayLeavesNothingBehind() {
    Jdbc jdbc = ((JdbcStore) store).jdbc();
    Throwable t = failure(jdbc.write(c -> {
      try (java.sql.Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO teams (name, created_at) VALUES ('half', 0)");
        st.executeUpdate("INSERT INTO no_such_table VALUES (1)");
      }
      return null;
    }));
    assertThat(t).isInstanceOf(StoreException.class);
    assertThat(((StoreException) t).conflict()).isFalse();
    assertThat(await(store.teams().list())).isEmpty();
    assertThat(await(store.teams().upsert(Team.named("after", T0))).name()).isEqualTo("after"); // connection still good
  }

  @Test
  void spendGroupsByEachDimensionAndSplitsAnswerFromOverhead() {
    await(store.ledger().insertBatch(spendFixture()));
    Instant from = T0;
    Instant to = T0.plusSeconds(2 * 86_400);

    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, from, to)))).containsExactly(
        calls("alice", 2, 4, 400, 40, 10, 5, 3, 3300, 3000, 300, 0),
        calls("bob", 1, 2, 200, 20, 0, 0, 0, 500, 300, 200, 0),
        calls("carol", 1, 1, 100, 10, 0, 0, 0, 0, 0, 0, 1));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.TEAM, from, to)))).containsExactly(
        calls("blue", 1, 1, 100, 10, 0, 0, 0, 0, 0, 0, 1),
        calls("red", 2, 4, 400, 40, 10, 5, 3, 3300, 3000, 300, 0),
        calls(null, 1, 2, 200, 20, 0, 0, 0, 500, 300, 200, 0));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, from, to)))).containsExactly(
        calls("fast", 2, 3, 300, 30, 0, 0, 0, 500, 300, 200, 1),
        calls("smart", 2, 4, 400, 40, 10, 5, 3, 3300, 3000, 300, 0));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.PROVIDER, from, to)))).containsExactly(
        // a2 fell back from openai to anthropic: the request counts under its first attempt's provider
        calls("anthropic", 0, 1, 100, 10, 0, 0, 0, 2000, 2000, 0, 0),
        calls("gemini", 1, 1, 100, 10, 0, 0, 0, 0, 0, 0, 1),
        calls("openai", 3, 5, 500, 50, 10, 5, 3, 1800, 1300, 500, 0));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.DAY, from, to)))).containsExactly(
        calls("2026-03-01", 3, 6, 600, 60, 10, 5, 3, 3800, 3300, 500, 0),
        calls("2026-03-02", 1, 1, 100, 10, 0, 0, 0, 0, 0, 0, 1));
  }

  @Test
  void spendFiltersByKeyOrTeamAndByTimeRange() {
    await(store.ledger().insertBatch(spendFixture()));
    Instant to = T0.plusSeconds(2 * 86_400);
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.PROVIDER, T0, to).forKey("alice")))).containsExactly(
        calls("anthropic", 0, 1, 100, 10, 0, 0, 0, 2000, 2000, 0, 0),
        calls("openai", 2, 3, 300, 30, 10, 5, 3, 1300, 1000, 300, 0));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, T0, to).forTeam("blue"))))
        .extracting(SpendRow::group).containsExactly("carol");
    // the row before T0 appears only when the range starts earlier; `to` is exclusive
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, T0.minusSeconds(3600), T0).forKey("alice"))))
        .containsExactly(calls("alice", 1, 1, 100, 10, 0, 0, 0, 7, 7, 0, 0));
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.DAY, T0, null)))).hasSize(2);
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, to, null)))).isEmpty();
  }

  @Test
  void spendSplitsSpentResponseCacheAndPromptCacheSavingsAndShadowAcrossRollupHoursAndEdgeRows() {
    // Window [10:05, 12:50): 10:05-11:00 and 12:00-12:50 are read from the rows, 11:00-12:00 from the rollup.
    List<LedgerRow> rows = List.of(
        row("call", 1).ts(T0.plusSeconds(10 * 60)).cost(1000, true, false).build(),
        row("read", 1).ts(T0.plusSeconds(90 * 60)).tokens(1000, 10, 800, 0, 0).cost(300, true, false)
            .uncachedCost(1000L).build(),
        row("hit", 1).ts(T0.plusSeconds(100 * 60)).tokens(0, 0, 0, 0, 0).cost(0, true, false)
            .kind(RowKind.CACHE_HIT).saved(1000).build(),
        LedgerRow.builder("shadow:read:cand", 1, T0.plusSeconds(110 * 60)).key("shadow", null, null)
            .target("smart", "openai", "cand").tokens(10, 10, 0, 0, 0).cost(5000, true, false).kind(RowKind.SHADOW)
            .build(),
        row("write", 1).ts(T0.plusSeconds(150 * 60)).tokens(1000, 10, 0, 200, 0).cost(1250, true, false)
            .uncachedCost(1000L).build(),
        row("outside", 1).ts(T0.plusSeconds(170 * 60)).cost(99, true, false).build());
    assertThat(await(store.ledger().insertBatch(rows))).isEqualTo(6);
    Instant from = T0.plusSeconds(5 * 60);
    Instant to = T0.plusSeconds(170 * 60);
    for (int pass = 0; pass < 2; pass++) {
      // spent: the three calls; saved by the response cache: the hit's saved; by prompt caching: the read's
      // 1000 - 300, less the write's 1250 - 1000 (cache writes dearer than input count against it)
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, from, to)))).singleElement()
          .satisfies(r -> {
            assertThat(r.group()).isEqualTo("smart");
            assertThat(r.requests()).isEqualTo(5);
            assertThat(r.attempts()).isEqualTo(5);
            assertThat(r.costMicros()).isEqualTo(7550);
            assertThat(r.spentMicros()).isEqualTo(2550);
            assertThat(r.responseCacheSavedMicros()).isEqualTo(1000);
            assertThat(r.promptCacheSavedMicros()).isEqualTo(450);
            assertThat(r.shadowMicros()).isEqualTo(5000);
          });
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.DAY, from, to)))).singleElement()
          .satisfies(r -> assertThat(List.of(r.group(), r.spentMicros(), r.responseCacheSavedMicros(),
              r.promptCacheSavedMicros(), r.shadowMicros())).containsExactly("2026-03-01", 2550L, 1000L, 450L, 5000L));
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, from, to))))
          .as("by key the shadow calls are no key's spend").singleElement()
          .satisfies(r -> assertThat(List.of(r.group(), r.requests(), r.costMicros(), r.spentMicros(),
              r.responseCacheSavedMicros(), r.promptCacheSavedMicros(), r.shadowMicros()))
              .containsExactly("alice", 4L, 2550L, 2550L, 1000L, 450L, 0L));
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.TEAM, from, to).forKey("alice")))).singleElement()
          .satisfies(r -> assertThat(List.of(r.group(), r.spentMicros(), r.promptCacheSavedMicros()))
              .containsExactly("red", 2550L, 450L));
      // the same window read from the rows alone (no whole hour inside) agrees hour by hour
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, T0.plusSeconds(3600),
          T0.plusSeconds(7200 - 1))))).singleElement()
          .satisfies(r -> assertThat(List.of(r.spentMicros(), r.responseCacheSavedMicros(), r.promptCacheSavedMicros(),
              r.shadowMicros())).containsExactly(300L, 1000L, 700L, 5000L));
      assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, T0.plusSeconds(3600),
          T0.plusSeconds(7200))))).singleElement()
          .satisfies(r -> assertThat(List.of(r.spentMicros(), r.responseCacheSavedMicros(), r.promptCacheSavedMicros(),
              r.shadowMicros())).containsExactly(300L, 1000L, 700L, 5000L));
      // writing the same rows again (a replayed batch) adds nothing to the rollup
      assertThat(await(store.ledger().insertBatch(rows))).isZero();
    }
  }

  @Test
  void spentMicrosSumsEveryAttemptOfAKeyOrTeamSinceAnInstant() {
    await(store.ledger().insertBatch(spendFixture()));
    assertThat(await(store.ledger().spentMicros("key", "alice", T0))).isEqualTo(3300);
    assertThat(await(store.ledger().spentMicros("key", "alice", T0.minusSeconds(3600)))).isEqualTo(3307);
    assertThat(await(store.ledger().spentMicros("team", "red", T0))).isEqualTo(3300);
    assertThat(await(store.ledger().spentMicros("key", "bob", T0.plusSeconds(1)))).isEqualTo(500);
    assertThat(await(store.ledger().spentMicros("key", "bob", T0.plusSeconds(86_400)))).isZero();
    assertThat(await(store.ledger().spentMicros("team", "nobody", T0))).isZero();
    assertThat(failure(store.ledger().spentMicros("model", "smart", T0))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spentMicrosByNameGivesEveryKeysAndTeamsSpendAsSpentMicrosDoesOneByOne() {
    await(store.ledger().insertBatch(spendFixture()));
    for (Instant from : new Instant[] {T0.minusSeconds(3600), T0, T0.plusSeconds(1), T0.plusSeconds(86_400)}) {
      for (String kind : new String[] {"key", "team"}) {
        java.util.Map<String, Long> all = await(store.ledger().spentMicrosByName(kind, from));
        for (SpendRow r : await(store.ledger().spend(SpendQuery.of(kind.equals("key") ? GroupBy.KEY : GroupBy.TEAM,
            from, null)))) {
          if (r.group() != null) {
            assertThat(all.get(r.group())).as(kind + " " + r.group() + " since " + from)
                .isEqualTo(await(store.ledger().spentMicros(kind, r.group(), from))).isEqualTo(r.costMicros());
          }
        }
        assertThat(all.keySet()).doesNotContainNull();
      }
    }
    assertThat(await(store.ledger().spentMicrosByName("key", T0))).containsEntry("alice", 3300L);
    assertThat(failure(store.ledger().spentMicrosByName("model", T0))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shadowCallsAreNeverAKeysOrTeamsSpend() {
    await(store.ledger().insertBatch(spendFixture()));
    long keyBefore = await(store.ledger().spentMicros("key", "alice", T0));
    long teamBefore = await(store.ledger().spentMicros("team", "red", T0));
    List<SpendRow> byModelBefore = await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, T0, null)));
    // A shadow row written under the client's own names (the ledger writer never does, but a read must not care).
    LedgerRow shadow = LedgerRow.builder("shadow:r1:cand", 1, T0.plusSeconds(5)).key("alice", null, "red")
        .target("smart", "openai", "cand").tokens(10, 10, 0, 0, 0).cost(9_000, true, false).kind(RowKind.SHADOW).build();
    await(store.ledger().insertBatch(List.of(shadow)));
    assertThat(await(store.ledger().spentMicros("key", "alice", T0))).isEqualTo(keyBefore);
    assertThat(await(store.ledger().spentMicros("team", "red", T0))).isEqualTo(teamBefore);
    assertThat(await(store.ledger().spentMicrosByName("key", T0))).containsEntry("alice", keyBefore);
    assertThat(await(store.ledger().spentMicrosByName("team", T0))).containsEntry("red", teamBefore);
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, T0, null).forKey("alice"))).stream()
        .mapToLong(SpendRow::costMicros).sum()).isEqualTo(keyBefore);
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.KEY, T0, null))).stream()
        .filter(r -> "alice".equals(r.group())).mapToLong(SpendRow::costMicros).sum()).isEqualTo(keyBefore);
    assertThat(await(store.ledger().spend(SpendQuery.of(GroupBy.MODEL, T0, null))).stream()
        .mapToLong(SpendRow::costMicros).sum())
        .as("by model the shadow call counts: it cost money")
        .isEqualTo(byModelBefore.stream().mapToLong(SpendRow::costMicros).sum() + 9_000);
  }

  @Test
  void shadowPairsRoundTripWithTheirNullsAndAreKeptOnceByTheirId() {
    ShadowPairRow.Side p = new ShadowPairRow.Side("up/m", 812, 120L, 19, 10, 39, null, "stop", 22);
    ShadowPairRow.Side c = new ShadowPairRow.Side("cand/n", 655, null, 19, 12, 120, "server_error", null, 0);
    ShadowPairRow a = new ShadowPairRow("r1", T0, "chat", "cand", true, p, c, null, null, null, null, null);
    ShadowPairRow b = new ShadowPairRow("r2", T0.plusSeconds(60), "chat", "cand", false, p, p, true, false, true,
        false, 0.875);
    ShadowPairRow other = new ShadowPairRow("r3", T0.plusSeconds(30), "other", "x/y", false, p, p, false, null, null,
        null, -0.25);
    assertThat(await(store.shadowPairs().insert(List.of(a, b, other)))).isEqualTo(3);
    assertThat(await(store.shadowPairs().insert(List.of(a)))).as("stored twice, kept once").isZero();
    assertThat(await(store.shadowPairs().between("chat", T0, T0.plusSeconds(3600)))).containsExactly(a, b);
    assertThat(await(store.shadowPairs().between(null, T0, T0.plusSeconds(3600)))).containsExactly(a, other, b);
    assertThat(await(store.shadowPairs().between(null, T0.plusSeconds(1), T0.plusSeconds(60)))).containsExactly(other);
    assertThat(await(store.shadowPairs().deleteBefore(T0.plusSeconds(31), 10))).isEqualTo(2);
    assertThat(await(store.shadowPairs().between(null, T0, T0.plusSeconds(3600)))).containsExactly(b);
  }

  @Test
  void storedResponseOwnersAreKeptOnceFoundRemovedAndAgedOut() {
    StoredResponseRow a = new StoredResponseRow("resp_a", "key-1", "oai", T0);
    StoredResponseRow b = new StoredResponseRow("resp_b", "name:master", "oai-eu", T0.plusSeconds(60));
    await(store.storedResponses().record(a));
    await(store.storedResponses().record(b));
    await(store.storedResponses().record(new StoredResponseRow("resp_a", "key-2", "other", T0.plusSeconds(5))));
    assertThat(await(store.storedResponses().find("resp_a"))).as("the first owner stays").contains(a);
    assertThat(await(store.storedResponses().find("resp_b"))).contains(b);
    assertThat(await(store.storedResponses().find("resp_none"))).isEmpty();
    assertThat(await(store.storedResponses().remove("resp_b"))).isTrue();
    assertThat(await(store.storedResponses().remove("resp_b"))).isFalse();
    assertThat(await(store.storedResponses().find("resp_b"))).isEmpty();
    await(store.storedResponses().record(b));
    assertThat(await(store.storedResponses().deleteBefore(T0.plusSeconds(30), 10))).isEqualTo(1);
    assertThat(await(store.storedResponses().find("resp_a"))).isEmpty();
    assertThat(await(store.storedResponses().find("resp_b"))).contains(b);
  }

  @Test
  void concurrentBatchesFromManyCallersAllLand() {
    List<Future<Integer>> inserts = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      int batch = b;
      inserts.add(store.ledger().insertBatch(IntStream.range(0, 25)
          .mapToObj(i -> row("b" + batch + "-" + i, 1).build()).toList()));
      inserts.add(store.ledger().spentMicros("key", "alice", T0).map(x -> 0));
    }
    int total = 0;
    for (Future<Integer> f : inserts) {
      total += await(f);
    }
    assertThat(total).isEqualTo(500);
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).hasSize(500);
  }

  // ---- stats ----------------------------------------------------------------------------------

  @Test
  void statsRetentionDeletesOnlyMinutesBeforeTheCutoffABoundedSpanPerGrainAtATime() {
    long m = StatsRows.MINUTE;
    await(store.stats().upsert(List.of(
        StatsRows.row(StatsGrain.MODEL, m, "replica-a", "smart", null, 1_000),
        StatsRows.row(StatsGrain.MODEL, m + 30, "replica-b", "smart", null, 1_000),
        StatsRows.row(StatsGrain.ALL, m + 5, "replica-a", "smart", "app", 1_000),
        StatsRows.row(StatsGrain.MODEL, m + 100, "replica-a", "smart", null, 1_000),
        StatsRows.row(StatsGrain.ALL, m + 100, "replica-a", "smart", "app", 1_000))));
    assertThat(await(store.stats().deleteOldest(m + 100, 10))).as("the oldest 10 minutes of each grain").isEqualTo(2);
    assertThat(await(store.stats().deleteOldest(m + 100, 100))).isEqualTo(1); // m + 30
    assertThat(await(store.stats().deleteOldest(m + 100, 100))).as("nothing older left").isZero();
    List<StatsCell> left = await(store.stats().query(new StatsQuery(m, m + 200, 200, StatsDimension.MODEL, Map.of(),
        StatsQuery.Timing.LATENCY)));
    assertThat(left).extracting(StatsCell::requests).containsExactly(1L); // m + 100 stays
  }

  @Test
  void statsOfEveryReplicaAddUpAndPercentilesComeFromTheMergedHistograms() {
    long m = StatsRows.MINUTE;
    long[] fast = {10_000, 11_000, 12_000, 13_000};
    long[] slow = {400_000, 410_000, 420_000, 900_000};
    await(store.stats().upsert(List.of(
        StatsRows.row(StatsGrain.MODEL, m, "replica-a", "smart", null, fast),
        StatsRows.row(StatsGrain.MODEL, m + 1, "replica-b", "smart", null, slow),
        StatsRows.row(StatsGrain.MODEL, m + 1, "replica-a", "fast", null, 5_000),
        StatsRows.row(StatsGrain.MODEL, m + 9, "replica-a", "smart", null, 1_000))));
    List<StatsCell> cells = await(store.stats().query(new StatsQuery(m, m + 5, 5, StatsDimension.MODEL, Map.of(),
        StatsQuery.Timing.LATENCY)));

    assertThat(cells).extracting(StatsCell::bucketMinute, StatsCell::group, StatsCell::requests, StatsCell::errors,
        StatsCell::inputTokens, StatsCell::costMicros)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(m, "fast", 1L, 1L, 10L, 100L),
            org.assertj.core.groups.Tuple.tuple(m, "smart", 8L, 2L, 80L, 800L)); // m + 9 is outside [m, m + 5)
    org.HdrHistogram.Histogram all = StatsRows.histogram(10_000, 11_000, 12_000, 13_000, 400_000, 410_000, 420_000,
        900_000);
    StatsCell.Percentiles p = cells.get(1).timing();
    assertThat(p.count()).isEqualTo(8);
    assertThat(p.p50()).isEqualTo(all.getValueAtPercentile(50)).isBetween(13_000L, 13_130L);
    assertThat(p.p99()).isEqualTo(all.getValueAtPercentile(99)).isBetween(900_000L, 909_000L);
    assertThat(p.max()).isEqualTo(all.getMaxValue());
  }

  @Test
  void aReplicasNewerRowForTheSameMinuteReplacesItsOlderOne() {
    long m = StatsRows.MINUTE;
    await(store.stats().upsert(List.of(StatsRows.row(StatsGrain.PROVIDER, m, "r1", "smart", null, 100))));
    await(store.stats().upsert(List.of(StatsRows.row(StatsGrain.PROVIDER, m, "r1", "smart", null, 100, 200, 300),
        StatsRows.row(StatsGrain.PROVIDER, m, "r2", "smart", null, 400))));
    await(store.stats().upsert(List.of(StatsRows.row(StatsGrain.PROVIDER, m, "r1", "smart", null, 100, 200, 300))));
    StatsQuery total = new StatsQuery(m, m + 1, 1, null, Map.of(), StatsQuery.Timing.LATENCY);
    assertThat(total.grain()).isEqualTo(StatsGrain.PROVIDER);
    List<StatsCell> cells = await(store.stats().query(total));
    assertThat(cells).singleElement().satisfies(c -> {
      assertThat(c.group()).isNull();
      assertThat(c.requests()).isEqualTo(4);
      assertThat(c.timing().count()).isEqualTo(4);
      assertThat(c.timing().max()).isBetween(400L, 403L);
    });
  }

  @Test
  void statsQueriesReadTheGrainTheyNeedAndApplyFilters() {
    long m = StatsRows.MINUTE;
    await(store.stats().upsert(List.of(
        StatsRows.row(StatsGrain.MODEL, m, "r1", "smart", null, 100, 200),
        StatsRows.row(StatsGrain.KEY, m, "r1", null, "alice", 100),
        StatsRows.row(StatsGrain.KEY, m, "r1", null, "bob", 200),
        StatsRows.row(StatsGrain.ALL, m, "r1", "smart", "alice", 100),
        StatsRows.row(StatsGrain.ALL, m, "r1", "smart", "bob", 200))));

    StatsQuery byKey = new StatsQuery(m, m + 60, 60, StatsDimension.KEY, Map.of(), null);
    assertThat(byKey.grain()).isEqualTo(StatsGrain.KEY);
    assertThat(await(store.stats().query(byKey))).extracting(StatsCell::group, StatsCell::requests, StatsCell::timing)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 1L, null),
            org.assertj.core.groups.Tuple.tuple("bob", 1L, null));

    StatsQuery bobByTarget = new StatsQuery(m, m + 60, 60, StatsDimension.TARGET,
        Map.of(StatsDimension.KEY, "bob", StatsDimension.MODEL, "smart"), StatsQuery.Timing.TTFT);
    assertThat(bobByTarget.grain()).isEqualTo(StatsGrain.ALL);
    assertThat(await(store.stats().query(bobByTarget))).singleElement().satisfies(c -> {
      assertThat(c.group()).isEqualTo("openai/gpt-4o");
      assertThat(c.requests()).isEqualTo(1);
      assertThat(c.timing().count()).isZero(); // no streamed request: no time to first token
    });
    assertThat(await(store.stats().query(new StatsQuery(m, m + 60, 60, StatsDimension.MODEL,
        Map.of(StatsDimension.MODEL, "other"), null)))).isEmpty();
  }

  @Test
  void errorsByClassOfEveryReplicaAddUpPerBucketAndGroupAndAreReplacedAndPrunedWithTheirRows() {
    long m = StatsRows.MINUTE;
    await(store.stats().upsert(List.of(
        StatsRows.withErrors(StatsRows.row(StatsGrain.MODEL, m, "r1", "smart", null, 100, 200, 300),
            Map.of("upstream_timeout", 1L)),
        StatsRows.withErrors(StatsRows.row(StatsGrain.MODEL, m, "r1", "fast", null, 100), Map.of("http_502", 1L)))));
    // r1's newer totals for minute m replace its older ones; r2 adds its own, also a minute later.
    await(store.stats().upsert(List.of(
        StatsRows.withErrors(StatsRows.row(StatsGrain.MODEL, m, "r1", "smart", null, 100, 200, 300),
            Map.of("upstream_timeout", 2L, "rate_limit_exceeded", 1L)),
        StatsRows.withErrors(StatsRows.row(StatsGrain.MODEL, m, "r2", "smart", null, 100), Map.of("upstream_timeout", 4L)),
        StatsRows.withErrors(StatsRows.row(StatsGrain.MODEL, m + 1, "r2", "smart", null, 100), Map.of("http_500", 1L)),
        StatsRows.row(StatsGrain.MODEL, m + 2, "r2", "smart", null, 100))));

    List<StatsCell> byModel = await(store.stats().query(new StatsQuery(m, m + 5, 5, StatsDimension.MODEL, Map.of(),
        null, true)));
    assertThat(byModel).extracting(StatsCell::group, StatsCell::errorClasses).containsExactly(
        org.assertj.core.groups.Tuple.tuple("fast", Map.of("http_502", 1L)),
        org.assertj.core.groups.Tuple.tuple("smart", Map.of("upstream_timeout", 6L, "rate_limit_exceeded", 1L,
            "http_500", 1L)));
    List<StatsCell> perMinute = await(store.stats().query(new StatsQuery(m, m + 3, 1, null,
        Map.of(StatsDimension.MODEL, "smart"), StatsQuery.Timing.LATENCY, true)));
    assertThat(perMinute).extracting(StatsCell::bucketMinute, StatsCell::errorClasses).containsExactly(
        org.assertj.core.groups.Tuple.tuple(m, Map.of("upstream_timeout", 6L, "rate_limit_exceeded", 1L)),
        org.assertj.core.groups.Tuple.tuple(m + 1, Map.of("http_500", 1L)),
        org.assertj.core.groups.Tuple.tuple(m + 2, Map.of()));
    assertThat(perMinute.get(0).timing().count()).as("timing still merged").isEqualTo(4);
    assertThat(await(store.stats().query(new StatsQuery(m, m + 5, 5, StatsDimension.MODEL, Map.of(), null))))
        .as("not asked for: none").allSatisfy(c -> assertThat(c.errorClasses()).isEmpty());

    assertThat(await(store.stats().deleteOldest(m + 1, 10))).as("minute m: 3 stats rows, 4 error rows").isEqualTo(7);
    assertThat(await(store.stats().query(new StatsQuery(m, m + 5, 5, StatsDimension.MODEL, Map.of(), null, true))))
        .extracting(StatsCell::errorClasses).containsExactly(Map.of("http_500", 1L));
  }

  @Test
  void sumMetricsAddUpTheRowsOfTheCheapestCoveringGrainAndAgreeWithTheHistogramPath() {
    // Rows of every grain over 30 minutes, two replicas, uneven tokens and cost; then every grouping
    // and filter at steps of a minute, of 7 and of the whole window: the sums (which never read a
    // histogram) are the rows' sums by hand, and the same as those of the query with percentiles.
    long m = StatsRows.MINUTE;
    java.util.Random random = new java.util.Random(14);
    String[] models = {"smart", "fast"};
    String[] keys = {"alice", "bob", "carol"};
    String[] teams = {"red", ""};
    List<StatsRow> rows = new ArrayList<>();
    for (StatsGrain grain : StatsGrain.values()) {
      for (int minute = 0; minute < 30; minute++) {
        for (String replica : List.of("r1", "r2")) {
          for (int series = 0; series < 3; series++) {
            if (random.nextInt(4) == 0) {
              continue;
            }
            Set<StatsDimension> d = grain.dimensions();
            String key = keys[random.nextInt(keys.length)];
            String team = teams[random.nextInt(teams.length)];
            StatsRow r = new StatsRow(grain, m + minute, replica,
                d.contains(StatsDimension.MODEL) ? models[random.nextInt(2)] : null,
                d.contains(StatsDimension.PROVIDER) ? (series == 0 ? "openai" : "azure") : null,
                d.contains(StatsDimension.TARGET) ? "gpt-4o" : null, d.contains(StatsDimension.KEY) ? key : null,
                d.contains(StatsDimension.TEAM) && !team.isEmpty() ? team : null,
                1 + random.nextInt(50), random.nextInt(3), random.nextInt(10_000), random.nextInt(1_000),
                random.nextInt(1_000_000), StatsRows.encode(StatsRows.histogram(1_000 + random.nextInt(9_000))), null,
                StatsRows.encode(StatsRows.histogram(5)));
            if (rows.stream().noneMatch(x -> sameKey(x, r))) {
              rows.add(r);
            }
          }
        }
      }
    }
    await(store.stats().upsert(rows));
    List<Map<StatsDimension, String>> filters = List.of(Map.of(), Map.of(StatsDimension.MODEL, "smart"),
        Map.of(StatsDimension.KEY, "bob"), Map.of(StatsDimension.TEAM, "red"));
    List<StatsDimension> groups = new ArrayList<>(List.of(StatsDimension.values()));
    groups.add(null);
    int checked = 0;
    for (StatsDimension group : groups) {
      for (Map<StatsDimension, String> filter : filters) {
        for (int step : new int[] {1, 7, 30, 31 * 1440}) {
          StatsQuery sums = new StatsQuery(m + 2, m + 32, step, group, filter, null, true);
          StatsQuery timed = new StatsQuery(m + 2, m + 32, step, group, filter, StatsQuery.Timing.LATENCY, true);
          List<StatsCell> fast = await(store.stats().query(sums));
          assertThat(fast).as("%s by %s step %d", filter, group, step).allSatisfy(c -> assertThat(c.timing()).isNull())
              .isEqualTo(await(store.stats().query(timed)).stream().map(c -> c.withTiming(null)).toList());
          assertThat(fast).extracting(c -> List.<Object>of(c.bucketMinute(), String.valueOf(c.group()), c.requests(), c.errors(),
              c.inputTokens(), c.outputTokens(), c.costMicros())).as("%s by %s step %d", filter, group, step)
              .containsExactlyElementsOf(byHand(rows, sums));
          checked += fast.size();
        }
      }
    }
    assertThat(checked).as("cells compared").isGreaterThan(500);
  }

  private static boolean sameKey(StatsRow a, StatsRow b) {
    return a.grain() == b.grain() && a.minute() == b.minute() && a.replica().equals(b.replica())
        && Objects.equals(a.model(), b.model()) && Objects.equals(a.provider(), b.provider())
        && Objects.equals(a.target(), b.target()) && Objects.equals(a.keyName(), b.keyName())
        && Objects.equals(a.team(), b.team());
  }

  /** The cells a sum query must answer, added up in Java from the rows of its grain: by bucket, then group. */
  private static List<List<Object>> byHand(List<StatsRow> rows, StatsQuery q) {
    Map<Long, Map<String, long[]>> cells = new java.util.TreeMap<>();
    for (StatsRow r : rows) {
      if (r.grain() != q.grain() || r.minute() < q.fromMinute() || r.minute() >= q.toMinute()
          || !q.filters().entrySet().stream().allMatch(f -> f.getValue().equals(value(r, f.getKey())))) {
        continue;
      }
      long bucket = q.fromMinute() + (r.minute() - q.fromMinute()) / q.stepMinutes() * q.stepMinutes();
      String group = q.groupBy() == null ? null : q.groupBy() == StatsDimension.TARGET
          ? (r.provider() == null && r.target() == null ? null : r.provider() + "/" + r.target())
          : value(r, q.groupBy());
      long[] sums = cells.computeIfAbsent(bucket, b -> new java.util.TreeMap<>(
          java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))).computeIfAbsent(group, g -> new long[5]);
      sums[0] += r.requests();
      sums[1] += r.errors();
      sums[2] += r.inputTokens();
      sums[3] += r.outputTokens();
      sums[4] += r.costMicros();
    }
    List<List<Object>> out = new ArrayList<>();
    cells.forEach((bucket, groups) -> groups.forEach((g, v) ->
        out.add(List.of(bucket, String.valueOf(g), v[0], v[1], v[2], v[3], v[4]))));
    return out;
  }

  private static String value(StatsRow r, StatsDimension d) {
    return switch (d) {
      case MODEL -> r.model();
      case PROVIDER -> r.provider();
      case TARGET -> r.target();
      case KEY -> r.keyName();
      case TEAM -> r.team();
    };
  }

  // ---- threading ------------------------------------------------------------------------------

  @Test
  void jdbcRunsOnTheStoresWorkerThreadsEvenWhenCalledFromAnEventLoop() {
    Jdbc jdbc = ((JdbcStore) store).jdbc();
    Map.Entry<String, Boolean> where = onEventLoop(() -> jdbc.read(c -> Map.entry(Thread.currentThread().getName(),
        Context.isOnEventLoopThread())));
    assertThat(where.getKey()).startsWith(JdbcStore.THREAD_PREFIX);
    assertThat(where.getValue()).isFalse();
    Map.Entry<String, Boolean> writing = onEventLoop(() -> jdbc.write(c -> Map.entry(Thread.currentThread().getName(),
        Context.isOnEventLoopThread())));
    assertThat(writing.getKey()).startsWith(JdbcStore.THREAD_PREFIX);
    // every public call, made from an event loop, completes (the JDBC layer would refuse an event loop)
    assertThat(onEventLoop(() -> store.teams().upsert(Team.named("red", T0)).map(Team::name))).isEqualTo("red");
    assertThat(onEventLoop(() -> store.ledger().insertBatch(List.of(row("el", 1).build())))).isEqualTo(1);
  }

  @Test
  void theConnectionPoolRefusesToRunOnAnEventLoop() {
    ConnectionPool pool = new ConnectionPool("test", 1, 100, () -> {
      throw new AssertionError("must not even open a connection");
    });
    Throwable t = failure(onEventLoopFuture(() -> {
      try {
        return Future.succeededFuture(pool.with(c -> "ran"));
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
  }

  // ---- request log ----------------------------------------------------------------------------

  @Test
  void requestAndLedgerRowsGoInOneBatchOnceEachWithEveryColumnAndTheAttemptTimeline() {
    RequestRow full = req("q1", 5).endpoint("messages").key("alice", "key_1", "red").model("smart")
        .servedBy("anthropic", "claude").status(502).errorClass("upstream_error").stream(true).clientDisconnected(true)
        .timing(1_234_567, 45_678L, 12, 345).tokens(11, 22, 3, 4, 5).cost(678).attempts(2)
        .bodies(new RequestRow.Bodies("{\"model\":\"smart\"}", "data: {}\n\n", false, true)).build();
    LedgerRow a1 = row("q1", 1).outcome(Outcome.ERROR).status(503).errorClass("server_error")
        .startedAt(T0.plusMillis(5_100)).latency(40, null).build();
    LedgerRow a2 = row("q1", 2).retry(true).startedAt(T0.plusMillis(5_200)).latency(900, 45L).build();
    RequestRow bare = req("q2", 6).build();
    List<BatchRow> batch = List.of(a2, full, a1, bare);
    assertThat(await(store.batches().insertBatch(batch))).isEqualTo(4);
    assertThat(await(store.batches().insertBatch(batch))).as("a replayed batch").isZero();
    assertThat(await(store.batches().insertBatch(List.of()))).isZero();

    RequestDetail found = await(store.requests().find("q1", null)).orElseThrow();
    assertThat(found.request()).isEqualTo(full);
    assertThat(found.attempts()).containsExactly(a1, a2);
    assertThat(found.attempts().get(0).startedAt()).isEqualTo(T0.plusMillis(5_100));
    RequestDetail plain = await(store.requests().find("q2", null)).orElseThrow();
    assertThat(plain.request()).isEqualTo(bare);
    assertThat(plain.request().bodies()).isNull();
    assertThat(plain.attempts()).isEmpty();
    assertThat(await(store.requests().find("nope", null))).isEmpty();
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).containsExactly(a1, a2);
  }

  @Test
  void aYieldingBatchStoresTheSameRowsAndSkipsReplayedOnesAcrossItsChunks() {
    List<LedgerRow> attempts = rollupFixture(0, 40);
    List<BatchRow> first = new ArrayList<>(attempts.subList(0, 10));
    assertThat(await(store.batches().insertBatch(first))).isEqualTo(10);
    List<BatchRow> all = new ArrayList<>(attempts); // the first ten again, then thirty new, over several chunks
    for (int i = 0; i < 40; i++) {
      all.add(req("y" + i, i).build());
    }
    all.add(attempts.get(25)); // the same attempt twice in one batch
    assertThat(await(store.batches().insertBatchYielding(all))).isEqualTo(30 + 40);
    assertThat(await(store.batches().insertBatchYielding(all))).as("a replayed batch").isZero();
    for (LedgerTotals.By by : LedgerTotals.By.values()) {
      assertThat(await(store.ledger().totals(T0, null, by))).as(by.name()).containsExactlyElementsOf(byHand(attempts, T0, null, by));
    }
    assertThat(await(store.requests().find("y39", null))).isPresent();
  }

  @Test
  void textThatLooksLikeArrayOrNullSyntaxIsStoredAsTextAndABatchOfManyRowsLandsWhole() {
    // PostgreSQL receives a batch as one array per column (store/UnnestInsert): a value that spells
    // an array literal's NULL, braces, commas or quotes must still come back as the text it was.
    List<String> tricky = List.of("NULL", "null", "", " ", "{a,b}", "{", "}", ",", "\"", "\\", "a,\"b\"}");
    List<BatchRow> batch = new ArrayList<>();
    for (int i = 0; i < tricky.size(); i++) {
      String t = tricky.get(i);
      batch.add(row("t" + i, 1).key("k" + i, t, t).target(t, t, t).errorClass(t).build());
      batch.add(req("t" + i, i).key(t, t, t).model(t).servedBy(t, t).errorClass(t).build());
    }
    for (int i = 0; i < 600; i++) { // more rows than one writer batch (500)
      batch.add(row("many" + i, 1).build());
      batch.add(req("many" + i, i % 60).build());
    }
    assertThat(await(store.batches().insertBatch(batch))).isEqualTo(batch.size());
    assertThat(await(store.batches().insertBatch(batch))).as("a replayed batch").isZero();
    for (int i = 0; i < tricky.size(); i++) {
      RequestDetail found = await(store.requests().find("t" + i, null)).orElseThrow();
      assertThat(found.request()).isEqualTo(batch.get(2 * i + 1));
      assertThat(found.attempts()).containsExactly((LedgerRow) batch.get(2 * i));
    }
    assertThat(await(store.ledger().totals(T0.minusSeconds(86_400), T0.plusSeconds(86_400), LedgerTotals.By.ALL))
        .get(0).attempts()).isEqualTo(tricky.size() + 600);
  }

  @Test
  void anyTextAndEveryValueSurviveTheBatchInsertAndARowTwiceInOneBatchCountsOnce() {
    // Quotes, backslashes, control characters and non-ASCII text come back as they went in, nulls
    // as nulls, longs whole; a row offered twice in one batch is stored and rolled up once.
    String odd = "a\"b\\c\nd\te\u0001f\u00e9\u4e2d\ud83d\ude00 ' ; --";
    LedgerRow wild = LedgerRow.builder("w" + odd, 3, T0.plusMillis(7)).key(odd, "key\\" + odd, odd)
        .target(odd, "p\"", "m\n").status(599).errorClass(odd).outcome(Outcome.ERROR)
        .tokens(Long.MAX_VALUE / 4, 1, 2, 3, 4).cost(Long.MAX_VALUE / 8, false, true).latency(12, 34L)
        .stream(true).clientDisconnected(true).hedge(true).retry(true).fallback(true).startedAt(T0)
        .kind(RowKind.CACHE_HIT).saved(9).route(AnswerRoute.REROUTED, 5L, null).uncachedCost(77L).build();
    LedgerRow plain = row("plain", 1).key("bob", null, null).build();
    RequestRow req = req("w" + odd, 1).key(odd, null, odd).errorClass(odd).servedBy(odd, odd)
        .timing(1, null, 2, 3).build();
    assertThat(await(store.batches().insertBatch(List.of(wild, plain, req, plain)))).isEqualTo(3);
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).containsExactly(plain, wild);
    RequestDetail found = await(store.requests().find("w" + odd, null)).orElseThrow();
    assertThat(found.request()).isEqualTo(req);
    assertThat(found.attempts()).containsExactly(wild);
    assertThat(await(store.ledger().totals(T0.minusSeconds(7200), T0.plusSeconds(7200), LedgerTotals.By.ALL))
        .get(0).attempts()).as("the row offered twice is in the rollup once").isEqualTo(2);
    assertThat(await(store.ledger().totals(T0.minusSeconds(86_400 * 3), T0.plusSeconds(86_400 * 3),
        LedgerTotals.By.KEY))).extracting(LedgerTotals::group).containsExactlyInAnyOrder("bob", odd);
  }

  @Test
  void aRequestsAttemptsAreItsOwnEvenWhenAnotherRequestIdStartsWithItAndAColon() {
    // Ledger ids are requestId:attemptNo, so request "x" and request "x:1" have ids "x:1" and "x:1:1";
    // SQLite reads a request's attempts from the id key's range (V14), which must not mix them up.
    LedgerRow x1 = row("x", 1).build();
    LedgerRow x2 = row("x", 2).retry(true).build();
    LedgerRow other = row("x:1", 1).build();
    LedgerRow near = row("x;", 1).build();
    await(store.batches().insertBatch(List.of(req("x", 1).attempts(2).build(), req("x:1", 2).build(),
        req("x;", 3).build(), x1, x2, other, near)));
    assertThat(await(store.requests().find("x", null)).orElseThrow().attempts()).containsExactly(x1, x2);
    assertThat(await(store.requests().find("x:1", null)).orElseThrow().attempts()).containsExactly(other);
    assertThat(await(store.requests().find("x;", null)).orElseThrow().attempts()).containsExactly(near);
  }

  @Test
  void theListLeavesBodiesOutAndFindIsScopedToTheKeyWhenOneIsGiven() {
    await(store.batches().insertBatch(List.of(
        req("a", 1).key("alice", null, null).bodies(new RequestRow.Bodies("hello", null, false, false)).build(),
        req("b", 2).key("bob", null, null).build(),
        row("a", 1).key("alice", null, null).build())));
    RequestPage page = await(store.requests().list(RequestQuery.newest(50)));
    assertThat(page.rows()).extracting(RequestRow::id).containsExactly("b", "a");
    assertThat(page.rows()).allSatisfy(r -> assertThat(r.bodies()).isNull());
    assertThat(page.next()).isNull();
    assertThat(await(store.requests().find("a", "alice")).orElseThrow().request().bodies().request()).isEqualTo("hello");
    assertThat(await(store.requests().find("a", "alice")).orElseThrow().attempts()).hasSize(1);
    assertThat(await(store.requests().find("a", "bob"))).as("another key's request").isEmpty();
    assertThat(await(store.requests().find("b", "bob"))).isPresent();
  }

  @Test
  void theRequestLogFiltersByKeyTeamModelStatusErrorLatencyAndTime() {
    await(store.batches().insertBatch(List.of(
        req("r1", 1).key("alice", null, "red").model("smart").timing(100_000, null, 0, 10).build(),
        req("r2", 2).key("alice", null, "red").model("fast").status(429).errorClass("rate_limit_exceeded")
            .timing(2_000, null, 0, 10).build(),
        req("r3", 3).key("bob", null, null).model("smart").status(502).errorClass("upstream_error")
            .timing(3_000_000, null, 0, 10).build(),
        req("r4", 4).key("carol", null, "blue").model("smart").status(200).timing(50_000, null, 0, 10).build(),
        req("r5", 3_600).key("alice", null, "red").model("smart").status(201).timing(49_999, null, 0, 10).build())));
    assertThat(ids(RequestQuery.newest(50))).containsExactly("r5", "r4", "r3", "r2", "r1");
    assertThat(ids(RequestQuery.newest(50).key("alice"))).containsExactly("r5", "r2", "r1");
    assertThat(ids(RequestQuery.newest(50).team("red"))).containsExactly("r5", "r2", "r1");
    assertThat(ids(RequestQuery.newest(50).model("smart"))).containsExactly("r5", "r4", "r3", "r1");
    assertThat(ids(RequestQuery.newest(50).status(502, 502))).containsExactly("r3");
    assertThat(ids(RequestQuery.newest(50).status(200, 299))).containsExactly("r5", "r4", "r1");
    assertThat(ids(RequestQuery.newest(50).errorClass("rate_limit_exceeded"))).containsExactly("r2");
    assertThat(ids(RequestQuery.newest(50).minLatencyMicros(50_000L))).containsExactly("r4", "r3", "r1");
    assertThat(ids(RequestQuery.newest(50).between(T0.plusSeconds(2), T0.plusSeconds(4)))).containsExactly("r3", "r2");
    assertThat(ids(RequestQuery.newest(50).between(T0.plusSeconds(3), null))).containsExactly("r5", "r4", "r3");
    assertThat(ids(RequestQuery.newest(50).key("alice").model("smart").minLatencyMicros(60_000L))).containsExactly("r1");
    assertThat(ids(RequestQuery.newest(50).key("nobody"))).isEmpty();
  }

  /**
   * The list's indexes carry status and latency after (ts, id) so that those filters are checked on
   * the index (V6): every filter, alone and combined, paged, gives what filtering the rows by hand
   * gives, newest first, with ties in time broken by id.
   */
  @Test
  void everyFilterCombinationPagesTheSameRowsAsFilteringThemByHand() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    String[] keys = {"alice", "bob", null};
    String[] models = {"smart", "fast", null};
    int[] statuses = {200, 200, 200, 429, 499, 502, 503};
    List<RequestRow> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int status = statuses[random.nextInt(statuses.length)];
      String key = keys[random.nextInt(keys.length)];
      all.add(RequestRow.builder(String.format("r%03d", random.nextInt(1000)) + "-" + i,
              T0.plusMillis(random.nextInt(40) * 500L))
          .key(key, null, key == null ? null : key.equals("alice") ? "red" : "blue").model(models[random.nextInt(3)])
          .status(status).errorClass(status == 200 ? null : status == 429 ? "rate_limit_exceeded" : "upstream_error")
          .timing(random.nextInt(5) * 25_000L, null, 0, 10).attempts(1).build());
    }
    await(store.batches().insertBatch(all));
    java.util.Comparator<RequestRow> newestFirst = java.util.Comparator.comparing(RequestRow::ts)
        .thenComparing(RequestRow::id).reversed();
    int checked = 0;
    for (String key : new String[] {null, "alice", "bob"}) {
      for (String model : new String[] {null, "smart"}) {
        for (int[] status : new int[][] {null, {429, 429}, {500, 599}, {200, 299}}) {
          for (Long slower : new Long[] {null, 50_000L, 100_000L, 1_000_000L}) {
            for (String errorClass : new String[] {null, "upstream_error"}) {
              RequestQuery q = RequestQuery.newest(7).key(key).model(model).errorClass(errorClass)
                  .minLatencyMicros(slower).between(T0.plusSeconds(2), T0.plusSeconds(18));
              if (status != null) {
                q = q.status(status[0], status[1]);
              }
              List<String> expected = all.stream()
                  .filter(r -> key == null || key.equals(r.keyName()))
                  .filter(r -> model == null || model.equals(r.model()))
                  .filter(r -> status == null || (r.status() >= status[0] && r.status() <= status[1]))
                  .filter(r -> slower == null || r.latencyMicros() >= slower)
                  .filter(r -> errorClass == null || errorClass.equals(r.errorClass()))
                  .filter(r -> !r.ts().isBefore(T0.plusSeconds(2)) && r.ts().isBefore(T0.plusSeconds(18)))
                  .sorted(newestFirst).map(RequestRow::id).toList();
              assertThat(allPages(q)).as("%s", q).containsExactlyElementsOf(expected);
              checked += expected.isEmpty() ? 0 : 1;
            }
          }
        }
      }
    }
    assertThat(checked).as("combinations that found rows").isGreaterThan(60);
  }

  @Test
  void cursorPagesAreNewestFirstWithoutGapsOrDuplicatesEvenWhenTimesTie() {
    List<BatchRow> rows = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // three requests share each second: the id breaks the tie
      rows.add(req("id-" + (char) ('a' + i), i / 3).key(i % 2 == 0 ? "alice" : "bob", null, null).build());
    }
    await(store.batches().insertBatch(rows));
    for (int ms = 7; ms >= 0; ms--) {
      for (int i = 22; i >= 0; i--) {
        if (i / 3 == ms) {
          expected.add("id-" + (char) ('a' + i));
        }
      }
    }
    assertThat(allPages(RequestQuery.newest(5))).containsExactlyElementsOf(expected);
    assertThat(allPages(RequestQuery.newest(1))).containsExactlyElementsOf(expected);
    assertThat(allPages(RequestQuery.newest(500))).containsExactlyElementsOf(expected);
    assertThat(allPages(RequestQuery.newest(4).key("alice")))
        .containsExactlyElementsOf(expected.stream().filter(id -> (id.charAt(3) - 'a') % 2 == 0).toList());
    // a page's cursor survives its text form, and a newer row arriving meanwhile does not shift later pages
    RequestPage first = await(store.requests().list(RequestQuery.newest(5)));
    await(store.batches().insertBatch(List.of(req("newest", 60).build())));
    RequestQuery.Position next = RequestQuery.Position.parseCursor(first.next().cursor());
    assertThat(await(store.requests().list(RequestQuery.newest(5).after(next))).rows()).extracting(RequestRow::id)
        .containsExactlyElementsOf(expected.subList(5, 10));
  }

  @Test
  void retentionDeletesOnlyOlderRowsOfEachKindInBoundedBatches() {
    List<BatchRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(req("old" + i, -100 - i).bodies(new RequestRow.Bodies("secret-free", "answer", false, false)).build());
      rows.add(row("old" + i, 1).ts(T0.minusSeconds(100 + i)).build());
    }
    rows.add(req("new", 10).bodies(new RequestRow.Bodies("kept", "kept", false, false)).build());
    rows.add(row("new", 1).ts(T0.plusSeconds(10)).build());
    await(store.batches().insertBatch(rows));

    assertThat(await(store.requests().deleteBodiesBefore(T0, 2))).isEqualTo(2);
    assertThat(await(store.requests().deleteBodiesBefore(T0, 2))).isEqualTo(2);
    assertThat(await(store.requests().deleteBodiesBefore(T0, 2))).isEqualTo(1);
    assertThat(await(store.requests().deleteBodiesBefore(T0, 2))).isZero();
    assertThat(await(store.requests().find("old0", null)).orElseThrow().request().bodies())
        .as("the summary outlives its bodies").isNull();
    assertThat(await(store.requests().find("new", null)).orElseThrow().request().bodies()).isNotNull();

    assertThat(await(store.requests().deleteBefore(T0.minusSeconds(102), 500))).isEqualTo(2); // old3, old4
    assertThat(ids(RequestQuery.newest(50))).containsExactly("new", "old0", "old1", "old2");
    assertThat(await(store.ledger().deleteBefore(T0, 3))).isEqualTo(3);
    assertThat(await(store.ledger().deleteBefore(T0, 3))).isEqualTo(2);
    assertThat(await(store.ledger().rowsSince(Instant.EPOCH))).extracting(LedgerRow::id).containsExactly("new:1");
    assertThat(ids(RequestQuery.newest(50))).as("the ledger's retention is its own").hasSize(4);
  }

  @Test
  void aCursorThatIsNotOursIsRefused() {
    String otherVersion = java.util.Base64.getUrlEncoder().encodeToString("2:1:x".getBytes());
    for (String bad : new String[] {"", "!!!", "MTpub3Q", otherVersion}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestQuery.Position.parseCursor(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    RequestQuery.Position p = new RequestQuery.Position(T0.toEpochMilli(), "req:with:colons");
    assertThat(RequestQuery.Position.parseCursor(p.cursor())).isEqualTo(p);
  }

  // ---- helpers --------------------------------------------------------------------------------

  static <T> T onEventLoop(Supplier<Future<T>> call) {
    return await(onEventLoopFuture(call));
  }

  static <T> Future<T> onEventLoopFuture(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    vertx.runOnContext(v -> {
      try {
        call.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  static RequestRow.Builder req(String id, int secondsAfterT0) {
    return RequestRow.builder(id, T0.plusSeconds(secondsAfterT0)).model("smart").attempts(1);
  }

  private List<String> ids(RequestQuery q) {
    return await(store.requests().list(q)).rows().stream().map(RequestRow::id).toList();
  }

  /** Every page from the first, following the cursors; fails on a page past its limit. */
  private List<String> allPages(RequestQuery q) {
    List<String> out = new ArrayList<>();
    RequestQuery.Position at = null;
    for (int guard = 0; guard < 100; guard++) {
      RequestPage page = await(store.requests().list(q.after(at)));
      assertThat(page.rows().size()).isLessThanOrEqualTo(q.limit());
      page.rows().forEach(r -> out.add(r.id()));
      if (page.next() == null) {
        return out;
      }
      assertThat(page.rows()).hasSize(q.limit());
      at = page.next();
    }
    throw new AssertionError("too many pages");
  }

  static LedgerRow.Builder row(String requestId, int attempt) {
    return LedgerRow.builder(requestId, attempt, T0)
        .key("alice", "key_1", "red").target("smart", "openai", "gpt-4o").tokens(100, 10, 0, 0, 0)
        .cost(1000, true, false).latency(250, null);
  }

  /**
   * Rows {@code from} to {@code to} (exclusive) of a deterministic mix, one every 3 min 7 s from T0
   * (so over four hours): three keys (one without a team), two model entries, two providers, every
   * kind, outcome and savings fact (first / rerouted, priced or not, fallback / direct), prompt-cached
   * attempts priced or not.
   */
  static List<LedgerRow> rollupFixture(int from, int to) {
    List<LedgerRow> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String key = List.of("alice", "bob", "carol").get(i % 3);
      boolean ok = i % 4 != 3;
      boolean priced = i % 11 != 5;
      LedgerRow.Builder b = row("q" + i, 1 + i % 2).ts(T0.plusSeconds(187L * i))
          .key(key, null, key.equals("bob") ? null : key + "-team")
          .target(i % 5 < 3 ? "smart" : "fast", i % 2 == 0 ? "openai" : "anthropic", i % 2 == 0 ? "gpt-4o" : "sonnet")
          .tokens(100 + i, 10 + i, i % 3 == 0 ? 40 : 0, i % 7 == 0 ? 5 : 0, i % 2)
          .cost(priced ? 1000 + 13L * i : 0, priced, false)
          .outcome(ok ? Outcome.OK : Outcome.ERROR).fallback(i % 6 == 1)
          .kind(i % 9 == 4 ? RowKind.SHADOW : i % 9 == 8 ? RowKind.CACHE_HIT : RowKind.CALL)
          .saved(i % 9 == 8 ? 500 + i : 0);
      if (ok) {
        switch (i % 5) {
          case 0 -> b.route(AnswerRoute.FIRST, null, null);
          case 1, 2 -> b.route(AnswerRoute.REROUTED, priced ? 3000L + i : null, priced ? 4000L + 2 * i : null);
          case 3 -> b.route(AnswerRoute.DIRECT, null, null);
          default -> { } // an answer recorded before V9: no route
        }
      }
      if (priced && (i % 3 == 0 || i % 7 == 0)) {
        b.uncachedCost(1500L + 17 * i);
      }
      out.add(b.build());
    }
    return out;
  }

  /** The totals of {@code rows} in {@code [from, to)} per group, by hand, from each row's meaning. */
  static List<LedgerTotals> byHand(List<LedgerRow> rows, Instant from, Instant to, LedgerTotals.By by) {
    java.util.TreeMap<String, long[]> groups = new java.util.TreeMap<>(java.util.Comparator.nullsLast(
        java.util.Comparator.naturalOrder()));
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (LedgerRow r : rows) {
      if (r.ts().isBefore(from) || (to != null && !r.ts().isBefore(to)) || !seen.add(r.id())) {
        continue;
      }
      String g = switch (by) {
        case ALL -> null;
        case MODEL -> r.modelEntry();
        case KEY -> r.keyName();
        case TEAM -> r.team();
        case PROVIDER -> r.provider();
        case DAY -> r.ts().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
      };
      long[] s = groups.computeIfAbsent(g, k -> new long[21]);
      boolean rerouted = r.route() == AnswerRoute.REROUTED;
      boolean cached = r.cachedReadTokens() + r.cacheWriteTokens() > 0;
      long[] add = {1, r.attemptNo() <= 1 ? 1 : 0, r.inputTokens(), r.outputTokens(), r.cachedReadTokens(),
          r.cacheWriteTokens(), r.reasoningTokens(), r.costMicros(), r.outcome() == Outcome.OK ? r.costMicros() : 0,
          r.priceKnown() ? 0 : 1, r.savedMicros(), r.route() != null ? 1 : 0, rerouted ? 1 : 0,
          rerouted && r.fallback() ? 1 : 0, rerouted && r.routeBaselineMicros() == null ? 1 : 0,
          Objects.requireNonNullElse(r.routeCostMicros(), 0L), Objects.requireNonNullElse(r.routeBaselineMicros(), 0L),
          r.uncachedCostMicros() != null ? 1 : 0, cached && !r.priceKnown() ? 1 : 0,
          r.uncachedCostMicros() != null ? r.costMicros() : 0, Objects.requireNonNullElse(r.uncachedCostMicros(), 0L)};
      for (int i = 0; i < add.length; i++) {
        s[i] += add[i];
      }
    }
    List<LedgerTotals> out = new ArrayList<>();
    groups.forEach((g, v) -> out.add(new LedgerTotals(g, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
        v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20])));
    return out;
  }

  /**
   * Four requests on two days, plus one the hour before T0:
   * <ul>
   *   <li>alice/a1: openai 503 (100, overhead) then a retry that answers (1000);
   *   <li>alice/a2: openai error (200, overhead) then a fallback to anthropic that answers (2000);
   *   <li>bob/b1 (no team): openai answers (300) while its hedge loses (200, overhead);
   *   <li>carol/c1 (team blue, next day): gemini answers but has no price.
   * </ul>
   */
  /** A spend report's group of client calls only: all of its cost spent, nothing saved, no shadow. */
  private static SpendRow calls(String group, long requests, long attempts, long input, long output, long cachedRead,
      long cacheWrite, long reasoning, long cost, long answer, long overhead, long unpriced) {
    return new SpendRow(group, requests, attempts, input, output, cachedRead, cacheWrite, reasoning, cost, answer,
        overhead, unpriced, cost, 0, 0, 0);
  }

  static List<LedgerRow> spendFixture() {
    return List.of(
        row("a1", 1).ts(T0.plusSeconds(1)).outcome(Outcome.ERROR).status(503).errorClass("server_error")
            .cost(100, true, false).tokens(100, 10, 10, 5, 3).build(),
        row("a1", 2).ts(T0.plusSeconds(2)).retry(true).cost(1000, true, false).build(),
        row("a2", 1).ts(T0.plusSeconds(3)).outcome(Outcome.ERROR).status(500).cost(200, true, false).build(),
        row("a2", 2).ts(T0.plusSeconds(4)).target("smart", "anthropic", "claude-sonnet").fallback(true)
            .cost(2000, true, false).build(),
        row("b1", 1).ts(T0.plusSeconds(5)).key("bob", null, null).target("fast", "openai", "gpt-4o-mini")
            .tokens(100, 10, 0, 0, 0).cost(300, true, false).build(),
        row("b1", 2).ts(T0.plusSeconds(6)).key("bob", null, null).target("fast", "openai", "gpt-4o-mini")
            .outcome(Outcome.HEDGE_LOST).hedge(true).cost(200, true, false).build(),
        row("c1", 1).ts(T0.plusSeconds(86_400 + 60)).key("carol", "key_3", "blue").target("fast", "gemini", "gemini-flash")
            .cost(0, false, false).build(),
        row("old", 1).ts(T0.minusSeconds(1800)).cost(7, true, false).build());
  }
}
