package dev.sluice.observe;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry GenAI semantic-convention metrics (semconv v1.41.0 as the spans, GenAI "development" status), beside
 * the {@code sluice_*} ones: Sluice is a GenAI client of each provider (per upstream attempt) and a
 * GenAI server to its own clients (per client request). Bucket boundaries are the convention's
 * advice; attribute names are the convention's with dots as underscores in Prometheus
 * ({@code gen_ai_provider_name}). Model values come capped through the caller's
 * {@link TagValueLimiter}. Thread-safe; recording only increments resolved meters.
 */
final class GenAiMetrics {
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
  static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
  static final String TIME_PER_OUTPUT_TOKEN = "gen_ai.server.time_per_output_token";

  private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
      4194304, 16777216, 67108864};
  private static final double[] DURATION_BUCKETS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
      20.48, 40.96, 81.92};
  private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
      2.5, 5.0, 7.5, 10.0};
  private static final double[] PER_TOKEN_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
      1.0, 2.5};

  /** One resolved set of attribute values; {@code errorType} null when the operation succeeded. */
  private record Key(String operation, String provider, String requestModel, String responseModel,
      String errorType) {
    /**
     * Prometheus needs one label set per metric name, so {@code error.type} is always there: empty
     * (which Prometheus treats as absent) when the operation succeeded.
     */
    Tags tags() {
      return Tags.of("gen_ai.operation.name", operation, "gen_ai.provider.name", provider,
          "gen_ai.request.model", requestModel, "gen_ai.response.model", responseModel,
          "error.type", errorType == null ? "" : errorType);
    }
  }

  private record ClientMeters(DistributionSummary input, DistributionSummary output, Timer duration) {}

  private record ServerMeters(Timer ttft, Timer perOutputToken) {}

  private final MeterCache<Key, ClientMeters> client;
  private final MeterCache<Key, ServerMeters> server;

  GenAiMetrics(MeterRegistry registry) {
    Meter.MeterProvider<DistributionSummary> tokens = DistributionSummary.builder(TOKEN_USAGE)
        .description("Number of input and output tokens used, per upstream attempt")
        .serviceLevelObjectives(TOKEN_BUCKETS).withRegistry(registry);
    Meter.MeterProvider<Timer> duration = Timer.builder(OPERATION_DURATION)
        .description("GenAI operation duration, per upstream attempt")
        .serviceLevelObjectives(seconds(DURATION_BUCKETS)).withRegistry(registry);
    Meter.MeterProvider<Timer> ttft = Timer.builder(TIME_TO_FIRST_TOKEN)
        .description("Time to generate the first token, per streamed client request")
        .serviceLevelObjectives(seconds(TTFT_BUCKETS)).withRegistry(registry);
    Meter.MeterProvider<Timer> perToken = Timer.builder(TIME_PER_OUTPUT_TOKEN)
        .description("Time per output token generated after the first, per streamed client request")
        .serviceLevelObjectives(seconds(PER_TOKEN_BUCKETS)).withRegistry(registry);
    client = new MeterCache<>(k -> {
      Tags t = k.tags();
      return new ClientMeters(tokens.withTags(t.and("gen_ai.token.type", "input")),
          tokens.withTags(t.and("gen_ai.token.type", "output")), duration.withTags(t));
    });
    server = new MeterCache<>(k -> new ServerMeters(ttft.withTags(k.tags()), perToken.withTags(k.tags())));
  }

  /** One upstream attempt; tokens are recorded only when the attempt reported (or was estimated to use) some. */
  void clientAttempt(String operation, String provider, String requestModel, String responseModel, String errorType,
      long durationNanos, long inputTokens, long outputTokens) {
    ClientMeters m = client.get(new Key(operation, provider, requestModel, responseModel, errorType));
    m.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    if (inputTokens > 0 || outputTokens > 0) {
      m.input.record(inputTokens);
      m.output.record(outputTokens);
    }
  }

  /**
   * One streamed client request that produced a first token; the per-token time is recorded when
   * more than one output token came ((total - first token) / (output tokens - 1)).
   */
  void serverStream(String operation, String provider, String requestModel, String responseModel, long ttftNanos,
      long totalNanos, long outputTokens) {
    ServerMeters m = server.get(new Key(operation, provider, requestModel, responseModel, null));
    m.ttft.record(ttftNanos, TimeUnit.NANOSECONDS);
    if (outputTokens > 1 && totalNanos > ttftNanos) {
      m.perOutputToken.record((totalNanos - ttftNanos) / (outputTokens - 1), TimeUnit.NANOSECONDS);
    }
  }

  private static Duration[] seconds(double[] bounds) {
    Duration[] out = new Duration[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      out[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
    }
    return out;
  }
}
