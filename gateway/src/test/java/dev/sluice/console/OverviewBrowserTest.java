package dev.sluice.console;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.chromium.ChromiumDriver;

/**
 * The Overview page in a real browser, on a gateway that served real traffic through a fake
 * upstream: its charts draw, its numbers are the API's, its error classes are the ones caused, it
 * fits a phone, and a client key's session shows only that key's numbers.
 */
class OverviewBrowserTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;
  private String otherKey;

  @BeforeEach
  void start() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.dispatch(r -> {
      long ms = 5 + 7L * (n.incrementAndGet() % 9); // spread latencies, so the percentiles differ
      if (r.body().contains("\"stream\":true")) {
        return FakeResponse.openAiStream(OpenAiFixtures.helloStream()).latency(ms);
      }
      if (r.body().contains("break me")) {
        return FakeResponse.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
      }
      if (r.body().contains("refuse me")) {
        return FakeResponse.json(400, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}");
      }
      return FakeResponse.json(200, OpenAiFixtures.COMPLETION).latency(ms);
    });
    gateway = TestGateway.startWithConsole(KeysApi.config(upstream.baseUrl(), ""));
    otherKey = KeysApi.createKey(gateway, "{\"name\":\"other-app\",\"team\":\"search\","
        + "\"budget\":{\"usd\":\"0.001\",\"period\":\"monthly\"}}").path("key").asText();
    assertThat(admin(gateway, "POST", "/admin/teams", "{\"name\":\"search\",\"budget\":{\"usd\":\"5\"}}").statusCode())
        .isEqualTo(201);

    for (int i = 0; i < 8; i++) {
      assertThat(KeysApi.chat(gateway, TestGateway.KEY, i % 2 == 0 ? "chat" : "other").statusCode()).isEqualTo(200);
    }
    assertThat(KeysApi.call(gateway, "POST", "/v1/chat/completions", TestGateway.KEY,
        OpenAiFixtures.streamRequest(true)).statusCode()).isEqualTo(200);
    assertThat(send(TestGateway.KEY, "break me").statusCode()).isEqualTo(502);
    assertThat(send(TestGateway.KEY, "break me").statusCode()).isEqualTo(502);
    assertThat(send(TestGateway.KEY, "refuse me").statusCode()).isEqualTo(400);
    for (int i = 0; i < 3; i++) {
      assertThat(KeysApi.chat(gateway, otherKey, "other").statusCode()).isEqualTo(200);
    }
    // Every request is recorded as it ends (maybe just after its answer): flush until all 15 are stored.
    long deadline = System.nanoTime() + ConsoleBrowser.PATIENCE.toNanos();
    while (stats("metric=requests&step=1d").path("series").path(0).path("points").path(0).path("requests").asLong() < 15) {
      assertThat(System.nanoTime() - deadline).as("15 requests recorded in time").isNegative();
      Await.await(gateway.gateway().stats().flush());
    }
    // Likewise the ledger's rows (every attempt, priced), which the spend reports read.
    while (spendRequests("tester") < 12 || spendRequests("other-app") < 3) {
      assertThat(System.nanoTime() - deadline).as("the ledger holds every request in time").isNegative();
      Await.await(gateway.gateway().ledger().flush());
    }
  }

  private long spendRequests(String key) throws Exception {
    for (JsonNode g : json(admin(gateway, "GET", "/admin/spend?group_by=key", null)).path("data")) {
      if (key.equals(g.path("group").asText())) {
        return g.path("requests").asLong();
      }
    }
    return 0;
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void adminOverviewDrawsTheApisNumbersAndTheErrorClassesCaused() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(1280, 1800)) {
      browser.signIn(gateway, KeysApi.MASTER);
      browser.open(gateway.url("/ui/#/overview"));
      for (String chart : List.of("chart-rps", "chart-errors", "chart-latency", "chart-ttft")) {
        browser.await(d -> browser.script("const c = document.getElementById(arguments[0]);"
            + "return c && c.querySelector('canvas') && Number(c.dataset.points) > 0", chart));
      }
      assertThat(chartOverflow(browser)).as("a chart wider than its card").isLessThanOrEqualTo(0);
      assertThat(text(browser, "#chart-latency h3")).contains("ms", "last 1 h");
      assertThat(text(browser, "#chart-errors h3")).contains("% of requests", "last 1 h");

      // The window's p99 on the page is /admin/stats' p99 for the same window, as a script gets it.
      @SuppressWarnings("unchecked")
      Map<String, Object> shown = (Map<String, Object>) browser.await(d -> browser.script(
          "const b = document.getElementById('overview-body'); const p = document.getElementById('p99-window');"
              + "return b && p && p.dataset.ms ? {from: b.dataset.from, to: b.dataset.to, p99: p.dataset.ms} : null"));
      JsonNode window = json(admin(gateway, "GET", "/admin/stats?metric=latency&step=60m&from="
          + enc(shown.get("from")) + "&to=" + enc(shown.get("to")), null));
      JsonNode point = window.path("series").get(0).path("points").get(0);
      assertThat(point.path("count").asLong()).isEqualTo(15);
      assertThat(new BigDecimal(shown.get("p99").toString())).isEqualByComparingTo(point.path("p99").decimalValue());

      // The error classes the traffic caused, with the counts /admin/stats has for them.
      JsonNode byClass = stats("metric=errors&group_by=error_class&step=1d").path("series");
      Map<String, Long> expected = new TreeMap<>();
      byClass.forEach(s -> expected.put(s.path("group").asText(), s.path("points").get(0).path("errors").asLong()));
      assertThat(expected).hasSize(2);
      assertThat(expected.values()).containsExactlyInAnyOrder(2L, 1L);
      @SuppressWarnings("unchecked")
      List<List<String>> rows = (List<List<String>>) browser.script("return [...document.querySelectorAll("
          + "'[data-test=error-classes] tbody tr')].map(r => [...r.cells].map(c => c.textContent))");
      Map<String, Long> shownClasses = new TreeMap<>();
      rows.forEach(r -> shownClasses.put(r.get(0), Long.parseLong(r.get(1))));
      assertThat(shownClasses).isEqualTo(expected);
      assertThat(text(browser, "#chart-errors")).contains(expected.keySet());

      // Spend: the stats API's cost (one bucket spanning the range), as a script gets it; the
      // ledger's /admin/spend agrees with it.
      String to = shown.get("to").toString();
      JsonNode topKeys = json(admin(gateway, "GET", "/admin/stats?metric=cost&group_by=key&step=60m&from="
          + enc(shown.get("from")) + "&to=" + enc(to), null));
      Map<String, String> keySpend = new TreeMap<>();
      topKeys.path("series").forEach(s -> keySpend.put(s.path("group").asText(),
          s.path("points").get(0).path("cost_usd").asText()));
      assertThat(keySpend).containsOnlyKeys("tester", "other-app");
      for (Map.Entry<String, String> e : keySpend.entrySet()) {
        assertThat(new BigDecimal(e.getValue())).isPositive();
        assertThat(attribute(browser, "[data-test=top-keys] li[data-group='" + e.getKey() + "']", "data-usd"))
            .isEqualTo(e.getValue());
      }
      String monthStart = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString();
      String month = costUsd(json(admin(gateway, "GET", "/admin/stats?metric=cost&step=31d&from=" + monthStart
          + "&to=" + enc(to), null)));
      assertThat(new BigDecimal(month)).isPositive().isEqualByComparingTo(new BigDecimal(
          json(admin(gateway, "GET", "/admin/spend?group_by=day", null)).path("total").path("cost_usd").asText()));
      assertThat(text(browser, "[data-test=spend-month]")).contains(month + " USD");
      assertThat(text(browser, "[data-test=spend-today]")).contains(costUsd(json(admin(gateway, "GET",
          "/admin/stats?metric=cost&step=1d&from=" + LocalDate.now(ZoneOffset.UTC) + "&to=" + enc(to), null))) + " USD");
      // Budget burn: each key's and team's spend in its budget period, as /admin/keys and /admin/teams have it.
      String burn = text(browser, "[data-test=budget-burn]");
      assertThat(burn).contains("other-app", "search");
      JsonNode other = null;
      for (JsonNode k : json(admin(gateway, "GET", "/admin/keys", null)).path("data")) {
        if (k.path("name").asText().equals("other-app")) {
          other = k;
        }
      }
      assertThat(other).isNotNull();
      assertThat(new BigDecimal(other.path("spend").path("cost_usd").asText())).isPositive();
      assertThat(attribute(browser, "[data-test=budget-burn] tr[data-name='key:other-app'] td[data-usd]", "data-usd"))
          .isEqualTo(other.path("spend").path("cost_usd").asText());
      browser.screenshot("overview-1280");

      // A window of 1 h refreshes itself: a new request shows up without reloading the page.
      assertThat(KeysApi.chat(gateway, TestGateway.KEY, "chat").statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + ConsoleBrowser.PATIENCE.toNanos();
      while (stats("metric=requests&step=1d").path("series").path(0).path("points").path(0).path("requests")
          .asLong() < 16) {
        assertThat(System.nanoTime() - deadline).as("the 16th request recorded in time").isNegative();
        Await.await(gateway.gateway().stats().flush());
      }
      browser.await(d -> text(browser, "[data-test=rps]").contains("16 requests"));
    }
  }

  @Test
  void overviewFitsAPhoneWithoutHorizontalScrolling() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(390, 844)) {
      // Headless chromium keeps a window at least 500 px wide: emulate the phone's viewport instead.
      ((ChromiumDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
      browser.signIn(gateway, KeysApi.MASTER);
      browser.open(gateway.url("/ui/#/overview"));
      browser.await(d -> browser.script("const c = document.getElementById('chart-latency');"
          + "return c && c.querySelector('canvas') && Number(c.dataset.points) > 0"));
      browser.find("[data-test=budget-burn]");
      assertThat(((Number) browser.script("return window.innerWidth")).longValue()).isEqualTo(390);
      assertThat(chartOverflow(browser)).as("a chart wider than its card").isLessThanOrEqualTo(0);
      assertThat(browser.settledOverflow("html")).as("horizontal overflow in px").isLessThanOrEqualTo(0);
      assertThat(browser.settledOverflow("body")).isLessThanOrEqualTo(0);
      browser.screenshot("overview-390");
    }
  }

  @Test
  void aClientKeysOverviewShowsOnlyItsOwnSpendAndTraffic() throws Exception {
    JsonNode own = json(KeysApi.call(gateway, "GET", "/v1/sluice/spend?group_by=day", TestGateway.KEY, null));
    JsonNode all = json(admin(gateway, "GET", "/admin/spend?group_by=day", null));
    assertThat(new BigDecimal(own.path("total").path("cost_usd").asText())).isPositive()
        .as("the other key spent too, so the totals differ")
        .isLessThan(new BigDecimal(all.path("total").path("cost_usd").asText()));
    try (ConsoleBrowser browser = new ConsoleBrowser(1280, 1400)) {
      browser.signIn(gateway, TestGateway.KEY);
      browser.open(gateway.url("/ui/#/overview"));
      browser.await(d -> browser.script("const c = document.getElementById('chart-rps');"
          + "return c && c.querySelector('canvas') && Number(c.dataset.points) > 0"));
      // The key's own spend this month: the tenant stats API's cost, which is the ledger's figure.
      String ownMonth = costUsd(json(KeysApi.call(gateway, "GET", "/v1/sluice/stats?metric=cost&step=31d&from="
          + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1) + "&to=" + (System.currentTimeMillis() + 60_000),
          TestGateway.KEY, null)));
      assertThat(new BigDecimal(ownMonth)).isEqualByComparingTo(new BigDecimal(own.path("total").path("cost_usd").asText()));
      assertThat(text(browser, "[data-test=spend-month]")).contains(ownMonth + " USD");
      assertThat(text(browser, "[data-test=rps]")).contains("12 requests"); // not the other key's 3
      assertThat(text(browser, "[data-test=top-models]")).doesNotContain("other-app");
      assertThat(text(browser, "[data-test=recent]")).contains("chat");
      assertThat(text(browser, "[data-test=key-budget]")).contains("Budget");
      @SuppressWarnings("unchecked")
      List<String> calls = (List<String>) browser.script(
          "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)");
      assertThat(calls).contains("/v1/sluice/stats", "/v1/sluice/key")
          .noneMatch(p -> p.startsWith("/admin") || p.equals("/v1/sluice/spend"));
      browser.screenshot("overview-client");
    }
  }

  /** How far the widest chart reaches past the right edge of its card, in px (0 or less: none does). */
  private static double chartOverflow(ConsoleBrowser browser) {
    // Charts are sized after their cards: wait for that to settle, report what stayed if it doesn't.
    double[] last = {Double.MAX_VALUE};
    try {
      browser.await(d -> {
        last[0] = ((Number) browser.script("return Math.max(...[...document.querySelectorAll('.chart')].map(c => "
            + "c.querySelector('.uplot').getBoundingClientRect().right - c.getBoundingClientRect().right))")).doubleValue();
        return last[0] <= 0 ? Boolean.TRUE : null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      // The caller's assertion reports it.
    }
    return last[0];
  }

  /**
   * An element's text, read in one script: the page redraws itself every 5 s, so an element found
   * first and read afterwards may be gone by then.
   */
  private static String text(ConsoleBrowser browser, String css) {
    return (String) browser.await(d -> browser.script(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null", css));
  }

  private HttpResponse<String> send(String key, String content) throws Exception {
    return KeysApi.call(gateway, "POST", "/v1/chat/completions", key,
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
  }

  private JsonNode stats(String query) throws Exception {
    long now = System.currentTimeMillis();
    HttpResponse<String> res = admin(gateway, "GET", "/admin/stats?" + query + "&from=" + (now - 3_600_000) + "&to="
        + (now + 60_000), null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res);
  }

  /** An element's attribute, read in one script (the page redraws itself, see {@link #text}). */
  private static String attribute(ConsoleBrowser browser, String css, String name) {
    return (String) browser.await(d -> browser.script(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", css, name));
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

  private static String enc(Object v) {
    return URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8);
  }
}
