package dev.sluice.console;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Cost page in Chromium: an admin sees the spend the stats API ({@code /admin/stats?metric=cost})
 * reports, which is the ledger's ({@code /admin/spend}), the spend-per-day chart, the savings and the estimate and replay forms giving the API's figures; a client key sees
 * its own spend only, without the forms.
 */
class CostBrowserTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private static final String OTHER_KEY = "sk-test-other-key-456";
  private static final String REQUEST = "{\"model\":\"main\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

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
        keys:
          - { key: %s, name: app, team: red }
          - { key: %s, name: other, team: blue }
        """.formatted(KeysApi.MASTER, base, base, TestGateway.KEY, OTHER_KEY);
  }

  /** Three requests of app (one failed over to b/small) and one of other, recorded and rolled up. */
  private static void traffic(TestGateway gw, AtomicBoolean aDown) throws Exception {
    aDown.set(true);
    assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
    aDown.set(false);
    for (int i = 0; i < 2; i++) {
      assertThat(gw.post("/v1/chat/completions", REQUEST).statusCode()).isEqualTo(200);
    }
    assertThat(KeysApi.call(gw, "POST", "/v1/chat/completions", OTHER_KEY, REQUEST).statusCode()).isEqualTo(200);
    Await.await(gw.gateway().ledger().flush());
    // Every request is rolled up as it ends (maybe just after its answer): flush until all 4 are.
    long deadline = System.nanoTime() + ConsoleBrowser.PATIENCE.toNanos();
    while (json(admin(gw, "GET", "/admin/stats?metric=requests&step=1d&from=" + (System.currentTimeMillis() - 3_600_000),
        null)).path("series").path(0).path("points").path(0).path("requests").asLong() < 4) {
      assertThat(System.nanoTime() - deadline).as("4 requests rolled up in time").isNegative();
      Await.await(gw.gateway().stats().flush());
    }
  }

  /** The spend of a stats answer (metric=cost) in USD with six places: its points' cost added up. */
  private static String costUsd(JsonNode answer) {
    long micros = 0;
    for (JsonNode s : answer.path("series")) {
      for (JsonNode p : s.path("points")) {
        micros += p.path("cost_micros").asLong();
      }
    }
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  /** Whole days from {@code from} (ISO) to {@code to} (epoch ms), rounded up: the page's step for one bucket. */
  private static long windowDays(String from, String to) {
    long ms = Long.parseLong(to) - java.time.Instant.parse(from).toEpochMilli();
    return (ms + 86_400_000L - 1) / 86_400_000L;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void type(ConsoleBrowser b, String css, String text) {
    WebElement input = b.find(css);
    input.clear();
    input.sendKeys(text);
  }

  @Test
  void adminSeesTheSpendApiFiguresAChartSavingsAndEstimatesLikeTheApi() throws Exception {
    AtomicBoolean aDown = new AtomicBoolean();
    upstream.dispatch(r -> r.uri().startsWith("/a/") && aDown.get()
        ? FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}") : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      traffic(gw, aDown);
      browser.signIn(gw, KeysApi.MASTER);
      browser.open(gw.url("/ui/#/cost"));
      WebElement total = browser.find("#spend-total");
      String from = browser.find("#cost-body").getAttribute("data-from");

      String to = browser.find("#cost-body").getAttribute("data-to");
      String window = "&from=" + enc(from) + "&to=" + to;
      JsonNode byDay = json(admin(gw, "GET", "/admin/stats?metric=cost&step=1d" + window, null));
      String spent = costUsd(byDay);
      assertThat(total.getAttribute("data-usd")).isEqualTo(spent);
      // The stats rollups' spend is the ledger's.
      JsonNode ledger = json(admin(gw, "GET", "/admin/spend?group_by=day&from=" + enc(from), null));
      assertThat(new BigDecimal(spent)).isPositive()
          .isEqualByComparingTo(new BigDecimal(ledger.path("total").path("cost_usd").asText()));
      assertThat(browser.find("#spend-requests .value").getAttribute("textContent")).isEqualTo("4");
      for (JsonNode point : byDay.path("series").get(0).path("points")) {
        assertThat(browser.find("#spend-by-day tr[data-group='" + point.path("t").asText().substring(0, 10)
            + "'] td[data-usd]").getAttribute("data-usd")).isEqualTo(point.path("cost_usd").asText());
      }
      String step = windowDays(from, to) + "d";
      for (String group : new String[] {"model", "provider", "team"}) {
        JsonNode report = json(admin(gw, "GET", "/admin/stats?metric=cost&group_by=" + group + "&step=" + step + window,
            null));
        assertThat(report.path("series").size()).isPositive();
        for (JsonNode series : report.path("series")) {
          assertThat(series.path("points").size()).as("one bucket spanning the window").isEqualTo(1);
          WebElement cell = browser.find("#spend-by-" + group + " tr[data-group='" + series.path("group").asText()
              + "'] td[data-usd]");
          assertThat(cell.getAttribute("data-usd")).as(group + " " + series.path("group").asText())
              .isEqualTo(series.path("points").get(0).path("cost_usd").asText());
        }
      }
      // The chart draws the stats API's spend per day and says its unit and window.
      WebElement chart = browser.find("#spend-chart");
      assertThat(chart.findElement(By.tagName("h3")).getText()).contains("USD").contains("last 30 days");
      assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isPositive();
      assertThat(browser.find("canvas").isDisplayed()).isTrue();
      // Savings: measured where the ledger allows it, "not measured" where there is nothing to measure.
      JsonNode savings = json(admin(gw, "GET", "/admin/cost/savings?from=" + enc(from), null));
      assertThat(savings.path("routing").path("rerouted_requests").asLong()).isEqualTo(1);
      assertThat(browser.find("#saved-routing").getAttribute("data-usd"))
          .isEqualTo(savings.path("routing").path("saved_usd").asText());
      assertThat(browser.find("#saved-response-cache").getText()).contains("not measured");
      assertThat(browser.find("#response-cache-note").getText()).contains("no response cache");
      browser.screenshot("cost-admin");

      // The estimate form shows the API's per-month figure for the same inputs.
      type(browser, "#model", "gpt-4o-mini");
      type(browser, "#requests_per_second", "2.5");
      type(browser, "#input_tokens", "1500");
      type(browser, "#output_tokens", "400");
      type(browser, "#retry_rate", "0.1");
      browser.find("#estimate-submit").click();
      WebElement perMonth = browser.find("#estimate-per-month");
      JsonNode api = json(admin(gw, "POST", "/admin/cost/estimate", """
          {"model":"gpt-4o-mini","requests_per_second":2.5,"input_tokens":1500,"output_tokens":400,"retry_rate":0.1}"""));
      assertThat(perMonth.getAttribute("data-usd")).isEqualTo(api.path("per_month_usd").asText());
      assertThat(perMonth.getText()).contains("$" + new java.math.BigDecimal(api.path("per_month_usd").asText())
          .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
      browser.screenshot("cost-estimate");

      // A model the catalog lacks: the API's error, naming the field.
      type(browser, "#model", "no-such-model-zz");
      browser.find("#estimate-submit").click();
      WebElement error = browser.find("#estimate-result .error[data-param='model']");
      assertThat(error.getText()).contains("no price for model 'no-such-model-zz'");

      // The replay form replays the recorded traffic as the API does.
      type(browser, "#replay_model", "gpt-4o");
      browser.find("#replay-submit").click();
      WebElement replayed = browser.find("#replay-replayed");
      String weekAgo = browser.find("#from").getAttribute("value");
      JsonNode replay = json(admin(gw, "POST", "/admin/cost/replay", "{\"model\":\"gpt-4o\",\"from\":\"" + weekAgo
          + "\"}"));
      assertThat(replay.path("attempts").asLong()).isEqualTo(5); // the failed attempt on a/big too
      assertThat(replayed.getAttribute("data-usd")).isEqualTo(replay.path("replayed_cost_usd").asText());
      assertThat(browser.find("#replay-recorded").getAttribute("data-usd"))
          .isEqualTo(replay.path("recorded_cost_usd").asText());
      browser.screenshot("cost-replay");
    }
  }

  @Test
  void aClientKeySeesItsOwnSpendAndNoForms() throws Exception {
    AtomicBoolean aDown = new AtomicBoolean();
    upstream.dispatch(r -> r.uri().startsWith("/a/") && aDown.get()
        ? FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}") : FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser(390, 844)) {
      traffic(gw, aDown);
      browser.signIn(gw, OTHER_KEY);
      browser.open(gw.url("/ui/#/cost"));
      WebElement total = browser.find("#spend-total");
      String from = browser.find("#cost-body").getAttribute("data-from");
      String to = browser.find("#cost-body").getAttribute("data-to");
      HttpResponse<String> own = KeysApi.call(gw, "GET", "/v1/sluice/stats?metric=cost&step=1d&from=" + enc(from)
          + "&to=" + to, OTHER_KEY, null);
      String mine = costUsd(json(own));
      assertThat(new BigDecimal(mine)).isPositive().isEqualByComparingTo(new BigDecimal(json(KeysApi.call(gw, "GET",
          "/v1/sluice/spend?group_by=day&from=" + enc(from), OTHER_KEY, null)).path("total").path("cost_usd").asText()));
      assertThat(total.getAttribute("data-usd")).isEqualTo(mine);
      assertThat(browser.find("#spend-requests .value").getAttribute("textContent")).isEqualTo("1");
      String all = costUsd(json(admin(gw, "GET", "/admin/stats?metric=cost&step=1d&from=" + enc(from) + "&to=" + to,
          null)));
      assertThat(total.getAttribute("data-usd")).isNotEqualTo(all);
      JsonNode key = json(KeysApi.call(gw, "GET", "/v1/sluice/key", OTHER_KEY, null));
      assertThat(browser.find("#spend-period").getAttribute("data-usd"))
          .isEqualTo(key.path("spend").path("cost_usd").asText());
      assertThat(browser.driver().findElements(By.cssSelector("#estimate-form, #replay-form, #savings"))).isEmpty();
      assertThat(browser.driver().getPageSource()).doesNotContain("tenant", "\"app\"");
      browser.screenshot("cost-client-phone");
    }
  }
}
