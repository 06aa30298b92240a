package dev.sluice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Routing savings from ledger rows: the baseline is the entry's first target; losses count as negative. */
class RoutingSavingsTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  /** chat: first a/big, then b/small. */
  private static final Map<String, List<Target>> ENTRIES = Map.of("chat",
      List.of(new Target("a", "big", 1), new Target("b", "small", 1)));
  /** µUSD per token: a/big 10, b/small 1, c/dear 100; x/unknown has no price. */
  private static final Map<String, Long> PER_TOKEN = Map.of("a/big", 10L, "b/small", 1L, "c/dear", 100L);

  private static OptionalLong price(Target t, TokenUsage u) {
    Long p = PER_TOKEN.get(t.label());
    return p == null ? OptionalLong.empty() : OptionalLong.of(p * (u.input() + u.output()));
  }

  private static LedgerRow row(String request, int attempt, String provider, String model, Outcome outcome,
      long tokens, boolean fallback) {
    Long p = PER_TOKEN.get(provider + "/" + model);
    return LedgerRow.builder(request, attempt, T).key("app", null, null).target("chat", provider, model)
        .outcome(outcome).tokens(tokens, 0, 0, 0, 0).cost(p == null ? 0 : p * tokens, p != null, false)
        .fallback(fallback).build();
  }

  private static RoutingSavings measure(LedgerRow... rows) {
    return RoutingSavings.of(List.of(rows), m -> ENTRIES.getOrDefault(m, List.of()), RoutingSavingsTest::price);
  }

  @Test
  void aFailoverToACheaperTargetSavesTheDifferenceFailedAttemptsIncluded() {
    RoutingSavings s = measure(row("r1", 1, "a", "big", Outcome.ERROR, 5, false),
        row("r1", 2, "b", "small", Outcome.OK, 100, false));
    assertThat(s.answered()).isEqualTo(1);
    assertThat(s.rerouted()).isEqualTo(1);
    assertThat(s.atFirstTargetMicros()).isEqualTo(1000);
    assertThat(s.recordedMicros()).isEqualTo(50 + 100);
    assertThat(s.savedMicros()).isEqualTo(850);
    assertThat(s.byModel()).singleElement().satisfies(m -> assertThat(m.firstTarget()).isEqualTo("a/big"));
  }

  @Test
  void shadowCallsAreNeitherRoutingNorPromptCacheSavingsNorReplayedTraffic() {
    LedgerRow call = row("r1", 1, "a", "big", Outcome.OK, 100, false);
    LedgerRow shadow = row("shadow:r1:cheap", 1, "b", "small", Outcome.OK, 100, false).toBuilder()
        .key("shadow", null, null).tokens(100, 0, 50, 0, 0).kind(dev.sluice.store.RowKind.SHADOW).build();
    RoutingSavings s = measure(call, shadow);
    assertThat(s.answered()).isEqualTo(1);
    assertThat(s.rerouted()).isZero();
    assertThat(PromptCacheSavings.of(List.of(shadow), RoutingSavingsTest::price).attempts()).isZero();
    var replay = SpendReplay.of(List.of(call, shadow), T.minusSeconds(1), null,
        dev.sluice.cost.PriceCatalog.bundled().find("openai", "gpt-4o-mini").orElseThrow());
    assertThat(replay.attempts()).isEqualTo(1);
  }

  @Test
  void requestsAnsweredByTheirFirstTargetSaveNothingAndADearerFallbackIsANegativeSaving() {
    RoutingSavings s = measure(row("r1", 1, "a", "big", Outcome.OK, 100, false),
        row("r2", 1, "c", "dear", Outcome.OK, 10, true));
    assertThat(s.answered()).isEqualTo(2);
    assertThat(s.rerouted()).isEqualTo(1);
    assertThat(s.fallbacks()).isEqualTo(1);
    assertThat(s.savedMicros()).isEqualTo(10 * 10 - 10 * 100);
  }

  @Test
  void unansweredDirectAndUnpricedRequestsAreNotSummed() {
    RoutingSavings s = measure(row("r1", 1, "a", "big", Outcome.ERROR, 0, false),
        row("r2", 1, "x", "unknown", Outcome.OK, 10, false),
        LedgerRow.builder("r3", 1, T).key("app", null, null).target("b/small", "b", "small").tokens(10, 0, 0, 0, 0)
            .cost(10, true, false).build());
    assertThat(s.answered()).isEqualTo(2);
    assertThat(s.rerouted()).isEqualTo(1);
    assertThat(s.unpriced()).isEqualTo(1);
    assertThat(s.recordedMicros()).isZero();
    assertThat(s.atFirstTargetMicros()).isZero();
  }
}
