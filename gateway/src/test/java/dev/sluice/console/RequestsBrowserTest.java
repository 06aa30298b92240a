package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Json;
import dev.sluice.testing.Await;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Requests page in a real Chromium against a real gateway and a fake upstream: the list, its
 * filters and paging, a fail-over request's attempt timeline, hostile model names as inert text, and
 * a client key's session that sees only its own requests.
 */
class RequestsBrowserTest {
  private static final String ALICE = "sk-alice-console-0123456789";
  private static final String BOB = "sk-bob-console-0123456789";
  private static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  /** Model main: target a first, then b (priority routing, so the order is fixed). Keys alice (bodies kept) and bob. */
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
            targets: [ { provider: a, model: big }, { provider: b, model: small } ]
        keys:
          - { key: %s, name: alice, team: search, log_bodies: { enabled: true } }
          - { key: %s, name: bob }
        """.formatted(KeysApi.MASTER, base, base, ALICE, BOB);
  }

  /** a answers 503 (overloaded: fail over), b answers 200. */
  private void aIsOverloaded() {
    upstream.dispatch(r -> r.uri().startsWith("/a/") ? FakeResponse.json(503, "{\"error\":{\"message\":\"busy\"}}")
        : FakeResponse.json(200, OpenAiFixtures.COMPLETION));
  }

  private static int chat(TestGateway gw, String key, String id, String model) throws Exception {
    String body = "{\"model\":" + Json.MAPPER.valueToTree(model) + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi <b>there</b>\"}]}";
    HttpResponse<String> res = gw.http().send(HttpRequest.newBuilder(URI.create(gw.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .header("authorization", "Bearer " + key).header("x-request-id", id)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    awaitLogged(gw, id);
    return res.statusCode();
  }

  /** Waits (bounded) until the request log holds {@code id}: its row is written just after the answer. */
  private static void awaitLogged(TestGateway gw, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      Await.await(gw.gateway().ledger().flush());
      if (Await.await(gw.gateway().store().requests().find(id, null)).isPresent()) {
        return;
      }
      assertThat(System.nanoTime()).as("request " + id + " never reached the request log").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static List<String> rowIds(ConsoleBrowser browser) {
    return browser.driver().findElements(By.cssSelector("[data-test=request-row]")).stream()
        .map(e -> e.getAttribute("data-id")).toList();
  }

  /** Waits until the list shows exactly {@code ids} (newest first). */
  private static void awaitRows(ConsoleBrowser browser, String... ids) {
    browser.await(d -> rowIds(browser).equals(List.of(ids)));
  }

  @Test
  void aFailOverRequestShowsTwoAttemptsTheFirstFailedAndTheSecondTheWinner() throws Exception {
    aIsOverloaded();
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      assertThat(chat(gw, ALICE, "req-failover", "main")).isEqualTo(200);
      browser.signIn(gw, KeysApi.MASTER);
      browser.open(gw.url("/ui/#/requests"));
      awaitRows(browser, "req-failover");
      WebElement row = browser.find("[data-test=request-row][data-id='req-failover']");
      assertThat(row.getText()).contains("main", "alice", "search", "b / small", "200");
      browser.screenshot("requests-list");

      row.findElement(By.cssSelector("a")).click();
      browser.await(d -> d.findElements(By.cssSelector("[data-test=attempt]")).size() == 2);
      List<WebElement> attempts = browser.driver().findElements(By.cssSelector("[data-test=attempt]"));
      WebElement first = attempts.get(0);
      WebElement second = attempts.get(1);
      assertThat(first.getAttribute("data-outcome")).isEqualTo("error");
      assertThat(first.getAttribute("data-won")).isEqualTo("false");
      assertThat(first.getAttribute("data-kind")).isEqualTo("first");
      assertThat(first.getText()).contains("a / big", "HTTP 503", "overloaded");
      assertThat(second.getAttribute("data-outcome")).isEqualTo("ok");
      assertThat(second.getAttribute("data-won")).isEqualTo("true");
      assertThat(second.getAttribute("data-kind")).isEqualTo("failover");
      assertThat(second.getText()).contains("b / small", "HTTP 200", "won");
      // drawn to scale: the second bar starts no earlier than the first one ends, both inside the track
      Object bars = browser.script("""
          const b = [...document.querySelectorAll('[data-test=attempt] .tl-bar')].map(x => x.getBoundingClientRect());
          const t = document.querySelector('[data-test=attempt] .tl-track').getBoundingClientRect();
          return b.length === 2 && b[1].left + 0.5 >= b[0].left && b.every(r => r.left >= t.left - 0.5
            && r.right <= t.right + 0.5 && r.width >= 1);""");
      assertThat(bars).isEqualTo(true);
      // alice's bodies are kept: shown as text, markup and all
      assertThat(browser.find("#body-request").getText()).contains("\"content\": \"Hi <b>there</b>\"");
      assertThat(browser.find("#body-response").getText()).contains("\"choices\"");
      assertThat(browser.script("return document.querySelectorAll('main b').length")).isEqualTo(0L);
      browser.screenshot("requests-detail");
    }
  }

  @Test
  void aModelNameHoldingMarkupRendersAsInertText() throws Exception {
    aIsOverloaded();
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      assertThat(chat(gw, BOB, "req-hostile", HOSTILE)).isEqualTo(404); // an unknown model, logged as asked
      browser.signIn(gw, KeysApi.MASTER);
      long scripts = (Long) browser.script("return document.scripts.length");
      browser.open(gw.url("/ui/#/requests"));
      awaitRows(browser, "req-hostile");
      assertThat(browser.find("[data-test=request-row] [data-test=model]").getText()).isEqualTo(HOSTILE);
      browser.find("[data-test=request-row] a").click();
      assertThat(browser.find("[data-test=detail-model]").getText()).isEqualTo(HOSTILE);
      browser.find("#no-attempts");
      assertThat(browser.find("#bodies-off").getText()).as("bob's bodies are not kept: how to turn that on")
          .contains("log_bodies");
      assertThat(browser.script("return window.__pwned")).isNull();
      assertThat(browser.script("return document.scripts.length")).isEqualTo(scripts);
      assertThat(browser.script("return document.querySelectorAll('main img, main script').length")).isEqualTo(0L);
      browser.screenshot("requests-hostile-model");
    }
  }

  @Test
  void theStatusFilterErrorShowsOnlyFailuresAndOlderPagesFollowTheCursor() throws Exception {
    aIsOverloaded();
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      assertThat(chat(gw, ALICE, "req-ok-1", "main")).isEqualTo(200);
      assertThat(chat(gw, ALICE, "req-missing", "nope")).isEqualTo(404);
      assertThat(chat(gw, BOB, "req-ok-2", "main")).isEqualTo(200);
      assertThat(chat(gw, "sk-not-a-key-0123456789", "req-denied", "main")).isEqualTo(401);
      browser.signIn(gw, KeysApi.MASTER);
      browser.open(gw.url("/ui/#/requests"));
      awaitRows(browser, "req-denied", "req-ok-2", "req-missing", "req-ok-1");

      new Select(browser.find("#filter-status")).selectByValue("error");
      browser.find("#filters-apply").click();
      awaitRows(browser, "req-denied", "req-missing");
      assertThat(browser.driver().findElements(By.cssSelector("[data-test=request-row]")))
          .allSatisfy(r -> assertThat(Integer.parseInt(r.getAttribute("data-status"))).isGreaterThanOrEqualTo(400));
      browser.screenshot("requests-filtered-errors");

      // filters combine; matching nothing is its own empty state
      browser.find("#filter-key").sendKeys("bob");
      browser.find("#filters-apply").click();
      assertThat(browser.find("[data-test=no-match]").getText()).contains("No request matches");

      browser.find("#filters-clear").click();
      awaitRows(browser, "req-denied", "req-ok-2", "req-missing", "req-ok-1");
      browser.find("#filter-key").sendKeys("bob");
      browser.find("#filters-apply").click();
      awaitRows(browser, "req-ok-2");

      // paging: ten to a page, "older" follows the API's cursor without repeats or gaps
      for (int i = 0; i < 9; i++) {
        assertThat(chat(gw, BOB, "req-page-" + i, "main")).isEqualTo(200);
      }
      browser.find("#filters-clear").click();
      new Select(browser.find("#filter-limit")).selectByValue("10");
      browser.find("#filters-apply").click();
      browser.await(d -> rowIds(browser).size() == 10 && rowIds(browser).get(0).equals("req-page-8"));
      browser.find("#requests-older").click();
      browser.await(d -> rowIds(browser).size() == 13);
      assertThat(rowIds(browser)).doesNotHaveDuplicates().endsWith("req-denied", "req-ok-2", "req-missing", "req-ok-1");
      assertThat(browser.find("#requests-older").isDisplayed()).isFalse();
    }
  }

  @Test
  void aClientKeySessionSeesOnlyItsOwnRequests() throws Exception {
    aIsOverloaded();
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      assertThat(chat(gw, ALICE, "req-alice", "main")).isEqualTo(200);
      assertThat(chat(gw, BOB, "req-bob", "main")).isEqualTo(200);
      browser.signIn(gw, BOB);
      browser.open(gw.url("/ui/#/requests"));
      awaitRows(browser, "req-bob");
      assertThat(browser.driver().findElements(By.cssSelector("#filter-key, #filter-team"))).isEmpty();
      browser.find("[data-test=request-row] a").click();
      browser.await(d -> d.findElements(By.cssSelector("[data-test=attempt]")).size() == 2);
      browser.screenshot("requests-client-detail");

      // another key's request is not there, as if it never was
      browser.open(gw.url("/ui/#/requests/req-alice"));
      assertThat(browser.find("#request-missing").getText()).contains("No request with this id");
    }
  }

  @Test
  void withNoRequestsYetThePageShowsHowToSendOne() throws Exception {
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser(390, 844)) {
      browser.signIn(gw, KeysApi.MASTER);
      browser.open(gw.url("/ui/#/requests"));
      assertThat(browser.find("#curl-example").getText()).contains("curl " + gw.url("/v1/chat/completions"),
          "authorization: Bearer");
      browser.screenshot("requests-empty-phone");
    }
  }
}
