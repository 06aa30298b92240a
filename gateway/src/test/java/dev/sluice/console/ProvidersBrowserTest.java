package dev.sluice.console;

import static dev.sluice.testing.OpenAiFixtures.COMPLETION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The Providers page in Chromium: a target failing until its breaker opens shows OPEN with its
 * recent error, a healthy one CLOSED with its headroom; a model name holding markup stays text.
 */
class ProvidersBrowserTest {
  private static final String MASTER = "sk-master-providers-page-0123456789";
  private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();

  private String config() {
    String base = "http://127.0.0.1:" + upstream.port();
    return """
        server: { host: 127.0.0.1, master_key: %s }
        providers:
          - { name: flaky, type: openai-compatible, base_url: %s/flaky/v1 }
          - { name: steady, type: openai-compatible, base_url: %s/steady/v1 }
        models:
          - name: chat
            routing: priority
            targets: [ { provider: flaky, model: m }, { provider: steady, model: m } ]
            breaker: { consecutive_failures: 3, cooldown: 4m }
          - name: odd
            targets: [ { provider: steady, model: "<script>window.pwned=1</script>" } ]
        keys: [ { key: %s, name: t } ]
        """.formatted(MASTER, base, base, TestGateway.KEY);
  }

  @Test
  void showsTheOpenBreakerAndRecentErrorOfAFailingTargetAndAHealthyOneClosed() throws Exception {
    upstream.dispatch(r -> r.uri().startsWith("/flaky/")
        ? FakeResponse.json(503, "{\"error\":{\"message\":\"flaky is overloaded\"}}")
        : FakeResponse.json(200, COMPLETION).header("x-ratelimit-limit-requests", "500")
            .header("x-ratelimit-remaining-requests", "499").header("x-ratelimit-reset-requests", "120ms"));
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser()) {
      for (int i = 0; i < 10 && !breakerOf(gw, "flaky/m").equals("OPEN"); i++) {
        assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
      }
      assertThat(breakerOf(gw, "flaky/m")).isEqualTo("OPEN");

      browser.signIn(gw, MASTER);
      browser.open(gw.url("/ui/#/providers"));
      // The page re-renders itself every few seconds: every read looks the element up again.
      String flaky = "[data-test=target][data-target='flaky/m']";
      browser.find(flaky);
      assertThat(browser.text(flaky + " [data-test=breaker]")).isEqualTo("OPEN");
      assertThat(browser.text(flaky)).contains("next probe");
      assertThat(browser.text(flaky + " [data-test=errors]")).contains("503 overloaded").contains("flaky is overloaded");
      assertThat(browser.text(flaky + " [data-test=limit-latency]")).isEqualTo("no answer yet");
      assertThat(browser.text(flaky + " [data-test=limit-cuts]")).contains("for 429 / overload / timeout")
          .contains("(dropped), ").contains(" in flight");

      String steady = "[data-test=target][data-target='steady/m']";
      assertThat(browser.text(steady + " [data-test=breaker]")).isEqualTo("CLOSED");
      assertThat(browser.text(steady + " [data-test=headroom]")).contains("Requests left: 499 of 500");
      assertThat(browser.text(steady + " [data-count=fallbacks] dd")).isNotEqualTo("0");
      assertThat(browser.text(steady + " [data-test=errors]")).contains("No errors");
      assertThat(browser.script("return document.querySelectorAll(arguments[0]).length", steady + " [data-test=limit-cuts]"))
          .as("never cut").isEqualTo(0L);
      assertThat(browser.text(steady + " [data-test=limit-latency]"))
          .matches("first token in [\\d.]+ m?s \\(baseline [\\d.]+ m?s\\)");

      // A never-called target is listed too, its odd model name as inert text.
      assertThat(browser.text("[data-test=target][data-target^='steady/<script>'] h2"))
          .isEqualTo("steady/<script>window.pwned=1</script>");
      assertThat(browser.script("return document.querySelectorAll('#main script').length")).isEqualTo(0L);
      assertThat(browser.script("return window.pwned === undefined")).isEqualTo(true);
      browser.screenshot("providers");

      // The page refreshes on its own: new traffic shows up without a reload.
      String before = browser.text(steady + " [data-count=attempts] dd");
      assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
      browser.await(d -> !d.findElement(By.cssSelector(steady + " [data-count=attempts] dd")).getText().equals(before));
    }
  }

  @Test
  void stacksTheCardsOnAPhone() throws Exception {
    upstream.dispatch(r -> FakeResponse.json(200, COMPLETION));
    try (TestGateway gw = TestGateway.startWithConsole(config()); ConsoleBrowser browser = new ConsoleBrowser(390, 844)) {
      // Headless Chromium keeps windows at least 500 px wide: emulate the phone's viewport instead.
      ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Emulation.setDeviceMetricsOverride",
          java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
      browser.signIn(gw, MASTER);
      browser.open(gw.url("/ui/#/providers"));
      browser.find("[data-test=target][data-target='steady/m']");
      // The page lays out in steps (cards, then their charts) and a busy machine can catch it between
      // two: wait for the settled layout; a page that keeps overflowing still fails with what it saw.
      String settled = "width=390, n=3, oneColumn=true, fits=true, scrolls=false";
      String[] seen = {""};
      try {
        browser.await(d -> {
          seen[0] = String.valueOf(browser.script("""
              const cards = [...document.querySelectorAll('[data-test=target]')].map(c => c.getBoundingClientRect());
              const html = document.documentElement;
              return 'width=' + html.clientWidth + ', n=' + cards.length
                + ', oneColumn=' + cards.every(r => Math.abs(r.left - cards[0].left) < 1)
                + ', fits=' + cards.every(r => r.right <= html.clientWidth)
                + ', scrolls=' + (html.scrollWidth > html.clientWidth);"""));
          return seen[0].equals(settled) ? seen[0] : null;
        });
      } catch (org.openqa.selenium.TimeoutException e) {
        // Falls through to the assertion, which names the layout the page kept.
      }
      assertThat(seen[0]).isEqualTo(settled);
      browser.screenshot("providers-phone");
    }
  }

  @Test
  void saysWhatToDoWhenNoProviderIsConfigured() throws Exception {
    String bare = "server: { host: 127.0.0.1, master_key: %s }\n".formatted(MASTER);
    try (TestGateway gw = TestGateway.startWithConsole(bare); ConsoleBrowser browser = new ConsoleBrowser()) {
      browser.signIn(gw, MASTER);
      browser.open(gw.url("/ui/#/providers"));
      assertThat(browser.find("#providers .empty").getText()).contains("No providers are configured")
          .contains("config file");
      browser.screenshot("providers-empty");
    }
  }

  private static String breakerOf(TestGateway gw, String target) throws Exception {
    HttpResponse<String> res = gw.get("/admin/providers", MASTER);
    assertThat(res.statusCode()).isEqualTo(200);
    for (JsonNode t : new ObjectMapper().readTree(res.body()).path("targets")) {
      if (t.path("target").asText().equals(target)) {
        return t.path("breaker").path("state").asText();
      }
    }
    throw new AssertionError("no target " + target + " in " + res.body());
  }
}
