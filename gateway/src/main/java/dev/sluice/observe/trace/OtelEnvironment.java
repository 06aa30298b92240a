package dev.sluice.observe.trace;

import java.util.Locale;
import java.util.function.Function;

/**
 * Reads whether the standard OpenTelemetry environment asks for traces, or forbids them.
 * Variables are looked up by their {@code OTEL_*} names; {@link #system()} also reads the
 * equivalent {@code -Dotel.*} system properties, as the SDK's autoconfiguration does.
 */
public final class OtelEnvironment {
  private OtelEnvironment() {}

  /** The process's environment, then its {@code otel.*} system properties. */
  public static Function<String, String> system() {
    return name -> {
      String v = System.getenv(name);
      return v != null ? v : System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
    };
  }

  /** An exporter endpoint, a traces exporter or a service name is set. */
  static boolean asksForTraces(Function<String, String> env) {
    return set(env, "OTEL_EXPORTER_OTLP_ENDPOINT") || set(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        || set(env, "OTEL_TRACES_EXPORTER") || set(env, "OTEL_SERVICE_NAME");
  }

  /** {@code OTEL_SDK_DISABLED=true} or {@code OTEL_TRACES_EXPORTER=none}: off, whatever the config says. */
  static boolean forbidsTraces(Function<String, String> env) {
    String disabled = env.apply("OTEL_SDK_DISABLED");
    String exporter = env.apply("OTEL_TRACES_EXPORTER");
    return disabled != null && disabled.trim().equalsIgnoreCase("true")
        || exporter != null && exporter.trim().equalsIgnoreCase("none");
  }

  private static boolean set(Function<String, String> env, String name) {
    String v = env.apply(name);
    return v != null && !v.isBlank();
  }
}
