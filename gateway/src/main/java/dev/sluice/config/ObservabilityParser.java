package dev.sluice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code observability:} and the {@code log_bodies:} of keys and teams. */
final class ObservabilityParser {
  private static final Set<String> KEYS = Set.of("otlp", "sample_ratio", "service_name", "retention");
  private static final Set<String> OTLP_KEYS = Set.of("endpoint", "protocol", "headers");
  private static final Set<String> RETENTION_KEYS = Set.of("requests", "bodies", "ledger", "stats");
  private static final Set<String> LOG_BODIES_KEYS = Set.of("enabled", "redact", "max_bytes");
  private static final Set<String> PROTOCOLS = Set.of("http/protobuf", "grpc");

  private ObservabilityParser() {}

  static ObservabilityConfig observability(ConfigNode o) {
    ObservabilityConfig d = ObservabilityConfig.DEFAULTS;
    if (o == null) {
      return d;
    }
    o.allowOnly(KEYS);
    String endpoint = null;
    String protocol = d.otlpProtocol();
    Map<String, String> headers = Map.of();
    ConfigNode otlp = o.object("otlp");
    if (otlp != null) {
      otlp.allowOnly(OTLP_KEYS);
      endpoint = otlp.string("endpoint", null);
      if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        otlp.problem("endpoint", "must be an http:// or https:// URL");
      }
      protocol = otlp.string("protocol", protocol);
      if (!PROTOCOLS.contains(protocol)) {
        otlp.problem("protocol", "must be http/protobuf or grpc");
      }
      headers = otlp.stringMap("headers");
    }
    String service = o.string("service_name", null);
    ObservabilityConfig.Retention r = d.retention();
    ConfigNode retention = o.object("retention");
    if (retention != null) {
      retention.allowOnly(RETENTION_KEYS);
      r = new ObservabilityConfig.Retention(retention.duration("requests", r.requests()),
          retention.duration("bodies", r.bodies()), retention.duration("ledger", r.ledger()),
          retention.duration("stats", r.stats()));
    }
    return new ObservabilityConfig(endpoint, protocol, headers, o.ratio("sample_ratio", d.sampleRatio()),
        service == null ? d.serviceName() : service, service != null, r);
  }

  /** A key's or team's {@code log_bodies:}, or null when it has none. */
  static LogBodiesConfig logBodies(ConfigNode l) {
    if (l == null) {
      return null;
    }
    l.allowOnly(LOG_BODIES_KEYS);
    List<Pattern> redact = new ArrayList<>();
    List<String> patterns = l.stringList("redact");
    for (int i = 0; i < patterns.size(); i++) {
      try {
        redact.add(Pattern.compile(patterns.get(i)));
      } catch (PatternSyntaxException e) {
        // Not the pattern itself: one written to catch a secret may be that secret.
        l.problem("redact", "pattern " + (i + 1) + " is not a valid regular expression: " + e.getDescription()
            + " at index " + e.getIndex());
      }
    }
    return new LogBodiesConfig(l.bool("enabled", true), redact,
        l.integer("max_bytes", LogBodiesConfig.DEFAULT_MAX_BYTES, 1, 16 * 1024 * 1024));
  }
}
