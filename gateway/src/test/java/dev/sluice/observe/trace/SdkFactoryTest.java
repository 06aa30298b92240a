package dev.sluice.observe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdkFactoryTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void theConfigsEndpointIsTheCollectorsBaseUrlAndWinsOverTheEnvironment() {
    Map<String, String> http = SdkFactory.overrides(
        new TracingOptions("http://collector:4318", "http/protobuf", Map.of(), 1.0, null));
    assertThat(http).containsEntry("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces")
        .containsEntry("otel.exporter.otlp.traces.protocol", "http/protobuf")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .doesNotContainKey("otel.service.name")
        .doesNotContainKey("otel.exporter.otlp.traces.headers");
    assertThat(SdkFactory.tracesEndpoint("http://c:4318/", "http/protobuf")).isEqualTo("http://c:4318/v1/traces");
    assertThat(SdkFactory.tracesEndpoint("http://c:4318/v1/traces", "http/protobuf"))
        .isEqualTo("http://c:4318/v1/traces");
    assertThat(SdkFactory.tracesEndpoint("http://c:4317", "grpc")).isEqualTo("http://c:4317");
  }

  @Test
  void withoutAnEndpointTheEnvironmentChoosesWhereTracesGo() {
    Map<String, String> o = SdkFactory.overrides(new TracingOptions(null, "grpc", Map.of(), 1.0, "gateway-eu"));
    assertThat(o).containsEntry("otel.service.name", "gateway-eu")
        .doesNotContainKey("otel.exporter.otlp.traces.endpoint")
        .doesNotContainKey("otel.exporter.otlp.traces.protocol");
  }

  @Test
  void headerValuesArePercentEncodedSoCommasAndEqualsSurvive() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-api-key", "a,b=c d+e");
    headers.put("x-team", "ops");
    String encoded = SdkFactory.headers(headers);
    assertThat(encoded).isEqualTo("x-api-key=a%2Cb%3Dc%20d%2Be,x-team=ops");
    String value = encoded.split(",")[0].split("=", 2)[1];
    assertThat(URLDecoder.decode(value, StandardCharsets.UTF_8)).isEqualTo("a,b=c d+e");
  }

  @Test
  void aRequestWithoutTraceparentIsKeptAtTheSampleRatio() {
    assertThat(decide(SdkFactory.sampler(0.0), Context.root())).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(SdkFactory.sampler(1.0), Context.root())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void theCallersSamplingDecisionIsKept() {
    assertThat(decide(SdkFactory.sampler(0.0), remoteParent(true))).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(SdkFactory.sampler(1.0), remoteParent(false))).isEqualTo(SamplingDecision.DROP);
  }

  private static Context remoteParent(boolean sampled) {
    return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE, "b7ad6b7169203331",
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
  }

  private static SamplingDecision decide(Sampler sampler, Context parent) {
    return sampler.shouldSample(parent, TRACE, "chat", SpanKind.SERVER, Attributes.empty(), List.of()).getDecision();
  }
}
