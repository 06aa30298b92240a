package dev.sluice.cli;

import static dev.sluice.cli.KeysCliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.store.Store;
import dev.sluice.testing.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCliTest {
  @TempDir
  Path dir;

  @Test
  void estimatePrintsTheForecastOfACatalogModel() {
    // gpt-4o-mini: $0.15 in, $0.60 out per million. 1,000 in + 500 out = 150 + 300 = 450 µUSD a request.
    // Day: 450 × 2 rps × 86,400 × 1.1 = 85,536,000 µUSD; month: × 30.
    CliRun run = run("cost", "estimate", "--model", "gpt-4o-mini", "--rps", "2", "--input-tokens", "1000",
        "--output-tokens", "500", "--retry-rate", "0.1");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("gpt-4o-mini")
        .containsPattern("Per request +\\$0\\.000450")
        .containsPattern("Per day +\\$85\\.536000")
        .containsPattern("Per month +\\$2566\\.080000 \\(30 days\\)");
  }

  @Test
  void estimateWithoutRetriesAndWithAProviderPrefix() {
    CliRun run = run("cost", "estimate", "--model", "openai/gpt-4o-mini", "--rps", "0.5", "--input-tokens", "1000",
        "--output-tokens", "500");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("Per day +\\$19\\.440000");
  }

  @Test
  void anUnknownModelIsAClearErrorWithExitCode1() {
    CliRun run = run("cost", "estimate", "--model", "no-such-model-9000", "--rps", "1", "--input-tokens", "10",
        "--output-tokens", "10");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("no price for model 'no-such-model-9000'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void replayPricesTheRecordedAttemptsWithAnotherModel() throws Exception {
    Path db = dir.resolve("ledger.db");
    Vertx vertx = Vertx.vertx();
    try {
      Store store = Await.await(Store.open(vertx, "sqlite:" + db));
      Instant t = Instant.parse("2026-02-10T12:00:00Z");
      Await.await(store.ledger().insertBatch(List.of(
          // recorded on gpt-4o-mini: 450 µUSD; as gpt-4o ($2.50 in, $10 out): 2,500 + 5,000 = 7,500 µUSD
          row("r1", 1, t).tokens(1000, 500, 0, 0, 0).cost(450, true, false).build(),
          // a failed attempt that still read 2,000 prompt tokens: 300 recorded; 5,000 as gpt-4o
          row("r2", 1, t).outcome(Outcome.ERROR).status(500).tokens(2000, 0, 0, 0, 0).cost(300, true, false).build(),
          row("r2", 2, t).retry(true).tokens(0, 0, 0, 0, 0).cost(0, true, false).build(),
          // before --since: left out
          row("r0", 1, Instant.parse("2026-01-01T00:00:00Z")).tokens(1_000_000, 0, 0, 0, 0).cost(150_000, true, false)
              .build())));
      Await.await(store.close());
    } finally {
      Await.await(vertx.close());
    }

    CliRun run = run("cost", "replay", "--since", "2026-02-01", "--as", "gpt-4o", "--store", "sqlite:" + db);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("2 requests, 3 attempts")
        .contains("up/gpt-4o-mini")
        .containsPattern("Recorded cost +\\$0\\.000750")
        .containsPattern("As gpt-4o +\\$0\\.012500")
        .containsPattern("Difference +\\+\\$0\\.011750 \\(\\+1566\\.7%\\)");
  }

  @Test
  void replayOfAMissingStoreOrUnknownModelFails() {
    CliRun missing = run("cost", "replay", "--since", "2026-02-01", "--as", "gpt-4o", "--store",
        "sqlite:" + dir.resolve("absent.db"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no ledger at");
    CliRun unknown = run("cost", "replay", "--since", "2026-02-01", "--as", "nope-1", "--store", "sqlite:x.db");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no price for model 'nope-1'");
  }

  private record CliRun(int code, String out, String err) {}

  private static CliRun run(String... args) {
    KeysCliTest.Run r = sluice(args);
    return new CliRun(r.code(), r.out(), r.err());
  }

  private static LedgerRow.Builder row(String request, int attempt, Instant ts) {
    return LedgerRow.builder(request, attempt, ts).key("app", null, null).target("chat", "up", "gpt-4o-mini");
  }
}
