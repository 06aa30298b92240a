package dev.sluice.server;

import static dev.sluice.testing.Await.await;
import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.observe.RequestSummary;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on one store (one SQLite file, reached through a symbolic link from each replica's
 * own folder so each keeps its own ledger journal): the percentiles of {@code /admin/stats} are
 * those of every request both recorded, from merged histograms.
 */
class StatsAcrossReplicasTest {
  private static final Pattern DELAY = Pattern.compile("delay:(\\d+)");

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @TempDir
  Path dir;
  private final List<Long> recordedByA = new CopyOnWriteArrayList<>();
  private final List<Long> recordedByB = new CopyOnWriteArrayList<>();
  private TestGateway a;
  private TestGateway b;

  @BeforeEach
  void start() throws Exception {
    // The fake provider answers each request after the delay its prompt names.
    upstream.dispatch(r -> {
      Matcher m = DELAY.matcher(r.body());
      return FakeResponse.json(200, OpenAiFixtures.COMPLETION).latency(m.find() ? Long.parseLong(m.group(1)) : 0);
    });
    Path dbA = Files.createDirectories(dir.resolve("a")).resolve("stats.db");
    Path dbB = Files.createDirectories(dir.resolve("b")).resolve("stats.db");
    a = TestGateway.startObserved(replica(dbA), s -> record(s, recordedByA));
    Files.createSymbolicLink(dbB, dbA);
    b = TestGateway.startObserved(replica(dbB), s -> record(s, recordedByB));
  }

  private static void record(RequestSummary s, List<Long> into) {
    if (s.endpoint().equals("chat") && "chat".equals(s.model())) {
      into.add(s.latencyNanos() / 1_000); // microseconds, as the stats histograms keep them
    }
  }

  private String replica(Path db) {
    return KeysApi.config(upstream.baseUrl(), "store: { url: \"sqlite:%s\" }".formatted(db));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      b.close();
    } finally {
      a.close();
    }
  }

  @Test
  void theP99OfTwoReplicasIsThatOfAllTheirRequestsNotAnAverageOfTheirP99s() throws Exception {
    // First requests to a fresh gateway are slow (classes load, connections open): warm both up on
    // model "other", left out of the comparison by the model=chat filter.
    for (TestGateway g : List.of(a, b)) {
      for (int i = 0; i < 5; i++) {
        assertThat(KeysApi.chat(g, TestGateway.KEY, "other").statusCode()).isEqualTo(200);
      }
    }
    long from = System.currentTimeMillis() - 60_000;
    // Replica a serves fast requests (20-79 ms upstream), replica b slow ones (400-990 ms).
    List<Long> fastDelays = new ArrayList<>();
    List<Long> slowDelays = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      fastDelays.add(20L + i);
      slowDelays.add(400L + 10 * i);
    }
    send(a, fastDelays);
    send(b, slowDelays);
    // Each request is recorded as it ends, on its event loop, maybe just after the client has its answer.
    awaitCondition(() -> recordedByA.size() == 60 && recordedByB.size() == 60);
    await(a.gateway().stats().flush());
    await(b.gateway().stats().flush());

    long to = System.currentTimeMillis() + 60_000;
    HttpResponse<String> res = admin(a, "GET", "/admin/stats?metric=latency&model=chat&step=1d&from=" + from + "&to=" + to, null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode series = json(res).path("series");
    assertThat(series).hasSize(1);
    JsonNode points = series.get(0).path("points");
    assertThat(points).hasSize(1);
    JsonNode p = points.get(0);
    assertThat(p.path("count").asLong()).isEqualTo(120);

    List<Long> all = new ArrayList<>(recordedByA);
    all.addAll(recordedByB);
    double exactP99 = percentileMillis(all, 99);
    double reported = p.path("p99").asDouble();
    assertThat(reported).isCloseTo(exactP99, within(exactP99 * 0.01));
    assertThat(p.path("p50").asDouble()).isCloseTo(percentileMillis(all, 50), within(percentileMillis(all, 50) * 0.01));
    assertThat(p.path("max").asDouble()).isCloseTo(percentileMillis(all, 100), within(percentileMillis(all, 100) * 0.01));

    double averageOfP99s = (percentileMillis(recordedByA, 99) + percentileMillis(recordedByB, 99)) / 2;
    assertThat(Math.abs(averageOfP99s - exactP99)).as("the average of the replicas' p99s (%.1f ms) is another number "
        + "than the p99 of all (%.1f ms)", averageOfP99s, exactP99)
        .isGreaterThan(exactP99 * 0.2);
    assertThat(Math.abs(reported - averageOfP99s)).isGreaterThan(exactP99 * 0.2);

    // Either replica answers the same: the rows of both are in the one store.
    JsonNode fromB = json(admin(b, "GET", "/admin/stats?metric=latency&model=chat&step=1d&from=" + from + "&to=" + to, null));
    assertThat(fromB.path("series").get(0).path("points").get(0).path("p99").asDouble()).isEqualTo(reported);
  }

  /** Nearest rank: the smallest recorded value with at least {@code pct}% of values at or below it, in ms. */
  private static double percentileMillis(List<Long> micros, double pct) {
    List<Long> sorted = new ArrayList<>(micros);
    sorted.sort(null);
    int rank = (int) Math.ceil(pct / 100 * sorted.size());
    return sorted.get(Math.max(1, rank) - 1) / 1000.0;
  }

  /** Sends one chat request per delay, ten at a time. */
  private static void send(TestGateway g, List<Long> delays) throws Exception {
    Semaphore inFlight = new Semaphore(10);
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (long delay : delays) {
      inFlight.acquire();
      HttpRequest req = HttpRequest.newBuilder(URI.create(g.url("/v1/chat/completions")))
          .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + TestGateway.KEY)
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"delay:" + delay + "\"}]}"))
          .build();
      answers.add(g.http().sendAsync(req, HttpResponse.BodyHandlers.ofString())
          .whenComplete((r, e) -> inFlight.release()));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(200);
    }
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
