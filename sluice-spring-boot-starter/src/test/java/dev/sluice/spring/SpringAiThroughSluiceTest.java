package dev.sluice.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embed.Sluice;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with the starter and Spring AI's OpenAI starter: its {@link ChatClient},
 * pointed at {@code ${sluice.base-url}}, reaches the fake provider through the embedded Sluice (on
 * a free port), and Sluice's request log counts the call. Runs on Boot 3 here and on Boot 4 in
 * the spring-boot4-test module.
 */
@SpringBootTest(classes = SpringAiThroughSluiceTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
        "sluice.port=0",
        "spring.ai.openai.base-url=${sluice.base-url}",
        "spring.ai.openai.api-key=" + SpringAiThroughSluiceTest.APP_KEY,
        "spring.ai.openai.chat.options.model=chat"})
class SpringAiThroughSluiceTest {
  static final String APP_KEY = "sk-spring-app-key-0123456789";
  static final String MASTER = "sk-spring-master-key-0123456789";

  static final FakeOpenAi UPSTREAM;
  static final Path DIR;

  static {
    try {
      UPSTREAM = new FakeOpenAi();
      DIR = Files.createTempDirectory("sluice-spring");
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @DynamicPropertySource
  static void sluiceConfig(DynamicPropertyRegistry registry) {
    registry.add("sluice.config-yaml", () -> """
        server: { host: 127.0.0.1, master_key: %s, shutdown_grace: 5s }
        store: { url: "sqlite:%s" }
        providers:
          - { name: fake, type: openai-compatible, base_url: %s, api_key: sk-provider-secret-0123456789 }
        models:
          - { name: chat, targets: [ { provider: fake, model: upstream-model } ] }
        keys:
          - { key: %s, name: spring-app }
        """.formatted(MASTER, DIR.resolve("sluice.db"), UPSTREAM.baseUrl(), APP_KEY));
  }

  @AfterAll
  static void stopUpstream() {
    UPSTREAM.close();
  }

  @Autowired
  ChatClient.Builder chatClients;
  @Autowired
  Sluice sluice;
  @Autowired
  ConfigurableApplicationContext context;
  @Value("${sluice.base-url}")
  String baseUrl;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void chatClientReachesTheUpstreamThroughTheEmbeddedSluiceWhichCountsTheRequest() throws Exception {
    assertThat(sluice.port()).isPositive();
    assertThat(baseUrl).isEqualTo("http://127.0.0.1:" + sluice.port());

    String answer = chatClients.build().prompt().user("Say hello").call().content();

    assertThat(answer).isEqualTo(FakeOpenAi.ANSWER);
    assertThat(UPSTREAM.requests).hasSize(1);
    assertThat(UPSTREAM.requests.get(0)).contains("\"upstream-model\"").contains("Say hello");

    // Sluice's request log has the call, under the application's key and the model alias it asked for.
    JsonNode row = awaitOneLoggedRequest();
    assertThat(row.path("model").asText()).isEqualTo("chat");
    assertThat(row.path("status").asInt()).isEqualTo(200);
  }

  @Test
  void closingTheContextDrainsSluiceAndFreesItsPort() throws Exception {
    // A context of its own (not the cached one the other test uses), started and closed here.
    org.springframework.boot.SpringApplication app = new org.springframework.boot.SpringApplication(App.class);
    app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
    int port;
    try (ConfigurableApplicationContext own = app.run("--sluice.port=0",
        "--sluice.config-yaml=" + """
            server: { host: 127.0.0.1, shutdown_grace: 1s }
            store: { url: "sqlite:%s" }
            providers: [ { name: fake, type: openai-compatible, base_url: %s, api_key: sk-x } ]
            models: [ { name: chat, targets: [ { provider: fake, model: m } ] } ]
            keys: [ { key: %s, name: spring-app } ]
            """.formatted(DIR.resolve("own.db"), UPSTREAM.baseUrl(), APP_KEY),
        "--spring.ai.openai.api-key=unused")) {
      port = own.getBean(Sluice.class).port();
      assertThat(own.getEnvironment().getProperty("sluice.base-url")).isEqualTo("http://127.0.0.1:" + port);
    }
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  private JsonNode awaitOneLoggedRequest() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/requests?key=spring-app"))
          .header("authorization", "Bearer " + MASTER).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode rows = new ObjectMapper().readTree(res.body()).path("data");
      if (rows.size() == 1) {
        return rows.get(0);
      }
      assertThat(System.nanoTime() - deadline).as("the request never reached Sluice's request log").isNegative();
      Thread.sleep(20);
    }
  }
}
