package dev.sluice.admin;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.billing.Pricing;
import dev.sluice.billing.PromptCacheSavings;
import dev.sluice.billing.RoutingSavings;
import dev.sluice.billing.SpendReports;
import dev.sluice.cli.Main;
import dev.sluice.config.ConfigLoader;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.cost.CostCalculator;
import dev.sluice.cost.ModelPrice;
import dev.sluice.cost.PriceCatalog;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The cost tools over HTTP: the estimate and the replay give the numbers {@code sluice cost estimate}
 * and {@code sluice cost replay} print for the same inputs, the replay sums the ledger's recorded
 * attempts, the savings are measured from the recorded rows, and bad input is a 400 in the admin's
 * error shape naming the field.
 */
class CostAdminEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String REQUEST = "{\"model\":\"main\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /**
   * {@code main}: first target a/big (10 / 20 µUSD per input / output token, cached reads 1), then
   * b/small (1 / 2, cached reads at the input price). Every answer has 19 prompt tokens (4 cached)
   * and 10 output tokens.
   */
  private String config() {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: main
            routing: priority
            targets:
              - { provider: a, model: big, price: { input_per_mtok: "10", output_per_mtok: "20", cached_input_per_mtok: "1" } }
              - { provider: b, model: small, price: { input_per_mtok: "1", output_per_mtok: "2" } }
        keys: [ { key: %s, name: app } ]
        """.formatted(KeysApi.MASTER, base, base, TestGateway.KEY);
  }

  private record Cli(int code, String out, String err) {}

  private static synchronized Cli cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute(args);
      return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** The dollar figure on the CLI line that starts with {@code label}. */
  private static BigDecimal figure(String text, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+\\+?(-?)\\$([0-9.]+)").matcher(text);
    assertThat(m.find()).as(label + " in:\n" + text).isTrue();
    return new BigDecimal(m.group(1) + m.group(2));
  }

  private static List<LedgerRow> flushed(TestGateway gw) throws Exception {
    gw.gateway().ledger().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return gw.gateway().store().ledger().rowsSince(Instant.EPOCH).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void estimateGivesTheCliFiguresAndItsAssumptions() throws Exception {
    try (TestGateway gw = TestGateway.start(config())) {
      HttpResponse<String> res = admin(gw, "POST", "/admin/cost/estimate", """
          {"model":"gpt-4o-mini","requests_per_second":0.5,"input_tokens":1200,"output_tokens":300,"retry_rate":0.05}""");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode api = json(res);
      Cli cli = cli("cost", "estimate", "--model", "gpt-4o-mini", "--rps", "0.5", "--input-tokens", "1200",
          "--output-tokens", "300", "--retry-rate", "0.05");
      assertThat(cli.code()).as(cli.err()).isZero();
      assertThat(new BigDecimal(api.path("per_request_usd").asText())).isEqualByComparingTo(figure(cli.out(), "Per request"));
      assertThat(new BigDecimal(api.path("per_day_usd").asText())).isEqualByComparingTo(figure(cli.out(), "Per day"));
      assertThat(new BigDecimal(api.path("per_month_usd").asText())).isEqualByComparingTo(figure(cli.out(), "Per month"));
      // 1200 × $0.15 + 300 × $0.60 per million = $0.00036 a request; × 0.5 × 86,400 × 1.05 × 30
      assertThat(api.path("per_request_usd").asText()).isEqualTo("0.000360");
      assertThat(api.path("per_month_usd").asText()).isEqualTo("489.888000");
      JsonNode a = api.path("assumptions");
      assertThat(a.path("requests_per_second").asText()).isEqualTo("0.5");
      assertThat(a.path("retry_rate").asText()).isEqualTo("0.05");
      assertThat(a.path("days_per_month").asInt()).isEqualTo(30);
      assertThat(a.path("notes").size()).isPositive();
      assertThat(api.path("catalog_version").asText()).isEqualTo(PriceCatalog.bundled().version());
    }
  }

  @Test
  void badEstimateInputIsA400NamingTheField() throws Exception {
    try (TestGateway gw = TestGateway.start(config())) {
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"no-such-model-x\",\"requests_per_second\":1,\"input_tokens\":1,\"output_tokens\":1}"), "model",
          "no price for model 'no-such-model-x'");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":-1,\"input_tokens\":1,\"output_tokens\":1}"),
          "requests_per_second", "number ≥ 0");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":\"fast\",\"input_tokens\":1,\"output_tokens\":1}"),
          "requests_per_second", "number ≥ 0");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":1,\"input_tokens\":1.5,\"output_tokens\":1}"),
          "input_tokens", "whole number");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":1,\"input_tokens\":1}"), "output_tokens", "required");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"requests_per_second\":1e30,\"input_tokens\":100000,\"output_tokens\":1}"),
          "requests_per_second", "more than");
      assertInvalid(admin(gw, "POST", "/admin/cost/estimate",
          "{\"model\":\"gpt-4o-mini\",\"rps\":1,\"input_tokens\":1,\"output_tokens\":1}"), "rps", "rps");
      assertInvalid(admin(gw, "POST", "/admin/cost/replay", "{\"model\":\"gpt-4o\",\"from\":\"last week\"}"), "from",
          "must be a date");
      assertInvalid(admin(gw, "POST", "/admin/cost/replay", "{\"model\":\"nope-nope\"}"), "model", "no price");
      assertInvalid(admin(gw, "POST", "/admin/cost/replay",
          "{\"model\":\"gpt-4o\",\"from\":\"2026-02-02\",\"to\":\"2026-02-01\"}"), "to", "before");
      assertInvalid(admin(gw, "GET", "/admin/cost/savings?since=2026-01-01", null), "since", "Unknown parameter");
    }
  }

  private static void assertInvalid(HttpResponse<String> res, String param, String says) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    JsonNode error = json(res).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo(param);
    assertThat(error.path("message").asText()).contains(says);
  }

  @Test
  void replaySumsTheRecordedAttemptsAsTheCliDoes() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      for (int i = 0; i < 3; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
      }
      List<LedgerRow> rows = flushed(gw);
      assertThat(rows).hasSize(3);
      String today = LocalDate.now(ZoneOffset.UTC).toString();

      HttpResponse<String> res = admin(gw, "POST", "/admin/cost/replay", "{\"model\":\"gpt-4o\",\"from\":\"" + today
          + "\"}");
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode api = json(res);
      ModelPrice gpt4o = PriceCatalog.bundled().find(null, "gpt-4o").orElseThrow();
      long one = CostCalculator.cost(gpt4o, new TokenUsage(19, 10, 4, 0, 2)).total().value();
      assertThat(api.path("requests").asLong()).isEqualTo(3);
      assertThat(api.path("attempts").asLong()).isEqualTo(3);
      assertThat(api.path("replayed_cost_usd").asText()).isEqualTo(BigDecimal.valueOf(3 * one, 6).toPlainString());
      // a/big: 15 × 10 + 4 × 1 + 10 × 20 = 354 µUSD an answer
      assertThat(api.path("recorded_cost_usd").asText()).isEqualTo("0.001062");
      assertThat(api.path("by_target").get(0).path("target").asText()).isEqualTo("a/big");

      Cli cli = cli("cost", "replay", "--since", today, "--as", "gpt-4o", "--store", gw.gateway().config().storeUrl());
      assertThat(cli.code()).as(cli.err()).isZero();
      assertThat(new BigDecimal(api.path("recorded_cost_usd").asText()))
          .isEqualByComparingTo(figure(cli.out(), "Recorded cost"));
      assertThat(new BigDecimal(api.path("replayed_cost_usd").asText()))
          .isEqualByComparingTo(figure(cli.out(), "As gpt-4o"));
      assertThat(new BigDecimal(api.path("difference_usd").asText()))
          .isEqualByComparingTo(figure(cli.out(), "Difference"));

      // A window that ends before the traffic replays nothing.
      JsonNode before = json(admin(gw, "POST", "/admin/cost/replay",
          "{\"model\":\"gpt-4o\",\"from\":\"2020-01-01\",\"to\":\"2020-01-02\"}"));
      assertThat(before.path("attempts").asLong()).isZero();
      assertThat(before.path("replayed_cost_usd").asText()).isEqualTo("0.000000");
      assertThat(before.path("difference_percent").isNull()).isTrue();
    }
  }

  @Test
  void savingsAreMeasuredFromRecordedFailoversAndCachedTokens() throws Exception {
    AtomicBoolean aDown = new AtomicBoolean(true);
    upstream.dispatch(r -> r.uri().startsWith("/a/") && aDown.get()
        ? FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}") : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> res = gw.post("/v1/chat/completions", REQUEST);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      }
      aDown.set(false);
      assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
      flushed(gw);

      HttpResponse<String> res = admin(gw, "GET", "/admin/cost/savings", null);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode s = json(res);
      JsonNode routing = s.path("routing");
      assertThat(routing.path("answered_requests").asLong()).isEqualTo(3);
      assertThat(routing.path("rerouted_requests").asLong()).isEqualTo(2);
      assertThat(routing.path("unpriced_requests").asLong()).isZero();
      // Each rerouted answer: 354 µUSD on a/big (its first target) vs 15 + 4 + 20 = 39 recorded on b/small
      // (the failed attempts on a/big had no usage and cost nothing).
      assertThat(routing.path("at_first_target_usd").asText()).isEqualTo("0.000708");
      assertThat(routing.path("recorded_cost_usd").asText()).isEqualTo("0.000078");
      assertThat(routing.path("saved_usd").asText()).isEqualTo("0.000630");
      assertThat(routing.path("by_model").get(0).path("first_target").asText()).isEqualTo("a/big");
      // The cached reads saved only on a/big, the one price with a cached rate: (19 - 15) × (10 - 1).
      JsonNode prompt = s.path("prompt_cache");
      assertThat(prompt.path("cached_read_tokens").asLong()).isEqualTo(12);
      assertThat(prompt.path("saved_usd").asText()).isEqualTo("0.000036");
      assertThat(s.path("response_cache").path("measured").asBoolean()).isFalse();
      assertThat(s.path("response_cache").path("reason").asText()).contains("no response cache");
    }
  }

  @Test
  void savingsFromTheRollupMatchWhatTheLedgerRowsSayAtTheSamePrices() throws Exception {
    AtomicBoolean aDown = new AtomicBoolean(true);
    upstream.dispatch(r -> r.uri().startsWith("/a/") && aDown.get()
        ? FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}") : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.start(config())) {
      for (int i = 0; i < 3; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200); // fail over to b/small
      }
      assertThat(gw.post("/v1/chat/completions", REQUEST.replace("\"main\"", "\"b/small\"")).statusCode())
          .as("a direct request").isEqualTo(200);
      aDown.set(false);
      for (int i = 0; i < 2; i++) {
        assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200); // a/big answers
      }
      // A request's rows are recorded as it finishes, which may be just after its answer was sent.
      List<LedgerRow> rows = flushed(gw);
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); answers(rows) < 6; rows = flushed(gw)) {
        assertThat(System.nanoTime()).as("6 answers recorded in time, got " + answers(rows)).isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(rows).filteredOn(r -> r.route() != null).hasSize(6);

      // The definition over the rows themselves, at the config's prices and first targets (unchanged here).
      Pricing pricing = Pricing.from(new ConfigLoader(name -> null).parse(config(), "test"), PriceCatalog.bundled());
      BiFunction<Target, TokenUsage, OptionalLong> cost = (t, u) -> {
        Cost c = pricing.cost(t, u);
        return c.priceKnown() ? OptionalLong.of(c.total().value()) : OptionalLong.empty();
      };
      Function<String, List<Target>> targets = m -> m.equals("main")
          ? List.of(new Target("a", "big", 1), new Target("b", "small", 1)) : List.of();
      RoutingSavings r = RoutingSavings.of(rows, targets, cost);
      PromptCacheSavings p = PromptCacheSavings.of(rows, cost);
      assertThat(r.answered()).isEqualTo(6);
      assertThat(r.rerouted()).isEqualTo(3);
      assertThat(p.attempts()).isEqualTo(6);

      Instant first = rows.stream().map(LedgerRow::ts).min(Instant::compareTo).orElseThrow();
      Instant last = rows.stream().map(LedgerRow::ts).max(Instant::compareTo).orElseThrow();
      // This month (whole hours from the rollup), and exactly the traffic's span (the rows of partial hours).
      for (String query : List.of("", "?from=" + first + "&to=" + last.plusMillis(1))) {
        JsonNode s = json(admin(gw, "GET", "/admin/cost/savings" + query, null));
        JsonNode routing = s.path("routing");
        assertThat(routing.path("answered_requests").asLong()).as(query).isEqualTo(r.answered());
        assertThat(routing.path("rerouted_requests").asLong()).isEqualTo(r.rerouted());
        assertThat(routing.path("fallback_requests").asLong()).isEqualTo(r.fallbacks());
        assertThat(routing.path("unpriced_requests").asLong()).isEqualTo(r.unpriced());
        assertThat(routing.path("recorded_cost_usd").asText()).isEqualTo(SpendReports.usd(r.recordedMicros()));
        assertThat(routing.path("at_first_target_usd").asText()).isEqualTo(SpendReports.usd(r.atFirstTargetMicros()));
        assertThat(routing.path("saved_usd").asText()).isEqualTo(SpendReports.usd(r.savedMicros()));
        assertThat(routing.path("by_model")).hasSize(1);
        assertThat(routing.path("by_model").get(0).path("first_target").asText()).isEqualTo("a/big");
        JsonNode prompt = s.path("prompt_cache");
        assertThat(prompt.path("attempts").asLong()).isEqualTo(p.attempts());
        assertThat(prompt.path("cached_read_tokens").asLong()).isEqualTo(p.cachedReadTokens());
        assertThat(prompt.path("without_cache_usd").asText()).isEqualTo(SpendReports.usd(p.withoutCacheMicros()));
        assertThat(prompt.path("with_cache_usd").asText()).isEqualTo(SpendReports.usd(p.withCacheMicros()));
        assertThat(prompt.path("saved_usd").asText()).isEqualTo(SpendReports.usd(p.savedMicros()));
      }
      JsonNode before = json(admin(gw, "GET", "/admin/cost/savings?from=2020-01-01&to=2020-01-02", null));
      assertThat(before.path("routing").path("answered_requests").asLong()).isZero();
      assertThat(before.path("prompt_cache").path("saved_usd").asText()).isEqualTo("0.000000");
    }
  }

  private static long answers(List<LedgerRow> rows) {
    return rows.stream().filter(r -> r.route() != null).count();
  }
}
