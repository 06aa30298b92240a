package dev.sluice.server;

import dev.sluice.config.ObservabilityConfig;
import dev.sluice.config.ProviderConfig;
import dev.sluice.observe.trace.TracePeer;
import dev.sluice.observe.trace.TracingOptions;

/** Maps the config's {@code observability:} block and providers onto what {@code observe.trace} needs. */
final class TracingSetup {
  private TracingSetup() {}

  static TracingOptions options(ObservabilityConfig o) {
    return new TracingOptions(o.otlpEndpoint(), o.otlpProtocol(), o.otlpHeaders(), o.sampleRatio(),
        o.serviceNameSet() ? o.serviceName() : null);
  }

  /** @param baseUrl where its requests really go (a mock provider's own loopback address) */
  static TracePeer peer(ProviderConfig p, String baseUrl) {
    return TracePeer.of(p.name(), p.type().wireName(), baseUrl, p.propagateTrace());
  }
}
