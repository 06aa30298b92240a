package dev.sluice.observe.trace;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds the OpenTelemetry SDK through its autoconfiguration, so every standard {@code OTEL_*}
 * variable (and {@code -Dotel.*} property) works. What the config file sets wins over the
 * environment: the file can read the environment itself ({@code ${env:...}}), the other way round
 * is not possible. Only traces are exported: Sluice's metrics are Prometheus, it emits no OTel logs.
 */
final class SdkFactory {
  static final String DEFAULT_SERVICE_NAME = "sluice";

  private SdkFactory() {}

  /** Blocks briefly (class loading, exporter set-up): call off the event loops. */
  static OpenTelemetrySdk build(TracingOptions options) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .disableShutdownHook() // the gateway flushes in its own shutdown, after the fronts drained
        // Defaults the environment may override. reusable_data: the exporter marshals spans into buffers
        // it keeps, instead of a fresh object graph per export (less garbage at sample 1.0 under load).
        .addPropertiesSupplier(() -> Map.of("otel.service.name", DEFAULT_SERVICE_NAME,
            "otel.java.exporter.memory_mode", "reusable_data"))
        .addPropertiesCustomizer(props -> overrides(options))
        .addSamplerCustomizer((sampler, props) -> samplerOf(props, sampler, options.sampleRatio()))
        .build()
        .getOpenTelemetrySdk();
  }

  /** Properties that take precedence over the environment: what the config file set. */
  static Map<String, String> overrides(TracingOptions o) {
    Map<String, String> out = new HashMap<>();
    out.put("otel.metrics.exporter", "none");
    out.put("otel.logs.exporter", "none");
    if (o.serviceName() != null) {
      out.put("otel.service.name", o.serviceName());
    }
    if (o.endpoint() != null) {
      // The signal-specific keys, so an OTEL_EXPORTER_OTLP_TRACES_* variable cannot override the file.
      out.put("otel.exporter.otlp.traces.protocol", o.protocol());
      out.put("otel.exporter.otlp.traces.endpoint", tracesEndpoint(o.endpoint(), o.protocol()));
    }
    if (!o.headers().isEmpty()) {
      out.put("otel.exporter.otlp.traces.headers", headers(o.headers()));
    }
    return out;
  }

  /**
   * The config names the collector's base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} does: over
   * HTTP the traces path is appended (unless it is already there); gRPC takes it as it is.
   */
  static String tracesEndpoint(String endpoint, String protocol) {
    if (!"http/protobuf".equals(protocol) || endpoint.endsWith("/v1/traces")) {
      return endpoint;
    }
    return (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint) + "/v1/traces";
  }

  /**
   * {@code k1=v1,k2=v2}, values percent-encoded: the exporter decodes them
   * (a value may hold {@code ,} or {@code =}).
   */
  static String headers(Map<String, String> headers) {
    StringJoiner out = new StringJoiner(",");
    headers.forEach((k, v) -> out.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
    return out.toString();
  }

  /** {@code OTEL_TRACES_SAMPLER} wins when set; else {@link #sampler(double)}. */
  private static Sampler samplerOf(ConfigProperties props, Sampler configured, double ratio) {
    return props.getString("otel.traces.sampler") != null ? configured : sampler(ratio);
  }

  /**
   * Parent-based, as W3C trace context means it: a caller's decision is kept (a sampled
   * {@code traceparent} is always recorded, an unsampled one never); a request that arrives without
   * one is kept at {@code ratio}, by trace id (so replicas agree). Attempt spans follow their
   * request's span.
   */
  static Sampler sampler(double ratio) {
    return Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
  }
}
