package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ConsoleBrowser;
import dev.sluice.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ConsoleShellBrowserTest {
  private static final String CONFIG = """
      server:
        master_key: sk-master-console-test
      providers:
        - name: up
          type: openai
          base_url: http://127.0.0.1:9
          api_key: sk-up
      models:
        - name: chat
          targets: [{provider: up, model: gpt-4o-mini}]
      """;

  @Test
  void servesTheShellAndUplotFromTheJarWithoutTheNetwork() throws Exception {
    try (TestGateway gw = TestGateway.startWithConsole(CONFIG)) {
      HttpResponse<String> uplot = gw.get("/ui/vendor/uplot/uPlot.esm.js");
      assertThat(uplot.statusCode()).as(uplot.headers().map().toString()).isEqualTo(200);
      assertThat(uplot.body()).contains("uPlot");
      HttpResponse<String> shell = gw.get("/ui/");
      assertThat(shell.statusCode()).isEqualTo(200);
      assertThat(shell.body()).contains("/ui/assets/app.js").doesNotContain("http://", "https://");
    }
  }

  @Test
  void theShellRunsInChromiumAndLoadsUplot() throws Exception {
    try (TestGateway gw = TestGateway.startWithConsole(CONFIG); ConsoleBrowser browser = new ConsoleBrowser()) {
      browser.open(gw.url("/ui/"));
      Object loaded = browser.await(d -> browser.script(
          "return import('/ui/vendor/uplot/uPlot.esm.js').then(m => typeof m.default)"));
      assertThat(loaded).isEqualTo("function");
    }
  }
}
