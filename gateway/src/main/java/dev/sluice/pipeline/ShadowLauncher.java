package dev.sluice.pipeline;

import dev.sluice.config.ModelConfig;
import dev.sluice.config.ShadowConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.ChatRequest;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.switching.shadow.ShadowDrop;
import dev.sluice.switching.shadow.ShadowGate;
import dev.sluice.switching.shadow.ShadowSpend;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Copies sampled requests of model entries with a {@code shadow} list to their candidates, after
 * the primary answered (or alongside it with {@code parallel: true}), without touching the
 * client's request: the copy is not admitted through the client's rate limits, reserves nothing of
 * its budgets, takes no adaptive-limit slot, is no attempt of its request (not in its request log,
 * headers or breakers), and its answer goes nowhere but the comparison. Each candidate has its own
 * sample, concurrency cap and daily spend cap ({@link ShadowGate}); a copy is dropped, and counted,
 * when one is reached or the gateway is under pressure (a request waits in the admission queue, or
 * the candidate's target is at its adaptive concurrency limit). Thread-safe; calls run on the
 * request's event loop.
 */
final class ShadowLauncher {
  /** One configured candidate of one model entry. */
  record Shadow(String entry, ShadowConfig config, ShadowGate gate) {}

  private final Map<String, List<Shadow>> byEntry;
  private final ShadowRecorder recorder;

  private ShadowLauncher(Map<String, List<Shadow>> byEntry, ShadowRecorder recorder) {
    this.byEntry = byEntry;
    this.recorder = recorder;
  }

  /** The shadows of every model entry; spend counted in Redis when {@code redis} is not null. */
  static ShadowLauncher from(SluiceConfig config, io.vertx.redis.client.Redis redis, ShadowRecorder recorder) {
    ShadowSpend spend = redis == null ? ShadowSpend.local() : ShadowSpend.redis(redis);
    Map<String, List<Shadow>> byEntry = new HashMap<>();
    for (ModelConfig m : config.models()) {
      List<Shadow> list = new ArrayList<>();
      for (ShadowConfig s : m.shadow()) {
        long cap = s.maxUsdPerDay() == null ? -1
            : s.maxUsdPerDay().multiply(BigDecimal.valueOf(1_000_000)).longValueExact();
        list.add(new Shadow(m.name(), s, new ShadowGate(m.name() + ":" + s.model(), s.sample(), s.maxConcurrency(),
            cap, spend, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble())));
      }
      if (!list.isEmpty()) {
        byEntry.put(m.name(), List.copyOf(list));
      }
    }
    return new ShadowLauncher(Map.copyOf(byEntry), recorder);
  }

  /** The configured shadows of {@code entry}, for tests and reports. */
  List<Shadow> shadowsOf(String entry) {
    return byEntry.getOrDefault(entry, List.of());
  }

  /**
   * Called once a request is admitted, just before its execution starts: samples the entry's
   * candidates and arranges their copies. Does nothing (one map lookup) for an entry without shadows.
   */
  void begin(Services s, Exchange ex, ChatRequest request, long inputEstimate) {
    List<Shadow> shadows = byEntry.get(request.model());
    if (shadows == null) {
      return;
    }
    List<Shadow> chosen = new ArrayList<>(shadows.size());
    for (Shadow sh : shadows) {
      if (sh.gate().sampled()) {
        chosen.add(sh);
      } else {
        s.metrics().shadowDropped(sh.entry(), sh.config().model(), ShadowDrop.SAMPLE.wire());
      }
    }
    if (chosen.isEmpty()) {
      return;
    }
    ShadowAnswers tap = request.stream() ? new ShadowAnswers() : null;
    if (tap != null) {
      ex.chunkTap = tap;
    }
    Promise<ShadowSide> primary = Promise.promise();
    ex.onFinish(() -> primary.tryComplete(primarySide(s, ex, tap)));
    Context context = Vertx.currentContext();
    for (Shadow sh : chosen) {
      if (sh.config().parallel()) {
        launch(s, ex.requestId, request, Services.facts(ex.principal, request.model()), sh, primary.future(),
            inputEstimate);
      } else {
        // After the client's answer is complete: the finish step only schedules it.
        Handler<Void> after = v -> {
          if (!ex.clientDisconnected) {
            launch(s, ex.requestId, request, Services.facts(ex.principal, request.model()), sh, primary.future(),
            inputEstimate);
          }
        };
        primary.future().onComplete(p -> {
          if (context != null) {
            context.runOnContext(after);
          } else {
            after.handle(null);
          }
        });
      }
    }
  }

  /** @param facts the client's request as system prompt templates see it: the candidate is adapted like a target */
  private void launch(Services s, String requestId, ChatRequest request, dev.sluice.switching.RequestFacts facts,
      Shadow sh, Future<ShadowSide> primary, long inputEstimate) {
    String candidateName = sh.config().model();
    ChatRequest copy = request.withModel(candidateName);
    Optional<Services.Resolved> resolved;
    try {
      resolved = s.route(candidateName, copy, facts);
    } catch (FrontDoor.FrontDoorException notCapable) {
      resolved = Optional.empty();
    }
    if (resolved.isEmpty()) {
      // The candidate cannot serve this request (capabilities, a parameter it rejects): a failed pair.
      Future<ShadowSide> none = Future.succeededFuture(ShadowSide.failed(null, null, 0, 0, "not_capable"));
      recorder.record(s, requestId, request, sh, primary, none, null);
      return;
    }
    Candidate c = resolved.get().candidates().get(0);
    var limit = s.flow().adaptive(c.target().label());
    if (s.flow().queueing() || limit.inFlight() >= limit.limit()) {
      s.metrics().shadowDropped(sh.entry(), candidateName, ShadowDrop.PRESSURE.wire());
      return;
    }
    long worst = worstCase(s, c, inputEstimate, s.flow().reserveOutput(copy, candidateName));
    sh.gate().admit(worst).onComplete(ar -> {
      if (ar.failed()) {
        ShadowDrop why = ar.cause() instanceof ShadowGate.Dropped d ? d.reason() : ShadowDrop.SPEND_CAP;
        s.metrics().shadowDropped(sh.entry(), candidateName, why.wire());
        return;
      }
      recorder.record(s, requestId, request, sh, primary, ShadowCall.run(c, s.pricing(), inputEstimate), ar.result());
    });
  }

  /** The most the copy can cost on the candidate (0 when its price is unknown: such calls cost nothing known). */
  private static long worstCase(Services s, Candidate c, long inputEstimate, long outputReserve) {
    return s.pricing().priceFor(c.target())
        .map(p -> dev.sluice.cost.WorstCase.worstCase(p, inputEstimate, outputReserve).value()).orElse(0L);
  }

  /** What the client's request got: its answering attempt (or its last one), and the answer the client saw. */
  private static ShadowSide primarySide(Services s, Exchange ex, ShadowAnswers tap) {
    UpstreamAttempt answered = null;
    for (UpstreamAttempt a : ex.attempts) {
      if ("ok".equals(a.outcome())) {
        answered = a;
      }
    }
    UpstreamAttempt last = answered != null ? answered : ex.attempts.isEmpty() ? null
        : ex.attempts.get(ex.attempts.size() - 1);
    if (last == null) {
      return ShadowSide.failed(null, null, 0, 0, ex.errorClass == null ? "no_attempt" : ex.errorClass);
    }
    TokenUsage usage = last.usage(ex.inputEstimate).usage();
    Cost cost = s.pricing().cost(last.target(), usage);
    String error = ex.clientDisconnected ? "client_gone" : answered == null || ex.errorClass != null
        ? (ex.errorClass == null ? last.outcome() : ex.errorClass) : null;
    var answer = error != null ? null : tap != null ? tap.answer() : ShadowAnswers.of(last.response());
    return new ShadowSide(last.target(), last.providerName(), last.latencyNanos(), last.ttftNanos(), usage,
        cost.total().value(), cost.priceKnown(), last.usage(ex.inputEstimate).estimated(), last.status(), error,
        answer);
  }
}
