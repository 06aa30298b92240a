package dev.sluice.observe.ledger;

import static dev.sluice.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.BatchRow;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.requestlog.RequestQuery;
import dev.sluice.store.requestlog.RequestRow;
import dev.sluice.store.Store;
import dev.sluice.store.audit.AuditEntry;
import dev.sluice.store.audit.AuditQuery;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention job on a real SQLite store, under a fixed clock; its periodic timer fires by
 * hand, and its pauses between batches are recorded and run at once (nothing waits on wall time).
 */
class RetentionJobTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration PAUSE = Duration.ofMillis(50);
  private static final Duration EVERY = Duration.ofMinutes(10);
  private static Vertx vertx;

  @TempDir
  Path dir;
  private Store store;
  private final Timers timers = new Timers();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStore() {
    store = await(Store.open(vertx, "sqlite:" + dir.resolve("sluice.db")));
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  /** Periodic tasks wait for {@link #firePeriodic()}; one-shot pauses are recorded and run at once. */
  private static final class Timers implements LedgerTimers {
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    final List<Runnable> periodic = new CopyOnWriteArrayList<>();

    @Override
    public Timer every(Duration period, Runnable task) {
      assertThat(period).isEqualTo(EVERY);
      periodic.add(task);
      return () -> periodic.remove(task);
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
      pauses.add(delay);
      vertx.runOnContext(v -> task.run());
      return () -> {};
    }

    void firePeriodic() {
      periodic.forEach(Runnable::run);
    }
  }

  private RetentionJob job(Duration requests, Duration bodies, Duration ledger) {
    return new RetentionJob(store.requests(), store.ledger(), store.audit()::deleteBefore,
        new RetentionJob.Ages(requests, bodies, ledger), Clock.fixed(NOW, ZoneOffset.UTC), timers,
        new RetentionJob.Schedule(EVERY, 2, PAUSE));
  }

  private static RequestRow request(String id, Duration age) {
    return RequestRow.builder(id, NOW.minus(age)).key("alice", null, null).model("smart").attempts(1)
        .bodies(new RequestRow.Bodies("{\"q\":1}", "{\"a\":1}", false, false)).build();
  }

  private static LedgerRow attempt(String requestId, Duration age) {
    return LedgerRow.builder(requestId, 1, NOW.minus(age)).key("alice", null, null)
        .target("smart", "openai", "gpt-4o").build();
  }

  private List<String> requestIds() {
    return await(store.requests().list(RequestQuery.newest(500))).rows().stream().map(RequestRow::id).toList();
  }

  private List<String> ledgerIds() {
    return await(store.ledger().rowsSince(Instant.EPOCH)).stream().map(LedgerRow::requestId).toList();
  }

  @Test
  void requestsBodiesAndLedgerRowsAreEachDeletedByTheirOwnAgeInPausedBatches() {
    List<BatchRow> rows = new ArrayList<>(List.of(request("fresh", DAY), request("week-old", DAY.multipliedBy(8)),
        attempt("fresh", DAY), attempt("month-old", DAY.multipliedBy(31))));
    for (int i = 0; i < 5; i++) {
      rows.add(request("month-old-" + i, DAY.multipliedBy(31)));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(attempt("ancient-" + i, DAY.multipliedBy(401)));
    }
    await(store.batches().insertBatch(rows));
    RetentionJob job = job(DAY.multipliedBy(30), DAY.multipliedBy(7), DAY.multipliedBy(400));

    RetentionJob.Deleted deleted = await(job.runOnce());
    assertThat(deleted).isEqualTo(new RetentionJob.Deleted(5, 6, 3, 0));
    assertThat(requestIds()).containsExactly("fresh", "week-old");
    assertThat(await(store.requests().find("fresh", null)).orElseThrow().request().bodies()).isNotNull();
    assertThat(await(store.requests().find("week-old", null)).orElseThrow().request().bodies())
        .as("its bodies aged out, its summary not").isNull();
    assertThat(ledgerIds()).as("the ledger keeps its 400 days").containsExactlyInAnyOrder("fresh", "month-old");
    // batches of 2: bodies 2+2+2+0, requests 2+2+1, ledger 2+1 — a pause after every full batch
    assertThat(timers.pauses).hasSize(6).containsOnly(PAUSE);

    assertThat(await(job.runOnce())).as("nothing left to delete").isEqualTo(new RetentionJob.Deleted(0, 0, 0, 0));
  }

  @Test
  void theAuditLogIsKeptAsLongAsTheLedger() {
    for (int i = 0; i < 3; i++) {
      await(store.audit().insert(auditEntry("ancient-" + i, DAY.multipliedBy(401))));
    }
    await(store.audit().insert(auditEntry("month-old", DAY.multipliedBy(31))));
    await(store.audit().insert(auditEntry("fresh", DAY)));
    RetentionJob job = job(DAY.multipliedBy(30), DAY.multipliedBy(7), DAY.multipliedBy(400));

    assertThat(await(job.runOnce())).isEqualTo(new RetentionJob.Deleted(0, 0, 0, 3));
    assertThat(await(store.audit().list(AuditQuery.newest(50))).entries()).extracting(AuditEntry::id)
        .as("older than the requests' 30 days, younger than the ledger's 400: kept")
        .containsExactly("fresh", "month-old");
    assertThat(timers.pauses).as("a pause after the one full batch of 2").containsExactly(PAUSE);
  }

  @Test
  void tablesKeptAsLongAsTheLedgerArePurgedInTurnUntilBothAreEmpty() {
    int[] left = {3, 5}; // e.g. audit entries, then shadow pairs, all older than the ledger's age
    RetentionJob.RowPurger first = countingDown(left, 0);
    RetentionJob.RowPurger second = countingDown(left, 1);
    RetentionJob job = new RetentionJob(store.requests(), store.ledger(), RetentionJob.RowPurger.inTurn(first, second),
        new RetentionJob.Ages(DAY, DAY, DAY), Clock.fixed(NOW, ZoneOffset.UTC), timers,
        new RetentionJob.Schedule(EVERY, 2, PAUSE));

    assertThat(await(job.runOnce()).audit()).isEqualTo(8);
    assertThat(left).containsExactly(0, 0);
  }

  private static RetentionJob.RowPurger countingDown(int[] left, int i) {
    return (cutoff, max) -> {
      int n = Math.min(max, left[i]);
      left[i] -= n;
      return io.vertx.core.Future.succeededFuture(n);
    };
  }

  private static AuditEntry auditEntry(String id, Duration age) {
    return AuditEntry.pending(id, NOW.minus(age), "master:1a2b3c4d", "127.0.0.1", "PATCH", "/admin/keys/:id",
        "/admin/keys/key_1", "key.update", "key_1").completed("key_1", 200, null, null, null);
  }

  @Test
  void passesRunOnTheScheduleUntilStoppedAndBodiesNeverOutliveTheirRequest() {
    await(store.batches().insertBatch(List.of(request("old", DAY.multipliedBy(3)), request("new", DAY))));
    // bodies asked for longer than requests: they go with their request
    RetentionJob job = job(DAY.multipliedBy(2), DAY.multipliedBy(60), DAY.multipliedBy(400)).start();
    assertThat(timers.periodic).hasSize(1);
    timers.firePeriodic();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (requestIds().size() != 1) {
      assertThat(System.nanoTime() - deadline).as("the scheduled pass deleted the old request").isNegative();
      Thread.yield();
    }
    assertThat(requestIds()).containsExactly("new");
    await(job.runOnce()); // joins the scheduled pass if it is still going (ledger, audit log), so none is left
    job.stop();
    assertThat(timers.periodic).isEmpty();
    assertThat(await(job.runOnce())).as("a stopped job deletes nothing")
        .isEqualTo(new RetentionJob.Deleted(0, 0, 0, 0));
  }
}
