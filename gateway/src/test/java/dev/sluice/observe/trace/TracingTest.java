package dev.sluice.observe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TracingTest {
  private static final TracingOptions WITH_ENDPOINT =
      new TracingOptions("http://127.0.0.1:4318", "http/protobuf", Map.of(), 1.0, null);

  @Test
  void withoutConfigOrEnvironmentTracingIsOffAndItsTracerMakesNothing() throws Exception {
    Tracing tracing = Tracing.start(TracingOptions.NONE, Map.<String, String>of()::get);

    assertThat(tracing).isSameAs(Tracing.OFF);
    assertThat(tracing.enabled()).isFalse();
    assertThat(tracing.tracer()).isSameAs(RequestTracer.OFF);
    assertThat(tracing.tracer().enabled()).isFalse();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(tracing.tracer().begin("chat", "req-1", headers, System.nanoTime())).isNull();
    tracing.shutdown().toCompletableFuture().get(1, TimeUnit.SECONDS);
  }

  @Test
  void theOffTracerAllocatesNothingPerRequest() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    RequestTracer off = RequestTracer.OFF;
    for (int i = 0; i < 10_000; i++) {
      off.begin("chat", "req", headers, i); // warm up, so the measured loop runs compiled code
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    int traces = 0;
    for (int i = 0; i < 100_000; i++) {
      if (off.begin("chat", "req", headers, i) != null) {
        traces++;
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(traces).isZero();
    // One object per request would be at least 1.6 MB; what remains is the JVM's own noise.
    assertThat(allocated).as("bytes allocated by 100,000 requests with tracing off").isLessThan(100_000);
  }

  @Test
  void theConfigTurnsTracingOnWithAnEndpointOrAServiceName() {
    Map<String, String> none = Map.of();
    assertThat(Tracing.wanted(WITH_ENDPOINT, none::get)).isTrue();
    assertThat(Tracing.wanted(new TracingOptions(null, "http/protobuf", Map.of(), 1.0, "gw"), none::get)).isTrue();
    assertThat(Tracing.wanted(TracingOptions.NONE, none::get)).isFalse();
  }

  @Test
  void theOtelEnvironmentTurnsTracingOn() {
    for (String variable : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_TRACES_EXPORTER", "OTEL_SERVICE_NAME"}) {
      assertThat(Tracing.wanted(TracingOptions.NONE, Map.of(variable, "x")::get)).as(variable).isTrue();
      assertThat(Tracing.wanted(TracingOptions.NONE, Map.of(variable, " ")::get)).as(variable + " blank").isFalse();
    }
    assertThat(Tracing.wanted(TracingOptions.NONE, Map.of("OTEL_METRICS_EXPORTER", "otlp")::get)).isFalse();
  }

  @Test
  void aDisabledSdkOrANoneTracesExporterKeepsTracingOffWhateverTheConfigSays() {
    assertThat(Tracing.wanted(WITH_ENDPOINT, Map.of("OTEL_SDK_DISABLED", "true")::get)).isFalse();
    assertThat(Tracing.wanted(WITH_ENDPOINT, Map.of("OTEL_TRACES_EXPORTER", "none")::get)).isFalse();
    assertThat(Tracing.wanted(WITH_ENDPOINT, Map.of("OTEL_SDK_DISABLED", "false")::get)).isTrue();
  }

  @Test
  void bothOtlpProtocolsOfTheConfigStartAnSdk() throws Exception {
    for (String protocol : new String[] {"http/protobuf", "grpc"}) {
      Tracing tracing = Tracing.start(new TracingOptions("http://127.0.0.1:1", protocol, Map.of("k", "v"), 0.5, "gw"),
          Map.<String, String>of()::get);
      assertThat(tracing.enabled()).as(protocol).isTrue();
      assertThat(tracing.tracer().enabled()).isTrue();
      tracing.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyTheGenAiEndpointsAreTraced() {
    assertThat(RequestTracer.operation("chat")).isEqualTo("chat");
    assertThat(RequestTracer.operation("messages")).isEqualTo("chat");
    assertThat(RequestTracer.operation("embeddings")).isEqualTo("embeddings");
    assertThat(RequestTracer.operation("models")).isNull();
    assertThat(RequestTracer.operation("count_tokens")).isNull();
  }
}
