package dev.sluice.observe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TokenUsage;
import dev.sluice.observe.RequestSummary;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.MultiMap;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans straight from the SDK into a list, with the time under the test's control. */
class RequestTraceTest {
  private final List<SpanData> exported = new CopyOnWriteArrayList<>();
  private final FakeClock clock = new FakeClock();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          exported.addAll(spans);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      }))
      .setClock(clock).build();
  private final RequestTracer tracer = new RequestTracer(provider.get("test"), clock);

  @AfterEach
  void close() {
    provider.close();
  }

  /** Epoch 1,000 s at nanoTime 5,000 s; the test moves both together. */
  static final class FakeClock implements Clock {
    long nanos = 5_000_000_000_000L;

    @Override
    public long now() {
      return nanos - 4_000_000_000_000L;
    }

    @Override
    public long nanoTime() {
      return nanos;
    }
  }

  private static RequestSummary summary(int status, String error, long latencyNanos) {
    return new RequestSummary("req-1", 0, "chat", "tester", "k1", null, "chat", "up", "m", status, error, false,
        false, latencyNanos, -1, 2_500_000, 0, new TokenUsage(10, 5, 0, 0, 0), 123, 1, null);
  }

  @Test
  void spanTimesFollowTheRequestsOwnNanoClock() {
    long arrived = clock.nanos;
    clock.nanos += 1_000_000; // 1 ms later the front opens the trace
    RequestTrace trace = tracer.begin("chat", "req-1", MultiMap.caseInsensitiveMultiMap(), arrived);
    clock.nanos += 2_000_000;
    AttemptSpan attempt = trace.attempt(TracePeer.named("up"), "m", "first", "CLOSED", "chat", false);
    attempt.end(new AttemptOutcome("ok", 200, new TokenUsage(10, 5, 0, 0, 0), false, 123, 7_000_000, 7_000_000));
    trace.end(summary(200, null, 20_000_000));

    SpanData server = exported.stream().filter(s -> s.getName().startsWith("chat chat")).findFirst().orElseThrow();
    SpanData client = exported.stream().filter(s -> s.getName().equals("chat m")).findFirst().orElseThrow();
    long epochArrived = 1_000_000_000_000L;
    assertThat(server.getStartEpochNanos()).isEqualTo(epochArrived);
    assertThat(server.getEndEpochNanos()).isEqualTo(epochArrived + 20_000_000);
    assertThat(client.getStartEpochNanos()).isEqualTo(epochArrived + 3_000_000);
    assertThat(client.getEndEpochNanos()).isEqualTo(epochArrived + 10_000_000);
    assertThat(server.getAttributes().get(AttributeKey.doubleKey("sluice.queue_wait_ms"))).isEqualTo(2.5);
  }

  @Test
  void aProviderGetsTheAttemptsTraceparentOnlyWhenItOptedIn() {
    RequestTrace trace = tracer.begin("chat", "req-1", MultiMap.caseInsensitiveMultiMap(), clock.nanos);
    AttemptSpan quiet = trace.attempt(new TracePeer("a", "a", "h", 1, false), "m", "first", null, "chat", false);
    AttemptSpan told = trace.attempt(new TracePeer("b", "b", "h", 1, true), "m", "retry", null, "chat", false);
    MultiMap toA = MultiMap.caseInsensitiveMultiMap();
    MultiMap toB = MultiMap.caseInsensitiveMultiMap();
    quiet.propagateInto(toA);
    told.propagateInto(toB);

    assertThat(toA.names()).isEmpty();
    // Flags: sampled, and (W3C level 2) a random trace id, which a new trace has.
    assertThat(toB.get("traceparent")).matches("00-" + trace.traceId() + "-" + told.spanId() + "-0[13]");
  }

  @Test
  void theCallersTracestateTravelsOnWithItsTrace() {
    MultiMap incoming = MultiMap.caseInsensitiveMultiMap()
        .add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .add("tracestate", "vendor=abc");
    RequestTrace trace = tracer.begin("chat", "req-1", incoming, clock.nanos);
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    trace.attempt(new TracePeer("b", "b", "h", 1, true), "m", "first", null, "chat", false).propagateInto(out);

    assertThat(trace.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(out.get("traceparent")).startsWith("00-0af7651916cd43dd8448eb211c80319c-");
    assertThat(out.get("tracestate")).isEqualTo("vendor=abc");
  }

  @Test
  void aServerSpanIsAnErrorOnlyWhenTheGatewayAnswered5xx() {
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    tracer.begin("chat", "r1", none, clock.nanos).end(summary(429, "rate_limit_exceeded", 1));
    tracer.begin("chat", "r2", none, clock.nanos).end(summary(502, "server_error", 1));

    assertThat(exported).hasSize(2);
    assertThat(exported.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("rate_limit_exceeded");
    assertThat(exported.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(exported.get(1).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("server_error");
    assertThat(exported.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void aSpanEndsOnce() {
    RequestTrace trace = tracer.begin("chat", "req-1", MultiMap.caseInsensitiveMultiMap(), clock.nanos);
    AttemptSpan attempt = trace.attempt(TracePeer.named("up"), "m", "first", null, "chat", false);
    AttemptOutcome lost = new AttemptOutcome("lost", 0, TokenUsage.ZERO, false, 0, 1, -1);
    attempt.end(lost);
    attempt.end(lost);
    trace.end(summary(200, null, 1));
    trace.end(summary(200, null, 1));

    assertThat(exported).hasSize(2);
    assertThat(exported.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .as("a hedge that lost did not fail").isNull();
  }
}
