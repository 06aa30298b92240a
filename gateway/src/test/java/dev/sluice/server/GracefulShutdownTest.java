package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.FakeResponse;
import dev.sluice.testing.FakeUpstream;
import dev.sluice.testing.OpenAiFixtures;
import dev.sluice.testing.RawHttpClient;
import dev.sluice.testing.TestGateway;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on a real gateway process: it stops accepting, and streams in flight finish. */
class GracefulShutdownTest {
  @RegisterExtension
  final FakeUpstream upstream = new FakeUpstream();
  @TempDir
  Path dir;

  @Test
  void sigtermLetsAnInFlightStreamFinishThenStopsAccepting() throws Exception {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      chunks.add(OpenAiFixtures.chunk("{\"content\":\"part" + i + " \"}", null));
    }
    chunks.add(OpenAiFixtures.chunk("{}", "stop"));
    upstream.enqueue(FakeResponse.openAiStream(chunks).eventInterval(150));
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(config, TestGateway.singleProvider(upstream.baseUrl(), "")
        .replace("server: { host: 127.0.0.1,", "server: { host: 127.0.0.1, shutdown_grace: 10s,"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.sluice.cli.Main",
        "serve", "-c", config.toString(), "--port", Integer.toString(port)).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("Sluice listening")) {
        // start-up log lines
      }
      assertThat(line).as("gateway started").isNotNull();

      try (RawHttpClient client = new RawHttpClient(port, 0)) {
        client.post("/v1/chat/completions", TestGateway.KEY, OpenAiFixtures.streamRequest(false));
        client.readUntil("part0");
        gateway.destroy(); // SIGTERM
        assertThat(waitUntilRefused(port)).as("stops accepting new connections").isTrue();
        String all = client.readUntil("data: [DONE]");
        for (int i = 0; i < 10; i++) {
          assertThat(all).contains("part" + i);
        }
      }
      assertThat(gateway.waitFor(15, TimeUnit.SECONDS)).as("exits after draining").isTrue();
      assertThat(gateway.exitValue()).isEqualTo(143); // 128 + SIGTERM, after shutdown hooks ran
    } finally {
      gateway.destroyForcibly();
    }
  }

  private static boolean waitUntilRefused(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        Thread.sleep(20);
      } catch (ConnectException refused) {
        return true;
      } catch (java.io.IOException other) {
        return true;
      }
    }
    return false;
  }
}
