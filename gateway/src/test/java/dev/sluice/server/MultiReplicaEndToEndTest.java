package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import dev.sluice.server.ReplicaLoad.Sent;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Store;
import dev.sluice.testing.Await;
import dev.sluice.testing.EmbeddedPostgresServer;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.RecordedRequest;
import dev.sluice.testing.RedisTestServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Three gateway processes (separate JVMs) on one real PostgreSQL store and one real redis-server,
 * in front of one fake upstream — the deployment "Running several replicas" in the README
 * describes, with the settings it lists. Mixed traffic (whole and streamed, four keys, two models,
 * upstream errors and retries) goes through all three while one is killed with SIGKILL and
 * restarted on the same port and working directory (its ledger journal). Then: the ledger against
 * the attempts the upstream saw, the shared rpm limit, the shared hard budget, and a key revoked on
 * one replica refused by all three. Each replica's output is in {@code target/multi-replica/}; a
 * failing test prints the end of every log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiReplicaEndToEndTest {
  private static final String MASTER = "sk-master-replicas-0123456789";
  private static final String GENERAL_A = "sk-replicas-general-a-0001";
  private static final String GENERAL_B = "sk-replicas-general-b-0002";
  private static final String LIMITED = "sk-replicas-limited-0003";
  private static final String CAPPED = "sk-replicas-capped-0004";
  private static final int RPM = 20;
  /** Output price 100 USD per million tokens, 10 tokens an answer: 1,000 micro-USD a request. */
  private static final long COST_MICROS = 1_000;
  private static final long BUDGET_MICROS = 20_000;
  /**
   * Rows of the killed process that may be lost: those of answers sent in the last flush interval
   * (100 ms) before the kill and a batch not yet committed — longer while the writer lags on a
   * loaded machine, so answers of the last 5 s before the kill are allowed to lack their rows.
   */
  private static final Duration UNFLUSHED = Duration.ofSeconds(5);
  /** General answers each replica gives before the kill, and the restarted one after. */
  private static final int ANSWERS = 15;
  private static final Duration READY = Duration.ofSeconds(180);
  private static final Path LOGS = Path.of("target", "multi-replica");

  private final FakeUpstream upstream = new FakeUpstream();
  /** Per request id: the attempts the fake upstream received, and how many it answered 200. */
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();
  private final List<GatewayProcess> replicas = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private EmbeddedPostgresServer pg;
  private RedisTestServer redis;
  private String storeUrl;

  @RegisterExtension
  final TestWatcher printLogsOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      replicas.forEach(r -> System.out.println(r.tail(60)));
    }
  };

  @BeforeAll
  void startCluster() throws Exception {
    upstream.start();
    upstream.dispatch(this::answer);
    pg = EmbeddedPostgresServer.start();
    redis = RedisTestServer.startOnFreePort();
    storeUrl = pg.newDatabaseUrl();
    deleteRecursively(LOGS); // a journal left by an earlier run must not replay into this run's database
    Path run = Files.createDirectories(LOGS).toAbsolutePath();
    Path config = run.resolve("sluice.yaml");
    Files.writeString(config, config());
    for (int i = 0; i < 3; i++) {
      replicas.add(new GatewayProcess("replica-" + i, config, run.resolve("replica-" + i), run));
    }
    for (GatewayProcess r : replicas) {
      r.start(); // all three at once: their migrations of the one database race, as on a rollout
    }
    for (GatewayProcess r : replicas) {
      r.awaitReady(READY);
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (GatewayProcess r : replicas) {
      r.close();
    }
    upstream.stop();
    if (redis != null) {
      redis.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** The config every replica runs: one file, so the master key and every setting are the same. */
  private String config() {
    return """
        server: { host: 127.0.0.1, master_key: %s, shutdown_grace: 5s }
        store: { url: "%s" }
        redis: { url: "%s", on_failure: fail-closed, expected_replicas: 3 }
        admission: { max_wait: 50ms }
        providers:
          - { name: up, type: openai-compatible, base_url: "%s", api_key: sk-provider-secret-0123456789 }
        models:
          - name: chat
            targets: [ { provider: up, model: m-chat, price: { input_per_mtok: "0", output_per_mtok: "100" } } ]
          - name: other
            targets:
              - { provider: up, model: m-one, price: { input_per_mtok: "0", output_per_mtok: "100" } }
              - { provider: up, model: m-two, price: { input_per_mtok: "0", output_per_mtok: "100" } }
        keys:
          - { key: %s, name: general-a }
          - { key: %s, name: general-b }
          - { key: %s, name: limited, limits: { rpm: %d } }
          - { key: %s, name: capped, budget: { usd: "%s", period: total, mode: hard } }
        """.formatted(MASTER, storeUrl, redis.uri(), upstream.baseUrl(), GENERAL_A, GENERAL_B, LIMITED, RPM, CAPPED,
        java.math.BigDecimal.valueOf(BUDGET_MICROS, 6).toPlainString());
  }

  @Test
  void threeReplicasKeepLedgerLimitsBudgetsAndRevocationsThroughAKilledReplica() throws Exception {
    long began = System.nanoTime();
    ReplicaLoad load = new ReplicaLoad(replicas);
    for (int r = 0; r < 3; r++) {
      load.client("g", r, List.of(GENERAL_A, GENERAL_B), MultiReplicaEndToEndTest::general, Duration.ZERO,
          Integer.MAX_VALUE);
      load.client("rpm", r, List.of(LIMITED), (n, rid) -> whole("chat", rid), Duration.ofMillis(200),
          Integer.MAX_VALUE);
      load.client("bud", r, List.of(CAPPED), (n, rid) -> whole("chat", rid), Duration.ofMillis(50), 5);
    }

    // Kill replica 0 mid-load, once answers (and so ledger rows) flow through every replica.
    Await.until("answers through all three before the kill", () -> load.answered("g", 0, 1, 200) >= ANSWERS
        && load.answered("g", 1, 0, 200) >= ANSWERS && load.answered("g", 2, 0, 200) >= ANSWERS,
        Duration.ofSeconds(120));
    GatewayProcess victim = replicas.get(0);
    load.markDown(0);
    long killedAt = System.nanoTime();
    phase("kill", began);
    victim.kill();

    victim.start(); // same port, same working directory: replays the journal it left, if any
    victim.awaitReady(READY);
    long restartedAt = System.nanoTime();
    load.markUp(0);
    phase("restarted replica ready", began);
    Await.until("answers from the restarted replica", () -> load.answered("g", 0, 2, 200) >= ANSWERS,
        Duration.ofSeconds(120));

    phase("restarted replica answering", began);
    Revocation revocation = revokeUnderLoad();
    phase("revocation probed", began);
    load.stop();
    for (GatewayProcess r : replicas) {
      r.stop(Duration.ofSeconds(60)); // SIGTERM: drains and flushes every ledger row
    }
    phase("stopped", began);
    List<LedgerRow> rows = ledger();
    List<Sent> sent = load.sent();
    System.out.printf("multi-replica: %d requests, %d upstream attempts, %d ledger rows, %.1f s%n", sent.size(),
        attempts.values().stream().mapToInt(AtomicInteger::get).sum(), rows.size(),
        (System.nanoTime() - began) / 1e9);

    System.out.println("multi-replica: statuses by kind " + sent.stream().collect(Collectors.groupingBy(
        s -> s.kind() + ":" + s.status(), java.util.TreeMap::new, Collectors.counting())));

    SoftAssertions soft = new SoftAssertions();
    checkLedger(soft, sent, rows, killedAt, restartedAt);
    checkRpm(soft, sent);
    checkBudget(soft, sent, rows);
    revocation.check(soft);
    soft.assertAll();
  }

  private static void phase(String what, long since) {
    System.out.printf("multi-replica: %s at %.1f s%n", what, (System.nanoTime() - since) / 1e9);
  }

  /**
   * Exactly once, precisely: every ledger row belongs to a request a client sent, and no request
   * has more rows than the upstream saw attempts of it. Every request answered by a process that
   * was not killed afterwards — the replicas never killed, the restarted one — has exactly one
   * row per attempt the upstream saw. Of the killed process's requests, those answered at least
   * {@link #UNFLUSHED} before the kill have exactly one row per attempt too; the rest (answered
   * just before the kill, or in flight when it died, whose clients got no answer) may lack rows
   * — the README's "what a crash can lose" — but never have one too many.
   */
  private void checkLedger(SoftAssertions soft, List<Sent> sent, List<LedgerRow> rows, long killedAt,
      long restartedAt) {
    soft.assertThat(rows.stream().map(LedgerRow::id).distinct().count()).as("row ids are unique")
        .isEqualTo(rows.size());
    // The revocation probes (key 'roaming') are checked by their statuses, not here.
    Map<String, Long> rowsPerRequest = rows.stream().filter(r -> !r.keyName().equals("roaming")).collect(Collectors.groupingBy(LedgerRow::requestId,
        Collectors.counting()));
    Map<String, Sent> byRid = sent.stream().collect(Collectors.toMap(Sent::rid, s -> s));
    soft.assertThat(rowsPerRequest.keySet().stream().filter(id -> !byRid.containsKey(id)).toList())
        .as("rows of requests no client sent").isEmpty();
    List<String> wrong = new ArrayList<>();
    int lenient = 0;
    int lost = 0;
    for (Sent s : sent) {
      long seen = attempts.getOrDefault(s.rid(), new AtomicInteger()).get();
      long recorded = rowsPerRequest.getOrDefault(s.rid(), 0L);
      boolean killedUnderIt = touchedByTheKill(s, killedAt, restartedAt);
      if (killedUnderIt) {
        lenient++;
        lost += (int) (seen - recorded);
        if (recorded > seen) {
          wrong.add(s + ": " + recorded + " rows for " + seen + " attempts");
        }
      } else if (recorded != seen) {
        wrong.add(s + ": " + recorded + " rows for " + seen + " attempts");
      }
      if (s.answered() && s.status() == 200 && seen == 0) {
        wrong.add(s + ": answered 200 without an upstream attempt");
      }
    }
    System.out.printf("multi-replica: %d requests the kill could touch, %d of their attempts without a row%n",
        lenient, lost);
    soft.assertThat(wrong).as("requests whose rows do not match their attempts").isEmpty();
    soft.assertThat(sent.stream().filter(s -> !s.answered() && !touchedByTheKill(s, killedAt, restartedAt)).toList())
        .as("requests to processes that were not killed all got an answer").isEmpty();
    soft.assertThat(sent.stream().filter(s -> s.kind().equals("g") && s.status() == 400))
        .as("the upstream's 400s reach the clients").isNotEmpty();
  }

  /**
   * A request to replica 0 sent before its restarted process was seen ready (so the killed process
   * had it, or nobody did: refused while down) that got no answer, or whose answer came less than
   * {@link #UNFLUSHED} before the kill.
   */
  private static boolean touchedByTheKill(Sent s, long killedAt, long restartedAt) {
    return s.replica() == 0 && s.sentNanos() < restartedAt
        && (!s.answered() || s.answeredNanos() > killedAt - UNFLUSHED.toNanos());
  }

  /**
   * The README: rpm is a token bucket shared through Redis; over an interval t at most
   * {@code limit × (1 + t / 1 min)} requests get through, whichever replicas they reach. Counted
   * at the upstream (each admitted request reaches it at least once); t from the first request
   * sent with the key to the last answer.
   */
  private void checkRpm(SoftAssertions soft, List<Sent> sent) {
    List<Sent> limited = sent.stream().filter(s -> s.kind().equals("rpm")).toList();
    long first = limited.stream().mapToLong(Sent::sentNanos).min().orElseThrow();
    long last = limited.stream().mapToLong(s -> s.answered() ? s.answeredNanos() : s.sentNanos()).max().orElseThrow();
    double minutes = (last - first) / 60e9;
    long admitted = limited.stream().filter(s -> attempts.containsKey(s.rid())).count();
    long bound = (long) Math.floor(RPM * (1 + minutes));
    System.out.printf("multi-replica: rpm %d over %.1f s: %d admitted (bound %d), %d refused%n", RPM, minutes * 60,
        admitted, bound, limited.stream().filter(s -> s.status() == 429).count());
    soft.assertThat(admitted).as("requests of the rpm-%d key admitted by three replicas over %.1f s", RPM, minutes * 60)
        .isLessThanOrEqualTo(bound)
        .isGreaterThanOrEqualTo(RPM - limited.stream().filter(s -> !s.answered()).count());
    soft.assertThat(limited.stream().filter(s -> s.status() == 429 && s.body().contains("rate_limit_exceeded")))
        .as("over the limit: 429 rate_limit_exceeded").isNotEmpty();
    for (int r = 0; r < 3; r++) {
      int replica = r;
      soft.assertThat(limited.stream().filter(s -> s.replica() == replica && s.status() == 429))
          .as("replica %d refuses the key too", r).isNotEmpty();
    }
  }

  /**
   * The README: with Redis a hard budget is cluster-wide — one script checks spent + held + worst
   * case — so the replicas together never spend past it (tolerance zero when the worst case bounds
   * the answer, as here: {@code max_tokens} 10, answers of 10 output tokens). Spend counted at the
   * upstream (answers it gave) and in the ledger.
   */
  private void checkBudget(SoftAssertions soft, List<Sent> sent, List<LedgerRow> rows) {
    List<Sent> capped = sent.stream().filter(s -> s.kind().equals("bud")).toList();
    long paid = capped.stream().mapToLong(s -> succeeded.getOrDefault(s.rid(), new AtomicInteger()).get()).sum()
        * COST_MICROS;
    long ledgered = rows.stream().filter(r -> r.keyName().equals("capped")).mapToLong(LedgerRow::costMicros).sum();
    System.out.printf("multi-replica: budget %d µUSD: %d paid upstream, %d in the ledger%n", BUDGET_MICROS, paid,
        ledgered);
    soft.assertThat(paid).as("spend of the hard-budget key across three replicas").isLessThanOrEqualTo(BUDGET_MICROS)
        .isPositive();
    soft.assertThat(ledgered).as("the ledger's spend of it").isLessThanOrEqualTo(BUDGET_MICROS);
    for (int r = 0; r < 3; r++) {
      int replica = r;
      soft.assertThat(capped.stream().filter(s -> s.replica() == replica && s.status() == 429
          && s.body().contains("budget_exceeded"))).as("replica %d refuses with budget_exceeded", r).isNotEmpty();
    }
  }

  /** One probe of the revoked key: when it was sent (ns after the revocation's answer) and what came back. */
  private record Probe(int replica, long sentAfterNanos, int status, String body) {}

  /** What {@link #revokeUnderLoad} saw: the key's statuses before, and every probe after. */
  private record Revocation(List<Integer> statusesBefore, List<Probe> probes) {
    /**
     * Every request sent to any replica one second or more after the revocation's answer is
     * refused with 401 key_revoked (requests sent earlier may still pass), and each replica got such
     * requests. Judged by when a request was sent, so a slow answer on a loaded machine cannot make
     * a replica look late, nor hide one that is.
     */
    void check(SoftAssertions soft) {
      soft.assertThat(statusesBefore).as("the key works on every replica before").containsOnly(200);
      long second = TimeUnit.SECONDS.toNanos(1);
      soft.assertThat(probes.stream().filter(p -> p.sentAfterNanos() >= second
          && !(p.status() == 401 && p.body().contains("key_revoked"))).toList())
          .as("requests sent 1 s or more after the revocation that were not refused").isEmpty();
      for (int r = 0; r < 3; r++) {
        int replica = r;
        soft.assertThat(probes.stream().filter(p -> p.replica() == replica && p.sentAfterNanos() >= second))
            .as("probes of replica %d after 1 s", r).isNotEmpty();
      }
    }
  }

  /**
   * Creates a stored key on replica 1, uses it on all three (each caches it), revokes it through
   * replica 2 while the load goes on, and probes each replica with it, one thread per replica,
   * until each has answered a request sent at least 1 s after the revocation.
   */
  private Revocation revokeUnderLoad() throws Exception {
    HttpResponse<String> created = call(replicas.get(1), "POST", "/admin/keys", MASTER, "{\"name\":\"roaming\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode key = Json.MAPPER.readTree(created.body());
    String plain = key.path("key").asText();
    List<Integer> before = new ArrayList<>();
    for (GatewayProcess r : replicas) {
      before.add(chat(r, plain).statusCode());
      before.add(chat(r, plain).statusCode());
    }
    HttpResponse<String> revoked = call(replicas.get(2), "DELETE", "/admin/keys/" + key.path("id").asText(), MASTER,
        null);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    long at = System.nanoTime();
    java.util.Queue<Probe> probes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      int replica = i;
      Thread t = new Thread(() -> {
        try {
          long sent;
          do {
            sent = System.nanoTime() - at;
            HttpResponse<String> r = chat(replicas.get(replica), plain);
            probes.add(new Probe(replica, sent, r.statusCode(), r.body()));
          } while (sent < TimeUnit.SECONDS.toNanos(1));
        } catch (Exception e) {
          probes.add(new Probe(replica, Long.MAX_VALUE, 0, e.toString()));
        } finally {
          done.incrementAndGet();
        }
      }, "revocation-probe-" + i);
      t.setDaemon(true);
      t.start();
    }
    Await.until("each replica answered a probe sent 1 s after the revocation", () -> done.get() == 3,
        Duration.ofSeconds(60));
    List<Probe> all = List.copyOf(probes);
    for (int r = 0; r < 3; r++) {
      int replica = r;
      System.out.println("multi-replica: replica " + r + " refused the revoked key from the probe sent at "
          + all.stream().filter(p -> p.replica() == replica && p.status() == 401).mapToLong(Probe::sentAfterNanos)
          .min().stream().mapToObj(ns -> TimeUnit.NANOSECONDS.toMillis(ns) + " ms").findFirst().orElse("never"));
    }
    return new Revocation(before, all);
  }

  private List<LedgerRow> ledger() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Store store = Await.await(Store.open(vertx, storeUrl), Duration.ofSeconds(60));
      try {
        return Await.await(store.ledger().rowsSince(Instant.EPOCH), Duration.ofSeconds(60));
      } finally {
        Await.await(store.close(), Duration.ofSeconds(30));
      }
    } finally {
      Await.await(vertx.close());
    }
  }

  private HttpResponse<String> chat(GatewayProcess g, String key) throws Exception {
    return call(g, "POST", "/v1/chat/completions", key, whole("chat", "revocation-probe"));
  }

  private HttpResponse<String> call(GatewayProcess g, String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.url(path))).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** General traffic: both models, every third request streamed. */
  private static String general(int n, String rid) {
    String model = n % 2 == 0 ? "chat" : "other";
    return n % 3 == 0 ? streamed(model, rid) : whole(model, rid);
  }

  private static String whole(String model, String rid) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"rid=" + rid
        + "\"}]}";
  }

  private static String streamed(String model, String rid) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"rid=" + rid + "\"}]}";
  }

  /**
   * The fake provider. Per general request number n: n % 7 == 3 fails its first attempt with a 500
   * (the gateway retries), n % 11 == 5 is a 400 (passed on, never retried); the rest succeed with
   * 5 prompt and 10 completion tokens, whole or streamed as asked, after a short latency.
   */
  private FakeResponse answer(RecordedRequest req) {
    JsonNode body = req.json();
    String content = body.path("messages").path(0).path("content").asText();
    String rid = content.startsWith("rid=") ? content.substring(4) : "unknown";
    int attempt = attempts.computeIfAbsent(rid, k -> new AtomicInteger()).incrementAndGet();
    int n = rid.startsWith("g-") ? Integer.parseInt(rid.substring(2)) : 0;
    if (n % 11 == 5) {
      return FakeResponse.json(400, "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}");
    }
    if (n % 7 == 3 && attempt == 1) {
      return FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}").latency(10);
    }
    succeeded.computeIfAbsent(rid, k -> new AtomicInteger()).incrementAndGet();
    String model = body.path("model").asText();
    if (body.path("stream").asBoolean()) {
      String head = "{\"id\":\"c-" + rid + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
          + "\",";
      return FakeResponse.openAiStream(List.of(
          head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}",
          head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}",
          head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
          head + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":10,\"total_tokens\":15}}"))
          .eventInterval(5);
    }
    return FakeResponse.json(200, "{\"id\":\"c-" + rid + "\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":10,\"total_tokens\":15}}")
        .latency(15);
  }
}
