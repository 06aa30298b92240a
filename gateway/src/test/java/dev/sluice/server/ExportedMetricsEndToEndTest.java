package dev.sluice.server;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prometheus exposition after real traffic: the OpenTelemetry GenAI metrics with their
 * convention's names, units, attributes and bucket boundaries, and every metric the shipped Grafana
 * dashboard and Prometheus alert rules query is one Sluice really exports.
 */
class ExportedMetricsEndToEndTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private String scrape;

  @BeforeEach
  void trafficThenScrape() throws Exception {
    AtomicInteger aCalls = new AtomicInteger();
    upstream.dispatch(r -> {
      if (r.uri().startsWith("/a/") && aCalls.incrementAndGet() == 1) {
        return FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}"); // fails over to b
      }
      if (r.body().contains("\"stream\":true")) {
        return FakeResponse.openAiStream(OpenAiFixtures.helloStream());
      }
      return FakeResponse.json(200, COMPLETION);
    });
    String base = "http://127.0.0.1:" + upstream.port();
    String config = """
        server: { host: 127.0.0.1 }
        providers:
          - { name: a, type: openai-compatible, base_url: %s/a/v1 }
          - { name: b, type: openai-compatible, base_url: %s/b/v1 }
        models:
          - name: main
            routing: priority
            targets:
              - { provider: a, model: big, price: { input_per_mtok: "1", output_per_mtok: "2" } }
              - { provider: b, model: small, price: { input_per_mtok: "1", output_per_mtok: "2" } }
          - name: unpriced
            targets: [ { provider: b, model: mystery-model-without-a-price } ]
        teams: [ { name: search, budget: { usd: 10, period: monthly } } ]
        keys: [ { key: %s, name: app, team: search, budget: { usd: 5, period: daily } } ]
        """.formatted(base, base, TestGateway.KEY);
    try (TestGateway gw = TestGateway.start(config)) {
      assertThat(gw.post("/v1/chat/completions", request("main", false)).statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/chat/completions", request("main", true)).statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/chat/completions", request("unpriced", false)).statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}").statusCode())
          .isGreaterThanOrEqualTo(400);
      assertThat(gw.get("/v1/models").statusCode()).isEqualTo(200);
      scrape = gw.get("/metrics", null).body();
    }
  }

  private static String request(String model, boolean stream) {
    return "{\"model\":\"" + model + "\"," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  @Test
  void genAiClientMetricsHaveTheConventionsNamesAttributesAndBuckets() {
    assertThat(scrape).contains("# TYPE gen_ai_client_operation_duration_seconds histogram",
        "# TYPE gen_ai_client_token_usage histogram");
    assertThat(bucketBounds("gen_ai_client_operation_duration_seconds_bucket")).containsExactly("0.01", "0.02",
        "0.04", "0.08", "0.16", "0.32", "0.64", "1.28", "2.56", "5.12", "10.24", "20.48", "40.96", "81.92", "+Inf");
    assertThat(bucketBounds("gen_ai_client_token_usage_bucket")).containsExactly("1.0", "4.0", "16.0", "64.0",
        "256.0", "1024.0", "4096.0", "16384.0", "65536.0", "262144.0", "1048576.0", "4194304.0", "1.6777216E7",
        "6.7108864E7", "+Inf");
    String failed = line("gen_ai_client_operation_duration_seconds_count", "error_type=\"overloaded\"");
    assertThat(failed).contains("gen_ai_operation_name=\"chat\"", "gen_ai_provider_name=\"a\"",
        "gen_ai_request_model=\"big\"", "gen_ai_response_model=\"big\"", "error_type=\"overloaded\"");
    String input = line("gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\"", "gen_ai_request_model=\"small\"");
    assertThat(value(input)).isEqualTo(19); // COMPLETION's prompt_tokens
    assertThat(scrape).contains("gen_ai_token_type=\"output\"");
    // A success carries an empty error_type, which Prometheus reads as no label (one label set per name).
    assertThat(line("gen_ai_client_operation_duration_seconds_count", "gen_ai_request_model=\"small\""))
        .contains("error_type=\"\"");
  }

  @Test
  void genAiServerMetricsComeFromStreamedAnswers() {
    assertThat(bucketBounds("gen_ai_server_time_to_first_token_seconds_bucket")).containsExactly("0.001", "0.005",
        "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf");
    assertThat(bucketBounds("gen_ai_server_time_per_output_token_seconds_bucket")).containsExactly("0.01", "0.025",
        "0.05", "0.075", "0.1", "0.15", "0.2", "0.3", "0.4", "0.5", "0.75", "1.0", "2.5", "+Inf");
    assertThat(value(line("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_request_model=\"main\""))).isEqualTo(1);
    // helloStream reports 3 output tokens: one per-token sample, after the first token.
    assertThat(value(line("gen_ai_server_time_per_output_token_seconds_count", "gen_ai_request_model=\"main\"")))
        .isEqualTo(1);
  }

  @Test
  void costBudgetAndBreakerGaugesAreExported() {
    assertThat(value(line("sluice_cost_usd_total", "model=\"main\"", "team=\"search\""))).isGreaterThan(0);
    assertThat(line("sluice_budget_used_ratio", "scope=\"key\"", "id=\"app\"")).isNotNull();
    assertThat(line("sluice_budget_used_ratio", "scope=\"team\"", "id=\"search\"")).isNotNull();
    assertThat(value(line("sluice_breaker_state", "target=\"b/small\""))).isZero();
  }

  @Test
  void eachConfiguredTargetsAdaptiveConcurrencyLimitAndItsCutsAreExported() {
    // a's 503 (overloaded) was a drop: a cut to a share of the one attempt in flight, i.e. to the floor.
    assertThat(value(line("sluice_adaptive_concurrency_cuts_total", "target=\"a/big\"", "cause=\"dropped\"")))
        .isEqualTo(1);
    assertThat(value(line("sluice_adaptive_concurrency_cuts_total", "target=\"a/big\"", "cause=\"latency\"")))
        .isZero();
    assertThat(value(line("sluice_adaptive_concurrency_limit", "target=\"a/big\""))).isEqualTo(4);
    assertThat(value(line("sluice_adaptive_concurrency_limit", "target=\"b/small\""))).isEqualTo(20_000);
    assertThat(value(line("sluice_adaptive_concurrency_cuts_total", "target=\"b/small\"", "cause=\"dropped\"")))
        .isZero();
    assertThat(value(line("sluice_adaptive_concurrency_in_flight", "target=\"b/small\""))).isZero();
    assertThat(line("sluice_adaptive_concurrency_limit", "target=\"b/mystery-model-without-a-price\"")).isNotNull();
  }

  @Test
  void theGrafanaDashboardQueriesOnlyExportedMetrics() throws Exception {
    List<String> exprs = new ArrayList<>();
    collectExprs(new ObjectMapper().readTree(Files.readString(Path.of("../deploy/grafana/sluice.json"))), exprs);
    assertThat(exprs).hasSizeGreaterThan(15);
    assertEveryMetricIsExported(exprs);
  }

  @Test
  void thePrometheusAlertRulesQueryOnlyExportedMetrics() throws Exception {
    JsonNode rules = new YAMLMapper().readTree(Files.readString(Path.of("../deploy/prometheus/alerts.yml")));
    List<String> exprs = new ArrayList<>();
    rules.get("groups").forEach(g -> g.get("rules").forEach(r -> exprs.add(r.get("expr").asText())));
    assertThat(exprs).hasSize(11);
    assertEveryMetricIsExported(exprs);
  }

  private void assertEveryMetricIsExported(List<String> exprs) {
    Set<String> exported = new TreeSet<>();
    Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(scrape);
    while (sample.find()) {
      exported.add(sample.group(1));
    }
    Set<String> referenced = new TreeSet<>();
    for (String expr : exprs) {
      referenced.addAll(metricNames(expr));
    }
    assertThat(referenced).as("metrics the files query").isNotEmpty();
    assertThat(exported).as("metrics Sluice exports").containsAll(referenced);
  }

  /** Metric names of a PromQL expression: ours all start sluice_ or gen_ai_; label names are stripped first. */
  static Set<String> metricNames(String expr) {
    String noLabels = expr.replaceAll("\\{[^}]*}", "")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:sluice|gen_ai)_[a-zA-Z0-9_]+)").matcher(noLabels);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void collectExprs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("expr") && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        } else {
          collectExprs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectExprs(n, out));
    }
  }

  /** The distinct {@code le} bounds of one histogram's buckets, in exposition order, for its first series. */
  private List<String> bucketBounds(String bucketName) {
    List<String> out = new ArrayList<>();
    String series = null;
    Matcher m = Pattern.compile("(?m)^" + bucketName + "\\{(.*)le=\"([^\"]+)\"(.*)} ").matcher(scrape);
    while (m.find()) {
      String id = m.group(1) + m.group(3);
      if (series == null) {
        series = id;
      }
      if (id.equals(series)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  private String line(String name, String... contains) {
    return scrape.lines().filter(l -> l.startsWith(name + "{"))
        .filter(l -> java.util.Arrays.stream(contains).allMatch(l::contains)).findFirst().orElse(null);
  }

  private static double value(String line) {
    assertThat(line).as("exported sample").isNotNull();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
