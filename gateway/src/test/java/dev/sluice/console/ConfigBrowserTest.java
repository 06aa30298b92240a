package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Canaries;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The Config page in Chromium: the effective config and its check, no secret anywhere in the page. */
class ConfigBrowserTest {
  private final Canaries canaries = new Canaries();
  private final String master = canaries.plant("master key", "sk-CANARY-console-master-Hq8Zt3");
  private final String apiKey = canaries.plant("provider api_key", "sk-CANARY-console-provider-Lw2Xv9");
  private final String header = canaries.plant("provider header", "CANARY-console-header-Pm5Rk1");
  private final String basePassword = canaries.plant("base_url password", "CANARYconsolebasepw-73");
  private final String client = canaries.plant("client key", "sk-CANARY-console-client-Ny4Bd6");
  private final String hook = canaries.plant("alert webhook path", "CANARY-console-hook-Jf7Qs2");

  @Test
  void showsTheConfigAndItsCheckWithEverySecretRedacted() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, master_key: "%s" }
        providers:
          - { name: up, type: openai, api_key: "%s", headers: { x-token: "%s" },
              base_url: "http://gw:%s@127.0.0.1:9/v1" }
        models:
          - { name: chat, targets: [ { provider: up, model: gpt-4o-mini } ] }
        keys:
          - { key: "%s", name: app, budget: { usd: "5", mode: soft,
              alert_webhook: "https://hooks.example.com/services/%s" } }
        """.formatted(master, apiKey, header, basePassword, client, hook);
    try (TestGateway gw = TestGateway.startWithConsole(yaml); ConsoleBrowser browser = new ConsoleBrowser()) {
      browser.signIn(gw, master);
      browser.open(gw.url("/ui/#/config"));
      String text = browser.find("#config-text").getText();
      assertThat(text).contains("\"name\": \"up\"").contains("\"api_key\": \"[redacted]\"")
          .contains("http://gw:***@127.0.0.1:9/v1").contains("https://hooks.example.com/[redacted]");
      assertThat(browser.find("#config-check").getText()).contains("valid").contains("1 providers, 1 models, 1 keys");
      assertThat(browser.find("#config-problems").getText()).isEqualTo("No problems.");
      canaries.surface("the config page's source", browser.driver().getPageSource());
      canaries.surface("the config page's text", browser.find("body").getText());
      canaries.assertNoneFound();
      browser.screenshot("config");
    }
  }

  @Test
  void aClientKeyHasNoConfigPage() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, master_key: "%s" }
        providers: [ { name: up, type: openai, api_key: "%s", base_url: "http://127.0.0.1:9/v1" } ]
        models: [ { name: chat, targets: [ { provider: up, model: gpt-4o-mini } ] } ]
        keys: [ { key: "%s", name: app } ]
        """.formatted(master, apiKey, client);
    try (TestGateway gw = TestGateway.startWithConsole(yaml); ConsoleBrowser browser = new ConsoleBrowser()) {
      browser.signIn(gw, client);
      assertThat(browser.driver().findElements(By.cssSelector("#nav a[data-page='config']"))).isEmpty();
      browser.open(gw.url("/ui/#/config"));
      browser.find("#nav a.active[data-page='overview']"); // the router falls back to a page the session may see
      assertThat(browser.driver().findElements(By.id("config-text"))).isEmpty();
      Object status = browser.script("return fetch('/admin/config', {credentials: 'same-origin'}).then(r => r.status)");
      assertThat(((Number) status).intValue()).isEqualTo(403); // a client session is refused by /admin
    }
  }
}
