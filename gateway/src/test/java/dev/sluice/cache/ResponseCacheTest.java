package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.openai.ChatCompletion;
import dev.sluice.api.openai.ChatMessage;
import dev.sluice.core.ChatResponse;
import dev.sluice.core.TokenUsage;
import dev.sluice.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-process tier: expiry on the injected ticker, the byte bound, and the key and scope check on read. */
class ResponseCacheTest {
  private static final CachePolicy POLICY = new CachePolicy(Duration.ofHours(1), 1 << 20, 64 << 10, false,
      CacheScope.TEAM, false, Duration.ofSeconds(30));

  private static ChatResponse answer(String text) {
    TokenUsage usage = new TokenUsage(3, 2, 0, 0, 0);
    return new ChatResponse(new ChatCompletion("id-1", 1, "m", List.of(new ChatCompletion.Choice(0,
        ChatMessage.of("assistant", text), "stop")), usage.toOpenAi(), null), usage, null);
  }

  @Test
  void anAnswerExpiresAtItsOwnTtlOnTheTicker() {
    FakeTicker ticker = new FakeTicker();
    ResponseCache cache = new ResponseCache(Map.of("chat", POLICY), ticker, null);
    cache.put("chat", "k1", "team:a", 10_000, POLICY.maxEntryBytes(), 5, "p", "m", answer("one"));
    cache.put("chat", "k2", "team:a", 60_000, POLICY.maxEntryBytes(), 5, "p", "m", answer("two"));
    ticker.advanceSeconds(9);
    assertThat(cache.getLocal("chat", "k1", "team:a")).isNotNull();
    assertThat(cache.getLocal("chat", "k1", "team:a").ageSeconds(cache.nowMillis())).isEqualTo(9);
    ticker.advanceSeconds(2);
    assertThat(cache.getLocal("chat", "k1", "team:a")).isNull();
    assertThat(cache.getLocal("chat", "k2", "team:a")).isNotNull();
    ticker.advanceSeconds(50);
    assertThat(cache.getLocal("chat", "k2", "team:a")).isNull();
  }

  @Test
  void anAnswerIsNeverServedToAnotherScopeOrKey() {
    ResponseCache cache = new ResponseCache(Map.of("chat", POLICY), new FakeTicker(), null);
    cache.put("chat", "k1", "team:a", 10_000, POLICY.maxEntryBytes(), 5, "p", "m", answer("one"));
    assertThat(cache.getLocal("chat", "k1", "team:b")).isNull();
    assertThat(cache.getLocal("chat", "k1", "team:a").response().body().choices().get(0).message().content().text())
        .isEqualTo("one");
    assertThat(cache.getLocal("other", "k1", "team:a")).isNull();
  }

  @Test
  void theInProcessTierIsBoundedByBytesAndOversizedAnswersAreNotStored() {
    ResponseCache cache = new ResponseCache(Map.of("chat", POLICY), new FakeTicker(), null);
    assertThat(cache.put("chat", "big", "s", 10_000, 1024, 5, "p", "m", answer("x".repeat(2000)))).isNull();
    assertThat(cache.getLocal("chat", "big", "s")).isNull();
    for (int i = 0; i < 200; i++) {
      assertThat(cache.put("chat", "k" + i, "s", 10_000, POLICY.maxEntryBytes(), 5, "p", "m", answer("y".repeat(1000))))
          .isNotNull();
    }
    assertThat(cache.bytes()).isLessThanOrEqualTo(64 << 10).isPositive();
    assertThat(cache.entries()).isLessThan(200);
  }

  @Test
  void storedBytesDecodeToTheSameAnswer() {
    ChatResponse original = answer("round trip");
    byte[] bytes = AnswerCodec.encode("k", "team:a", 1000, 2000, 39, "up", "m1", original);
    CachedAnswer back = AnswerCodec.decode(bytes);
    assertThat(back.response().body()).isEqualTo(original.body());
    assertThat(back.response().usage()).isEqualTo(original.usage());
    assertThat(back.savedMicros()).isEqualTo(39);
    assertThat(back.scope()).isEqualTo("team:a");
    assertThat(back.bytes()).isEqualTo(bytes.length);
  }
}
