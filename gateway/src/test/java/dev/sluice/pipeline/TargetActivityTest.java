package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ErrorClass;
import dev.sluice.core.Target;
import dev.sluice.core.UpstreamError;
import dev.sluice.resilience.BreakerState;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetActivityTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private final Target a = new Target("a", "m", 1);
  private final Target unused = new Target("c", "never", 1);
  private final TargetActivity activity = new TargetActivity(Clock.fixed(NOW, ZoneOffset.UTC), List.of(a, unused));

  @Test
  void configuredTargetsAreListedFromTheStartWithZeroCounts() {
    assertThat(activity.snapshot()).extracting(r -> r.target().label()).containsExactly("a/m", "c/never");
    TargetActivity.Recorded c = activity.snapshot().get(1);
    assertThat(c.attempts()).isZero();
    assertThat(c.headroom()).isNull();
    assertThat(c.recent()).isEmpty();
  }

  @Test
  void countsAttemptsByKindAndKeepsTheLastTwentyErrorsNewestFirstTrimmed() {
    activity.attempt(a, TargetActivity.Kind.FIRST);
    activity.attempt(a, TargetActivity.Kind.RETRY);
    activity.attempt(a, TargetActivity.Kind.HEDGE);
    activity.attempt(a, TargetActivity.Kind.FALLBACK);
    activity.succeeded(a);
    for (int i = 0; i < 25; i++) {
      activity.failed(a, UpstreamError.of(ErrorClass.SERVER_ERROR, 500, "error " + i));
    }
    activity.failed(a, UpstreamError.of(ErrorClass.OVERLOADED, 503, "x".repeat(1000)));
    TargetActivity.Recorded r = activity.snapshot().get(0);
    assertThat(List.of(r.attempts(), r.retries(), r.hedges(), r.fallbacks(), r.successes(), r.errors()))
        .containsExactly(4L, 1L, 1L, 1L, 1L, 26L);
    assertThat(r.recent()).hasSize(TargetActivity.RECENT_ERRORS);
    assertThat(r.recent().get(0).errorClass()).isEqualTo("overloaded");
    assertThat(r.recent().get(0).message()).hasSize(TargetActivity.MAX_MESSAGE);
    assertThat(r.recent().get(1).message()).isEqualTo("error 24");
    assertThat(r.recent().get(19).message()).isEqualTo("error 6");
  }

  @Test
  void readsOpenAiAndAnthropicHeadroomAndKeepsTheLastSeen() {
    activity.headroom(a, MultiMap.caseInsensitiveMultiMap().add("x-ratelimit-limit-requests", "100")
        .add("x-ratelimit-remaining-requests", "7").add("x-ratelimit-reset-requests", "6m0s"));
    activity.headroom(a, MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"));
    TargetReport.SeenHeadroom h = activity.snapshot().get(0).headroom();
    assertThat(h.requests()).isEqualTo(new TargetReport.SeenQuota(100L, 7L, "6m0s"));
    assertThat(h.tokens()).isNull();
    assertThat(h.seenAt()).isEqualTo(NOW);

    activity.headroom(a, MultiMap.caseInsensitiveMultiMap().add("anthropic-ratelimit-tokens-limit", "80000")
        .add("anthropic-ratelimit-tokens-remaining", "0").add("anthropic-ratelimit-tokens-reset", "2026-12-04T12:01:00Z")
        .add("anthropic-ratelimit-requests-remaining", "not-a-number")
        .add("anthropic-ratelimit-requests-reset", "<script>alert(1)</script>"));
    h = activity.snapshot().get(0).headroom();
    assertThat(h.tokens()).isEqualTo(new TargetReport.SeenQuota(80000L, 0L, "2026-12-04T12:01:00Z"));
    assertThat(h.requests()).as("nothing usable was sent for requests").isNull();
  }

  @Test
  void remembersWhenTheBreakerOpened() {
    activity.breakerChanged(a, BreakerState.OPEN);
    activity.breakerChanged(a, BreakerState.HALF_OPEN);
    assertThat(activity.snapshot().get(0).openedAt()).isEqualTo(NOW);
  }
}
