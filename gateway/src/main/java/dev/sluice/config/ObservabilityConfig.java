package dev.sluice.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code observability:} block: where traces go, how many are kept, and how long the request
 * log, stored bodies and ledger rows are kept. Immutable.
 *
 * @param otlpEndpoint null: no OTLP endpoint in the config (the standard {@code OTEL_*} variables may
 *     still name one)
 * @param otlpProtocol {@code http/protobuf} or {@code grpc}
 * @param otlpHeaders sent with every export (an API key of the trace backend); never printed
 * @param sampleRatio share of traces kept, 0..1, for requests that do not arrive with a sampled parent
 * @param serviceName {@code service.name} of the spans
 * @param serviceNameSet whether the config named the service (setting it, like an endpoint, turns tracing on)
 */
public record ObservabilityConfig(String otlpEndpoint, String otlpProtocol, Map<String, String> otlpHeaders,
    double sampleRatio, String serviceName, boolean serviceNameSet, Retention retention) {

  public static final ObservabilityConfig DEFAULTS = new ObservabilityConfig(null, "http/protobuf", Map.of(), 1.0,
      "sluice", false, Retention.DEFAULTS);

  public ObservabilityConfig {
    otlpHeaders = Map.copyOf(otlpHeaders);
  }

  /** Whether the config itself asks for traces (the {@code OTEL_*} environment may too). */
  public boolean tracingConfigured() {
    return otlpEndpoint != null || serviceNameSet;
  }

  /**
   * How long each kind of record is kept before a background job deletes it.
   *
   * @param stats the per-minute stats rollups of {@code /admin/stats} (every grain)
   */
  public record Retention(Duration requests, Duration bodies, Duration ledger, Duration stats) {
    public static final Retention DEFAULTS = new Retention(Duration.ofDays(30), Duration.ofDays(7),
        Duration.ofDays(400), Duration.ofDays(90));
  }

  @Override
  public String toString() {
    return "ObservabilityConfig[" + dev.sluice.core.Urls.redacted(otlpEndpoint) + " " + otlpProtocol
        + ", sample=" + sampleRatio + "]";
  }
}
