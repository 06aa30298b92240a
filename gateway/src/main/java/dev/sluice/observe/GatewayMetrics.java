package dev.sluice.observe;

import dev.sluice.core.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics: requests, errors, latency and time-to-first-token histograms
 * and tokens, by model, provider and status. Thread-safe. Model tag values are capped (see
 * {@link TagValueLimiter}) because clients choose model names.
 */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TagValueLimiter models = new TagValueLimiter(500);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Meter.MeterProvider<Counter> requests;
  private final Meter.MeterProvider<Timer> latency;
  private final Meter.MeterProvider<Timer> ttft;
  private final Meter.MeterProvider<Counter> tokens;
  private final Meter.MeterProvider<Counter> upstreamErrors;
  private final Meter.MeterProvider<Timer> overhead;
  private final Meter.MeterProvider<Counter> attempts;
  private final Meter.MeterProvider<Timer> attemptLatency;
  // Resolved meters by tag values (see MeterCache), built by the providers above: same names and tags.
  private final MeterCache<RequestKey, RequestMeters> requestMeters;
  private final MeterCache<String, Timer> overheadMeters;
  private final MeterCache<ModelProvider, Timer> ttftMeters;
  private final MeterCache<ModelProvider, TokenCounters> tokenCounters;
  private final MeterCache<AttemptKey, AttemptMeters> attemptMeters;
  private final MeterCache<ProviderError, Counter> upstreamErrorMeters;

  private record RequestKey(String endpoint, String model, String provider, int status, boolean stream) {}

  private record RequestMeters(Counter requests, Timer latency) {}

  private record ModelProvider(String model, String provider) {}

  private record AttemptKey(String provider, String targetModel, String outcome, boolean hedge) {}

  private record AttemptMeters(Counter attempts, Timer latency) {}

  private record ProviderError(String provider, String errorClass) {}

  public GatewayMetrics() {
    requests = Counter.builder("sluice.requests").description("Client requests answered, by outcome")
        .withRegistry(registry);
    latency = Timer.builder("sluice.request.duration").description("Time from request to the last byte")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5)).withRegistry(registry);
    ttft = Timer.builder("sluice.time.to.first.token").description("Time from request to the first streamed token")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2)).withRegistry(registry);
    overhead = Timer.builder("sluice.overhead").description("Time spent inside Sluice, upstream excluded")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(1)).withRegistry(registry);
    tokens = Counter.builder("sluice.tokens").description("Tokens by kind").withRegistry(registry);
    upstreamErrors = Counter.builder("sluice.upstream.errors").description("Failed upstream attempts by error class")
        .withRegistry(registry);
    registry.gauge("sluice.requests.in.flight", inFlight);
    attempts = Counter.builder("sluice.attempts").description("Upstream attempts (retries, fail-overs, hedges included)")
        .withRegistry(registry);
    attemptLatency = Timer.builder("sluice.attempt.duration").description("Duration of one upstream attempt")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5)).withRegistry(registry);
    requestMeters = new MeterCache<>(k -> {
      Tags tags = Tags.of("endpoint", k.endpoint(), "model", k.model(), "provider", k.provider(),
          "status", Integer.toString(k.status()), "stream", Boolean.toString(k.stream()));
      return new RequestMeters(requests.withTags(tags), latency.withTags(tags));
    });
    overheadMeters = new MeterCache<>(endpoint -> overhead.withTags("endpoint", endpoint));
    ttftMeters = new MeterCache<>(k -> ttft.withTags("model", k.model(), "provider", k.provider()));
    tokenCounters = new MeterCache<>(
        k -> new TokenCounters(kind -> tokens.withTags("model", k.model(), "provider", k.provider(), "type", kind)));
    attemptMeters = new MeterCache<>(k -> {
      Tags tags = Tags.of("provider", k.provider(), "target_model", k.targetModel(), "outcome", k.outcome(),
          "hedge", Boolean.toString(k.hedge()));
      return new AttemptMeters(attempts.withTags(tags), attemptLatency.withTags(tags));
    });
    upstreamErrorMeters = new MeterCache<>(
        k -> upstreamErrors.withTags("provider", k.provider(), "error_class", k.errorClass()));
  }

  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  /**
   * Records a finished request.
   *
   * @param provider null when no provider was reached (auth, validation, unknown model)
   * @param ttftNanos negative when not a stream or no token came
   */
  public void requestFinished(String endpoint, String model, String provider, int status, boolean stream,
      long durationNanos, long ttftNanos, long overheadNanos) {
    inFlight.decrementAndGet();
    String m = models.limit(model);
    String p = provider == null ? "none" : provider;
    RequestMeters meters = requestMeters.get(new RequestKey(endpoint, m, p, status, stream));
    meters.requests.increment();
    meters.latency.record(durationNanos, TimeUnit.NANOSECONDS);
    if (overheadNanos >= 0) {
      overheadMeters.get(endpoint).record(overheadNanos, TimeUnit.NANOSECONDS);
    }
    if (ttftNanos >= 0) {
      ttftMeters.get(new ModelProvider(m, p)).record(ttftNanos, TimeUnit.NANOSECONDS);
    }
  }

  public void tokens(String model, String provider, TokenUsage usage) {
    TokenCounters counters = tokenCounters.get(new ModelProvider(models.limit(model), provider));
    counters.add(TokenCounters.INPUT, usage.input());
    counters.add(TokenCounters.OUTPUT, usage.output());
    counters.add(TokenCounters.CACHED_READ, usage.cachedRead());
    counters.add(TokenCounters.CACHE_WRITE, usage.cacheWrite());
    counters.add(TokenCounters.REASONING, usage.reasoning());
  }

  private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> breakerStates =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Circuit breaker state of a target: 0 closed, 1 open, 2 half-open (see BreakerState order). */
  public void breakerState(String target, int state) {
    breakerStates.computeIfAbsent(target, t -> registry.gauge("sluice.breaker.state",
        io.micrometer.core.instrument.Tags.of("target", t), new java.util.concurrent.atomic.AtomicInteger()))
        .set(state);
  }

  /**
   * Registers one upstream target's adaptive concurrency limit, read at scrape time:
   * {@code sluice_adaptive_concurrency_limit{target}}, {@code sluice_adaptive_concurrency_in_flight{target}}
   * and {@code sluice_adaptive_concurrency_cuts_total{target,cause=latency|dropped}} — what an operator
   * alerts on when a target answers 429 to requests its provider never saw. Registering a target again
   * keeps the first registration (a target's limit lives as long as the gateway).
   */
  public void adaptiveLimit(String target, java.util.function.IntSupplier limit,
      java.util.function.IntSupplier inFlight, java.util.function.LongSupplier latencyCuts,
      java.util.function.LongSupplier dropCuts) {
    io.micrometer.core.instrument.Gauge.builder("sluice.adaptive.concurrency.limit", limit,
            java.util.function.IntSupplier::getAsInt)
        .description("A target's adaptive concurrency limit: attempts it may have in flight now")
        .tag("target", target).strongReference(true).register(registry);
    io.micrometer.core.instrument.Gauge.builder("sluice.adaptive.concurrency.in.flight", inFlight,
            java.util.function.IntSupplier::getAsInt)
        .description("Attempts in flight to a target, as its adaptive concurrency limit counts them")
        .tag("target", target).strongReference(true).register(registry);
    String[] causes = {"latency", "dropped"};
    java.util.function.LongSupplier[] counts = {latencyCuts, dropCuts};
    for (int i = 0; i < causes.length; i++) {
      functionSources.add(counts[i]); // the registry holds a function counter's state object weakly
      io.micrometer.core.instrument.FunctionCounter.builder("sluice.adaptive.concurrency.cuts", counts[i],
              LongSupplierValue.INSTANCE)
          .description("Decreases of a target's adaptive concurrency limit, by cause")
          .tags("target", target, "cause", causes[i]).register(registry);
    }
  }

  /** One upstream attempt: its outcome (ok, an error class, lost, deadline ...), latency and TTFT. */
  public void attempt(String provider, String targetModel, String outcome, boolean hedge, long latencyNanos,
      long ttftNanos) {
    AttemptMeters meters = attemptMeters.get(new AttemptKey(provider, models.limit(targetModel), outcome, hedge));
    meters.attempts.increment();
    meters.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  private final AtomicInteger redisShared = new AtomicInteger(1);
  private final Counter redisSwitches = Counter.builder("sluice.redis.fallback.transitions")
      .description("Switches between Redis-shared limits and the configured failure mode").register(registry);

  /** Whether rate limits are shared through Redis (1) or in the configured failure mode (0). */
  public void redisMode(boolean shared) {
    if (redisShared.getAndSet(shared ? 1 : 0) != (shared ? 1 : 0)) {
      redisSwitches.increment();
    }
  }

  /** An attempt that used tokens of a model with no known price: flagged, never priced at zero silently. */
  public void unpriced(String provider, String targetModel) {
    unpricedMeters.get(new ModelProvider(models.limit(targetModel), provider)).increment();
  }

  private final Meter.MeterProvider<Counter> unpriced = Counter.builder("sluice.unpriced.attempts")
      .description("Attempts of models without a known price (their cost is recorded as unknown)")
      .withRegistry(registry);
  private final MeterCache<ModelProvider, Counter> unpricedMeters =
      new MeterCache<>(k -> unpriced.withTags("provider", k.provider(), "target_model", k.model()));

  /**
   * Registers one outcome count of client-key lookups, {@code sluice_key_lookups_total{result}}:
   * {@code cache_hit}, {@code store_found}, {@code store_unknown}, {@code store_error}, {@code busy}.
   * The count is read from {@code count} at scrape time (the auth hot path only bumps an adder).
   */
  public void keyLookups(String result, java.util.function.LongSupplier count) {
    functionSources.add(count); // the registry holds its state object weakly
    io.micrometer.core.instrument.FunctionCounter.builder("sluice.key.lookups", count, LongSupplierValue.INSTANCE)
        .description("Client key lookups by where the answer came from").tag("result", result).register(registry);
  }

  /**
   * Registers the response cache's counts, read at scrape time: {@code sluice_response_cache_total{result}}
   * ({@code hit}, {@code miss}, {@code bypass}, {@code refresh}), and the in-process size as
   * {@code sluice_response_cache_bytes} and {@code sluice_response_cache_entries}, and the requests waiting
   * for an identical one's answer, {@code sluice_response_cache_coalesced}.
   */
  public void responseCache(java.util.function.LongSupplier hits, java.util.function.LongSupplier misses,
      java.util.function.LongSupplier bypasses, java.util.function.LongSupplier refreshes,
      java.util.function.LongSupplier bytes, java.util.function.LongSupplier entries,
      java.util.function.LongSupplier coalesced) {
    String[] results = {"hit", "miss", "bypass", "refresh"};
    java.util.function.LongSupplier[] counts = {hits, misses, bypasses, refreshes};
    for (int i = 0; i < results.length; i++) {
      functionSources.add(counts[i]); // the registry holds its state object weakly
      io.micrometer.core.instrument.FunctionCounter.builder("sluice.response.cache", counts[i],
          LongSupplierValue.INSTANCE).description("Response cache look-ups by result").tag("result", results[i])
          .register(registry);
    }
    functionSources.add(bytes);
    functionSources.add(entries);
    io.micrometer.core.instrument.Gauge.builder("sluice.response.cache.bytes", bytes, LongSupplierValue.INSTANCE)
        .description("Bytes of answers in the in-process response cache").register(registry);
    io.micrometer.core.instrument.Gauge.builder("sluice.response.cache.entries", entries, LongSupplierValue.INSTANCE)
        .description("Answers in the in-process response cache").register(registry);
    functionSources.add(coalesced);
    io.micrometer.core.instrument.Gauge.builder("sluice.response.cache.coalesced", coalesced, LongSupplierValue.INSTANCE)
        .description("Requests waiting for an identical request's answer (coalesce: true)").register(registry);
  }

  /**
   * Registers the usage ledger writer's counts and levels, read at scrape time:
   * {@code sluice_ledger_rows_total{outcome}} (ledger and request-log rows: {@code written} to the store,
   * {@code spilled} to the journal, {@code replayed} from it, {@code dropped}: neither),
   * {@code sluice_ledger_queued_rows} (in memory, for the store), {@code sluice_ledger_overflow_rows}
   * (overflowed, in memory, for the journal), {@code sluice_ledger_held_rows} (neither the store nor the
   * journal took them: in memory for the next retry), {@code sluice_ledger_behind} (1 while billed requests are
   * refused because those are past their mark), {@code sluice_ledger_store_up} (0 from a failed store
   * write until a journal replay succeeds; meanwhile batches go to the journal) and
   * {@code sluice_ledger_journal_up} (0 from a failed journal write until one succeeds).
   */
  public void ledger(java.util.Map<String, java.util.function.LongSupplier> rowsByOutcome,
      java.util.function.LongSupplier queued, java.util.function.LongSupplier overflowing,
      java.util.function.LongSupplier held, java.util.function.BooleanSupplier behind, java.util.function.BooleanSupplier storeUp,
      java.util.function.BooleanSupplier journalUp) {
    rowsByOutcome.forEach((outcome, count) -> {
      functionSources.add(count); // the registry holds its state object weakly
      io.micrometer.core.instrument.FunctionCounter.builder("sluice.ledger.rows", count, LongSupplierValue.INSTANCE)
          .description("Ledger and request-log rows by what became of them").tag("outcome", outcome).register(registry);
    });
    java.util.function.LongSupplier behindFlag = () -> behind.getAsBoolean() ? 1 : 0;
    java.util.function.LongSupplier upFlag = () -> storeUp.getAsBoolean() ? 1 : 0;
    java.util.function.LongSupplier journalFlag = () -> journalUp.getAsBoolean() ? 1 : 0;
    gauge("sluice.ledger.queued.rows", queued, "Ledger rows in memory waiting for the store");
    gauge("sluice.ledger.overflow.rows", overflowing, "Ledger rows that overflowed the queue, in memory waiting for the journal");
    gauge("sluice.ledger.held.rows", held,
        "Ledger rows neither the store nor the journal took, in memory for the next retry (lost on a kill)");
    gauge("sluice.ledger.behind", behindFlag, "1 while billed requests are refused because the ledger cannot keep up");
    gauge("sluice.ledger.store.up", upFlag, "0 while ledger batches go to the journal because a store write failed");
    gauge("sluice.ledger.journal.up", journalFlag, "0 while the ledger journal's writes fail (rows needing it are held)");
  }

  private void gauge(String name, java.util.function.LongSupplier value, String description) {
    functionSources.add(value);
    io.micrometer.core.instrument.Gauge.builder(name, value, LongSupplierValue.INSTANCE).description(description)
        .register(registry);
  }

  /** The suppliers of the function counters and gauges registered here: the registry holds them only weakly. */
  private final java.util.List<java.util.function.LongSupplier> functionSources =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private enum LongSupplierValue implements java.util.function.ToDoubleFunction<java.util.function.LongSupplier> {
    INSTANCE;

    @Override
    public double applyAsDouble(java.util.function.LongSupplier s) {
      return s.getAsLong();
    }
  }

  /**
   * A request not copied to a shadow candidate, {@code sluice_shadow_dropped_total{model,candidate,reason}}:
   * reason {@code sample}, {@code pressure}, {@code concurrency} or {@code spend_cap}. Names come from the config.
   */
  public void shadowDropped(String model, String candidate, String reason) {
    shadowMeters.computeIfAbsent("dropped\u0000" + model + "\u0000" + candidate + "\u0000" + reason,
        k -> Counter.builder("sluice.shadow.dropped").description("Requests not copied to a shadow candidate")
            .tags("model", model, "candidate", candidate, "reason", reason).register(registry)).increment();
  }

  /** A shadow call made, {@code sluice_shadow_calls_total{model,candidate,outcome}}: ok or its error class. */
  public void shadowCall(String model, String candidate, String outcome) {
    shadowMeters.computeIfAbsent("call\u0000" + model + "\u0000" + candidate + "\u0000" + outcome,
        k -> Counter.builder("sluice.shadow.calls").description("Shadow calls made, by outcome")
            .tags("model", model, "candidate", candidate, "outcome", outcome).register(registry)).increment();
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Counter> shadowMeters =
      new java.util.concurrent.ConcurrentHashMap<>();

  public void upstreamError(String provider, String errorClass) {
    upstreamErrorMeters.get(new ProviderError(provider, errorClass)).increment();
  }

  private final GenAiMetrics genAi = new GenAiMetrics(registry);

  /**
   * One upstream attempt of a chat request as a GenAI client operation ({@code gen_ai.client.*}).
   *
   * @param errorType null when the attempt succeeded, else its outcome (an error class, lost, deadline …)
   */
  public void genAiAttempt(String provider, String targetModel, String errorType, long latencyNanos,
      TokenUsage usage) {
    String m = models.limit(targetModel);
    genAi.clientAttempt("chat", provider, m, m, errorType, latencyNanos, usage.input(), usage.output());
  }

  /** A streamed chat answer that produced a first token ({@code gen_ai.server.*}). */
  public void genAiStream(String requestModel, String provider, String targetModel, long ttftNanos, long totalNanos,
      long outputTokens) {
    genAi.serverStream("chat", provider == null ? "none" : provider, models.limit(requestModel),
        models.limit(targetModel), ttftNanos, totalNanos, outputTokens);
  }

  private record CostKey(String model, String provider, String team) {}

  private final Meter.MeterProvider<Counter> cost = Counter.builder("sluice.cost").baseUnit("usd")
      .description("What upstream attempts cost, all attempts of a request included").withRegistry(registry);
  private final MeterCache<CostKey, Counter> costMeters =
      new MeterCache<>(k -> cost.withTags("model", k.model(), "provider", k.provider(), "team", k.team()));

  /** What one client request's attempts cost, in micro-USD (exposed in USD: a rate, never a balance). */
  public void cost(String model, String provider, String team, long micros) {
    if (micros > 0) {
      costMeters.get(new CostKey(models.limit(model), provider == null ? "none" : provider,
          team == null ? "none" : teams.limit(team))).increment(micros / 1e6);
    }
  }

  private final TagValueLimiter teams = new TagValueLimiter(500);

  /**
   * Registers {@code sluice_budget_used_ratio{scope,id}}: spend in the current period over the
   * limit, read from {@code ratio} at scrape time. Call once per budget (key or team).
   */
  public void budgetUsage(String scope, String id, java.util.function.DoubleSupplier ratio) {
    io.micrometer.core.instrument.Gauge.builder("sluice.budget.used.ratio", ratio,
            java.util.function.DoubleSupplier::getAsDouble)
        .description("Share of its budget a key or team has spent this period (1 = the whole budget)")
        .tags("scope", scope, "id", id).strongReference(true).register(registry);
  }

  /** Registers {@code sluice_canary_percent{model}}: the share of the model's requests sent to its canary now. */
  public void canaryPercent(String model, java.util.function.DoubleSupplier percent) {
    io.micrometer.core.instrument.Gauge.builder("sluice.canary.percent", percent,
            java.util.function.DoubleSupplier::getAsDouble)
        .description("Percent of a model's requests sent to its canary now").tags("model", model)
        .strongReference(true).register(registry);
  }

  /** Counts {@code sluice_canary_rollbacks_total{model}}: a canary rolled back to 0%. */
  public void canaryRollback(String model) {
    Counter.builder("sluice.canary.rollbacks").description("Canaries rolled back to 0%").tag("model", model)
        .register(registry).increment();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
