package dev.sluice.observe.trace;

import java.util.Map;

/**
 * What the gateway's config says about traces (the composition root maps its
 * {@code observability:} block here, so this package need not see config). Immutable.
 *
 * @param endpoint OTLP endpoint; null when the config names none (then {@code OTEL_*} may)
 * @param protocol {@code http/protobuf} or {@code grpc}; applies to the config's endpoint only
 * @param headers sent with every export (the backend's API key); never logged
 * @param sampleRatio share of traces kept, 0..1, of requests that arrive without a {@code traceparent}
 *     (a caller's own sampling decision is kept)
 * @param serviceName {@code service.name}; null when the config names none
 */
public record TracingOptions(String endpoint, String protocol, Map<String, String> headers, double sampleRatio,
    String serviceName) {

  public static final TracingOptions NONE = new TracingOptions(null, "http/protobuf", Map.of(), 1.0, null);

  public TracingOptions {
    headers = Map.copyOf(headers);
  }

  /** Whether the config itself asks for traces: it names an endpoint or a service. */
  public boolean configured() {
    return endpoint != null || serviceName != null;
  }

  @Override
  public String toString() {
    return "TracingOptions[" + dev.sluice.core.Urls.redacted(endpoint) + " " + protocol + ", sample=" + sampleRatio
        + ", service=" + serviceName + "]";
  }
}
