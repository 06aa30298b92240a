package dev.sluice.spring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake OpenAI-compatible provider on a free loopback port: every chat completion answers {@link #ANSWER}. */
final class FakeOpenAi implements AutoCloseable {
  static final String ANSWER = "Hello from the fake upstream";

  private final HttpServer server;
  /** The bodies of the chat completions it answered, in order. */
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeOpenAi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] body = ("""
          {"id":"chatcmpl-fake","object":"chat.completion","created":1741569952,"model":"upstream-model",
           "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
           "usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}""").formatted(ANSWER)
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  /** The provider's base URL as a Sluice {@code base_url}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
