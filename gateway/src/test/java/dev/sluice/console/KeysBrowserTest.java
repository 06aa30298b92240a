package dev.sluice.console;

import static dev.sluice.testing.KeysApi.MASTER;
import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.chat;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.store.LedgerRow;
import dev.sluice.testing.Await;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Keys & teams page in a real Chromium, signed in with the master key, against a gateway whose
 * provider is a fake upstream: what the page does is checked through the admin API and real
 * requests with the keys it makes.
 */
class KeysBrowserTest {
  private static final String XSS = "<script>window.__pwned=1</script>";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, OpenAiFixtures.COMPLETION));
    gateway = TestGateway.startWithConsole(KeysApi.config(upstream.baseUrl(), ""));
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void aKeyCreatedInThePageIsShownOnceWorksAndIsRefusedOnceRevokedInThePage() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser()) {
      openKeysPage(browser);
      browser.find("#keys-box .empty");
      browser.screenshot("keys-empty");

      browser.find("#key-create-toggle").click();
      type(browser, "#key-create-form [name=name]", "billing-service");
      type(browser, "#key-create-form [name=budget_usd]", "50");
      assertThat(browser.find("#key-create-form [name=budget_period]").getAttribute("value")).isEqualTo("monthly");
      browser.find("#key-create-submit").click();

      browser.find("#key-shown");
      String plain = (String) browser.script("return document.getElementById('key-shown-value').value");
      assertThat(plain).startsWith("sk-sluice-").hasSize("sk-sluice-".length() + 43);
      assertThat(browser.find("#key-shown").getText()).contains("shown once");
      assertThat(html(browser)).as("the key is an input's value, never in the markup").doesNotContain(plain);
      browser.find("#key-shown-copy").click();
      assertThat(browser.<String>await(d -> text(browser, "#key-shown-status"))).matches("Copied.*|Selected.*");
      browser.screenshot("keys-shown-once");

      JsonNode listed = json(admin(gateway, "GET", "/admin/keys", null)).path("data").get(0);
      String id = listed.path("id").asText();
      assertThat(listed.path("name").asText()).isEqualTo("billing-service");
      assertThat(listed.path("budget").path("usd").asText()).isEqualTo("50.000000");
      assertThat(listed.path("budget").path("period").asText()).isEqualTo("monthly");
      WebElement row = browser.find("tr[data-key-id='" + id + "']");
      assertThat(row.findElement(By.cssSelector("[data-test=spend]")).getText()).contains("of $50.00");

      browser.find("#key-shown-done").click();
      browser.await(d -> d.findElements(By.id("key-shown")).isEmpty());
      browser.driver().navigate().refresh();
      browser.find("tr[data-key-id='" + id + "']");
      assertThat(html(browser)).as("after reload").doesNotContain(plain);
      assertThat(admin(gateway, "GET", "/admin/keys", null).body()).doesNotContain(plain);
      assertThat(admin(gateway, "GET", "/admin/keys/" + id, null).body()).doesNotContain(plain);

      HttpResponse<String> ok = chat(gateway, plain, "chat");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      // The page shows what the API counts: the request reaches the ledger, then the last-minute column.
      eventually(() -> json(admin(gateway, "GET", "/admin/keys/" + id, null)).path("recent").path("requests").asLong() == 1);
      browser.driver().navigate().refresh();
      assertThat(browser.<String>await(d -> cell(browser, id, "recent"))).contains("1 req");

      browser.find("tr[data-key-id='" + id + "'] [data-test=revoke]").click();
      assertThat(browser.find("[data-test=revoke-box]").getText()).contains("billing-service");
      browser.screenshot("keys-revoke-confirm");
      browser.find("[data-test=revoke-confirm]").click();
      browser.await(d -> String.valueOf(cell(browser, id, "status")).startsWith("revoked") ? true : null);
      assertThat(json(admin(gateway, "GET", "/admin/keys/" + id, null)).path("status").asText()).isEqualTo("revoked");

      HttpResponse<String> refused = chat(gateway, plain, "chat");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(json(refused).path("error").path("code").asText()).isEqualTo("key_revoked");
    }
  }

  @Test
  void aKeyNameAndMetadataHoldingMarkupRenderAsInertText() throws Exception {
    String img = "<img src=x onerror=\"window.__pwned=2\">";
    try (ConsoleBrowser browser = new ConsoleBrowser()) {
      openKeysPage(browser);
      browser.find("#key-create-toggle").click();
      type(browser, "#key-create-form [name=name]", XSS);
      type(browser, "#key-create-form [name=team]", img);
      type(browser, "#key-create-form [name=metadata]", "{\"owner\": \"" + XSS.replace("\"", "\\\"") + "\"}");
      browser.find("#key-create-submit").click();
      assertThat(browser.find("#key-shown-title").getText()).isEqualTo("New key for " + XSS);
      assertInert(browser);
      String plain = (String) browser.script("return document.getElementById('key-shown-value').value");
      assertThat(plain).startsWith("sk-sluice-");

      // Leaving the page without closing the box drops the key too.
      browser.script("location.hash = '#/overview'");
      browser.await(d -> d.findElements(By.id("keys-section")).isEmpty() ? true : null);
      browser.script("location.hash = '#/keys'");
      browser.find("#keys-table");
      assertThat(browser.driver().findElements(By.id("key-shown"))).isEmpty();
      assertThat(html(browser)).doesNotContain(plain);

      JsonNode stored = json(admin(gateway, "GET", "/admin/keys", null)).path("data").get(0);
      assertThat(stored.path("name").asText()).isEqualTo(XSS);
      assertThat(stored.path("metadata").path("owner").asText()).isEqualTo(XSS);
      browser.driver().navigate().refresh();
      WebElement row = browser.find("tr[data-key-id='" + stored.path("id").asText() + "']");
      assertThat(row.getText()).contains(XSS).contains(img).contains("\"owner\":\"" + XSS + "\"");
      assertInert(browser);
      browser.screenshot("keys-inert-markup");
    }
  }

  @Test
  void anRpmEditedInThePageIsWhatTheApiShows() throws Exception {
    String id = createKey(gateway, """
        {"name":"search-svc","limits":{"rpm":60,"tpm":10000},"budget":{"usd":"20","period":"daily"}}""")
        .path("id").asText();
    try (ConsoleBrowser browser = new ConsoleBrowser()) {
      openKeysPage(browser);
      browser.find("tr[data-key-id='" + id + "'] [data-test=edit]").click();
      WebElement rpm = browser.find("[data-test=edit-form] [name=rpm]");
      assertThat(rpm.getAttribute("value")).isEqualTo("60");
      rpm.clear();
      rpm.sendKeys("120");
      browser.screenshot("keys-edit");
      browser.find("[data-test=edit-save]").click();
      browser.await(d -> String.valueOf(text(browser, "tr[data-key-id='" + id + "']")).contains("120 rpm") ? true : null);

      JsonNode key = json(admin(gateway, "GET", "/admin/keys/" + id, null));
      assertThat(key.path("limits").path("rpm").asLong()).isEqualTo(120);
      assertThat(key.path("limits").path("tpm").asLong()).as("left as it was").isEqualTo(10000);
      assertThat(key.path("budget").path("usd").asText()).isEqualTo("20.000000");
      assertThat(key.path("budget").path("period").asText()).isEqualTo("daily");
      JsonNode audit = json(admin(gateway, "GET", "/admin/audit?action=key.update", null)).path("data");
      assertThat(audit).as("one change sent: only the rpm").hasSize(1);
      assertThat(audit.get(0).path("before").path("limits").path("rpm").asLong()).isEqualTo(60);

      // An invalid budget: the API's own message, next to the form, the field marked.
      browser.find("tr[data-key-id='" + id + "'] [data-test=edit]").click();
      WebElement usd = browser.find("[data-test=edit-form] [name=budget_usd]");
      usd.clear();
      usd.sendKeys("-5");
      browser.find("[data-test=edit-save]").click();
      WebElement error = browser.await(d -> {
        WebElement e = browser.find("[data-test=edit-error]");
        return e.isDisplayed() ? e : null;
      });
      assertThat(error.getText()).isEqualTo("budget.usd must not be negative");
      assertThat(usd.getAttribute("aria-invalid")).isEqualTo("true");
      browser.screenshot("keys-edit-error");
      assertThat(json(admin(gateway, "GET", "/admin/keys/" + id, null)).path("budget").path("usd").asText())
          .isEqualTo("20.000000");
    }
  }

  @Test
  void aTeamCreatedInThePageShowsItsBudgetSpendAndWhatIsLeft() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser()) {
      openKeysPage(browser);
      browser.find("#teams-box .empty");
      browser.find("#team-create-toggle").click();
      type(browser, "#team-create-form [name=name]", "search");
      type(browser, "#team-create-form [name=budget_usd]", "500");
      browser.find("#team-create-submit").click();
      browser.find("#teams-table tr[data-team='search']");
      JsonNode team = json(admin(gateway, "GET", "/admin/teams/search", null));
      assertThat(team.path("budget").path("usd").asText()).isEqualTo("500.000000");
      assertThat(team.path("budget").path("alert_thresholds").toString()).isEqualTo("[50,80,100]");

      Await.await(gateway.gateway().store().ledger().insertBatch(List.of(
          LedgerRow.builder("t1", 1, Instant.now()).key("a", null, "search").target("chat", "up", "gpt-4o-mini")
              .cost(120_000_000, true, false).build())));
      browser.driver().navigate().refresh();
      String spend = browser.find("#teams-table tr[data-team='search'] [data-test=spend]").getText();
      JsonNode shown = json(admin(gateway, "GET", "/admin/teams/search", null)).path("spend");
      assertThat(shown.path("cost_usd").asText()).isEqualTo("120.000000");
      assertThat(shown.path("remaining_usd").asText()).isEqualTo("380.000000");
      assertThat(spend).contains("$120.00 of $500.00").contains("$380.00 left");

      // A refused budget: the API's message next to the team form.
      browser.find("#team-create-toggle").click();
      type(browser, "#team-create-form [name=name]", "ops");
      type(browser, "#team-create-form [name=budget_usd]", "ten");
      browser.find("#team-create-submit").click();
      WebElement error = browser.await(d -> {
        WebElement e = browser.find("#team-create-error");
        return e.isDisplayed() ? e : null;
      });
      assertThat(error.getText()).contains("budget.usd must be a decimal amount");
      browser.screenshot("keys-teams");
    }
  }

  @Test
  void thePageIsUsableOnAPhone() throws Exception {
    createKey(gateway, """
        {"name":"mobile-app","team":"apps","limits":{"rpm":600,"tpm":200000,"max_concurrency":20},
         "budget":{"usd":"50"},"metadata":{"owner":"apps@example.com"}}""");
    try (ConsoleBrowser browser = new ConsoleBrowser(390, 844)) {
      openKeysPage(browser);
      browser.find("#keys-table");
      browser.find("#key-create-toggle").click();
      assertThat(browser.settledOverflow("html")).as("the page itself never scrolls sideways; the table does").isLessThanOrEqualTo(0);
      browser.screenshot("keys-phone");
    }
  }

  private void openKeysPage(ConsoleBrowser browser) throws Exception {
    browser.signIn(gateway, MASTER);
    browser.open(gateway.url("/ui/#/keys"));
    browser.find("#keys-section");
    browser.await(d -> d.findElements(By.cssSelector("#keys-box > *")).isEmpty() ? null : true);
  }

  /** Waits (up to {@link ConsoleBrowser#PATIENCE}) until {@code condition} holds, checking every 50 ms. */
  private static void eventually(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + ConsoleBrowser.PATIENCE.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void assertInert(ConsoleBrowser browser) {
    assertThat(browser.script("return typeof window.__pwned")).isEqualTo("undefined");
    assertThat(browser.script("return document.querySelectorAll('main script, main img, main [onerror]').length"))
        .isEqualTo(0L);
  }

  private static void type(ConsoleBrowser browser, String css, String text) {
    WebElement e = browser.find(css);
    e.clear();
    e.sendKeys(text);
  }

  /** The element's visible text, read in one script (the page may re-render between two driver calls); null while absent or blank. */
  private static String text(ConsoleBrowser browser, String css) {
    Object t = browser.script("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css);
    return t == null || t.toString().isBlank() ? null : t.toString();
  }

  private static String cell(ConsoleBrowser browser, String id, String test) {
    return text(browser, "tr[data-key-id='" + id + "'] [data-test=" + test + "]");
  }

  private static String html(ConsoleBrowser browser) {
    return (String) browser.script("return document.documentElement.outerHTML");
  }
}
