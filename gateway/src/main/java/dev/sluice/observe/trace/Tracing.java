package dev.sluice.observe.trace;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The gateway's tracing, on or off, and its lifecycle. Built once by the composition root: off
 * unless the config names an endpoint or service, or the {@code OTEL_*} environment asks for traces
 * (and {@code OTEL_SDK_DISABLED} / {@code OTEL_TRACES_EXPORTER=none} do not forbid them). Off is
 * {@link #OFF}: no SDK, and a {@link RequestTracer#OFF} that never makes a span. Thread-safe.
 */
public final class Tracing {
  public static final Tracing OFF = new Tracing(null, RequestTracer.OFF);

  private static final String SCOPE = "dev.sluice";
  /** The semantic-conventions release the span attributes follow (see {@link TraceKeys}). */
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";

  private final OpenTelemetrySdk sdk;
  private final RequestTracer tracer;

  private Tracing(OpenTelemetrySdk sdk, RequestTracer tracer) {
    this.sdk = sdk;
    this.tracer = tracer;
  }

  /**
   * Starts tracing when it is wanted, else returns {@link #OFF}. Blocks briefly when it builds the
   * SDK (class loading, exporter set-up): call off the event loops.
   *
   * @param env {@code OTEL_*} variable look-up ({@link OtelEnvironment#system()} in production)
   */
  public static Tracing start(TracingOptions options, Function<String, String> env) {
    if (!wanted(options, env)) {
      return OFF;
    }
    OpenTelemetrySdk sdk = SdkFactory.build(options);
    return new Tracing(sdk, new RequestTracer(
        sdk.getTracerProvider().tracerBuilder(SCOPE).setSchemaUrl(SCHEMA_URL).build(), Clock.getDefault()));
  }

  /** Whether the config or the environment asks for traces, and the environment does not forbid them. */
  public static boolean wanted(TracingOptions options, Function<String, String> env) {
    return !OtelEnvironment.forbidsTraces(env) && (options.configured() || OtelEnvironment.asksForTraces(env));
  }

  public boolean enabled() {
    return sdk != null;
  }

  public RequestTracer tracer() {
    return tracer;
  }

  /** Ends and exports every span still buffered, then stops the exporter; completes when done (never fails). */
  public CompletionStage<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (sdk == null) {
      done.complete(null);
      return done;
    }
    sdk.shutdown().whenComplete(() -> done.complete(null));
    return done;
  }
}
