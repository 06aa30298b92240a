package dev.sluice.console;

import static dev.sluice.testing.KeysApi.admin;
import static dev.sluice.testing.KeysApi.createKey;
import static dev.sluice.testing.KeysApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.KeysApi;
import dev.sluice.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Signing in to the console in headless Chromium: the master key sees every page, a client key
 * only its own; the page runs under the console's Content-Security-Policy; and a page of another
 * origin that POSTs to the admin API with the visitor's session cookie creates nothing.
 */
class ConsoleSignInBrowserTest {
  private static final String CONFIG = """
      server: { host: 127.0.0.1, master_key: %s }
      providers:
        - { name: mock, type: mock }
      models:
        - name: chat
          targets: [ { provider: mock, model: mock-model } ]
      """.formatted(KeysApi.MASTER);

  private TestGateway gw;
  private ConsoleBrowser browser;

  @BeforeEach
  void start() throws Exception {
    gw = TestGateway.startWithConsole(CONFIG);
    browser = new ConsoleBrowser();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      browser.close();
    } finally {
      gw.close();
    }
  }

  @Test
  void theMasterKeySignsInAndSeesEveryPageAndAWrongKeyIsToldSo() throws Exception {
    browser.open(gw.url("/ui/"));
    browser.await(d -> d.getCurrentUrl().endsWith("/ui/login") ? true : null); // not signed in: sent to sign in
    browser.find("#key");
    browser.screenshot("console-sign-in");

    browser.find("#key").sendKeys("sk-sluice-not-a-key-of-this-gateway");
    browser.find("#sign-in").click();
    WebElement error = browser.find("#login-error");
    assertThat(error.getText()).contains("not accepted");
    assertThat(browser.driver().getPageSource()).doesNotContain("sk-sluice-not-a-key-of-this-gateway");

    browser.signIn(gw, KeysApi.MASTER);
    assertThat(navPages()).containsExactly("overview", "providers", "requests", "keys", "cost", "config");
    assertThat(browser.find("#who").getText()).contains("admin").contains("Sign out");
    // HttpOnly: the page's scripts cannot read the session cookie.
    assertThat(browser.script("return document.cookie")).isEqualTo("");
    browser.screenshot("console-signed-in-admin");

    browser.find("#who button[type=submit]").click();
    browser.await(d -> d.getCurrentUrl().endsWith("/ui/login") ? true : null);
    browser.open(gw.url("/ui/"));
    browser.await(d -> d.getCurrentUrl().endsWith("/ui/login") ? true : null);
  }

  @Test
  void chartsDrawUnderTheConsolesContentSecurityPolicy() throws Exception {
    browser.signIn(gw, KeysApi.MASTER);
    Object result = browser.script("""
        const violations = [];
        document.addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective + ' ' + e.blockedURI));
        const host = document.createElement('div');
        host.id = 'csp-probe';
        document.body.append(host);
        return import('/ui/assets/charts.js').then(m => {
          m.lineChart(host, { title: 'probe', unit: 'ms', windowLabel: 'last 15 min', x: [1, 2, 3],
            series: [{ label: 'p99', values: [10, 30, 20] }] });
          return new Promise(r => setTimeout(r, 200)).then(() => {
            const canvas = host.querySelector('canvas');
            const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let ink = 0;
            for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) ink++;
            return { violations, ink, styled: getComputedStyle(document.querySelector('.top')).display };
          });
        });
        """);
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) result;
    assertThat((List<?>) r.get("violations")).isEmpty();
    assertThat(((Number) r.get("ink")).longValue()).as("pixels drawn on the chart's canvas").isGreaterThan(100);
    assertThat(r.get("styled")).as("style.css applies under style-src 'self'").isEqualTo("flex");
  }

  @Test
  void aClientKeySeesOnlyItsOwnPagesAndTheAdminApiRefusesIt() throws Exception {
    JsonNode key = createKey(gw, "{\"name\":\"team-svc\"}");
    browser.signIn(gw, key.path("key").asText());
    assertThat(navPages()).containsExactly("overview", "requests", "cost");
    assertThat(browser.find("#who").getText()).contains("team-svc");

    browser.script("location.hash = '#/keys'");
    browser.await(d -> "overview".equals(browser.script(
        "const a = document.querySelector('#nav a.active'); return a && a.dataset.page")) ? true : null);
    assertThat(navPages()).doesNotContain("keys");
    assertThat(browser.script("return fetch('/admin/keys').then(r => r.status)")).isEqualTo(403L);
    assertThat(browser.script("return fetch('/admin/keys', {method: 'POST', headers: {'content-type': 'application/json'},"
        + " body: '{\"name\":\"from-client\"}'}).then(r => r.status)")).isEqualTo(403L);
    assertThat(browser.script("return fetch('/v1/sluice/key').then(r => r.json()).then(j => j.name)")).isEqualTo("team-svc");
    browser.screenshot("console-signed-in-client");
    assertThat(keyNames()).doesNotContain("from-client");
  }

  @Test
  void aPageOfAnotherOriginCannotCreateAKeyWithTheVisitorsSession() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String target = gw.url("/admin/keys");
      // What a hostile page would do: a form posting JSON-looking text/plain, and a no-cors fetch.
      String page = """
          <!doctype html><html><body>
          <form id="f" method="post" action="%s" enctype="text/plain">
            <input name='{"name":"csrf-form","pad":"' value='"}'>
          </form>
          <script>
            fetch('%s', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"name":"csrf-fetch"}' })
              .finally(() => { document.title = 'fetched'; document.getElementById('f').submit(); });
          </script>
          </body></html>
          """.formatted(target, target);
      HttpServer evil = Await.await(vertx.createHttpServer()
          .requestHandler(req -> req.response().putHeader("content-type", "text/html").end(page))
          .listen(0, "127.0.0.1"));
      browser.signIn(gw, KeysApi.MASTER);

      // Same site (127.0.0.1, another port): the Strict cookie goes along; the missing CSRF token stops it.
      browser.open("http://127.0.0.1:" + evil.actualPort() + "/");
      browser.await(d -> d.getPageSource().contains("csrf_token_missing") ? true : null);
      // Another site (localhost): the browser does not even send the cookie.
      browser.open("http://localhost:" + evil.actualPort() + "/");
      browser.await(d -> d.getPageSource().contains("authentication_error") ? true : null);
      browser.screenshot("console-cross-site-post-refused");

      assertThat(keyNames()).doesNotContain("csrf-form", "csrf-fetch");
      // The session itself still works for the console's own page.
      browser.open(gw.url("/ui/"));
      browser.find("#nav a");
      assertThat(browser.script("return fetch('/admin/keys', {method: 'POST', headers: {'content-type': 'application/json',"
          + " 'x-csrf-token': 'guess'}, body: '{\"name\":\"guessed\"}'}).then(r => r.status)")).isEqualTo(403L);
      assertThat(keyNames()).doesNotContain("guessed");
    } finally {
      Await.await(vertx.close());
    }
  }

  private List<String> navPages() {
    return browser.driver().findElements(By.cssSelector("#nav a")).stream().map(a -> a.getDomAttribute("data-page")).toList();
  }

  private List<String> keyNames() throws Exception {
    return json(admin(gw, "GET", "/admin/keys", null)).path("data").findValuesAsText("name");
  }
}
