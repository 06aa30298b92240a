package dev.sluice.cli;

import dev.sluice.mock.MockUpstream;
import dev.sluice.mock.MockUpstreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice mock-upstream}: a standalone fault-injecting fake provider to aim tests at. */
@Command(name = "mock-upstream", mixinStandardHelpOptions = true,
    description = {"Run a fake LLM provider speaking the OpenAI, Anthropic and Gemini wire formats.",
        "Faults per request: a path prefix /fault/<spec>/... or a header 'x-mock-fault: <spec>'.",
        "Spec items: latency=250ms jitter=100ms chunk_delay=20ms status=503 error_rate=0.2",
        "retry_after=2 hang reset cut_after=3 words=200"})
final class MockUpstreamCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8090", description = "port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--fault", defaultValue = "", description = "default fault spec for every request")
  String fault;

  @Option(names = "--seed", description = "random seed for jitter and error_rate (reproducible runs)")
  Long seed;

  @Option(names = "--tls-cert", description = "PEM certificate (chain): serve HTTPS, with HTTP/2 by ALPN (needs --tls-key)")
  String tlsCert;

  @Option(names = "--tls-key", description = "PEM private key of --tls-cert")
  String tlsKey;

  @Option(names = "--event-loops", defaultValue = "1", description = "event loops serving connections (default ${DEFAULT-VALUE})")
  int eventLoops;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    MockUpstreamOptions.Builder options = MockUpstreamOptions.builder().host(host).port(port).defaultFault(fault)
        .eventLoops(eventLoops);
    if (seed != null) {
      options.seed(seed);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      System.err.println("sluice: --tls-cert and --tls-key go together");
      vertx.close();
      return 2;
    }
    if (tlsCert != null) {
      options.tls(new PemKeyCertOptions().setCertPath(tlsCert).setKeyPath(tlsKey));
    }
    try {
      MockUpstream mock = MockUpstream.start(vertx, options.build()).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      System.out.println("mock upstream listening on " + mock.baseUrl()
          + "  (OpenAI: /v1/chat/completions, Anthropic: /v1/messages, Gemini: /v1beta/models/M:generateContent)");
      return 0;
    } catch (Exception e) {
      System.err.println("sluice: could not start the mock upstream: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      vertx.close();
      return 1;
    }
  }
}
