package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class TokenCountMemoTest {
  private static final String PROMPT = "You are the support assistant of a shop. Answer in two sentences. ".repeat(8);

  private final AtomicInteger counted = new AtomicInteger();
  /** A stand-in tokenizer that says how often it ran: one token per character. */
  private final ToIntFunction<String> counter = text -> {
    counted.incrementAndGet();
    return text.length();
  };

  @Test
  void aLongTextSentAgainIsNotCountedAgain() {
    TokenCountMemo memo = new TokenCountMemo(100);

    assertThat(memo.count(0, PROMPT, counter)).isEqualTo(PROMPT.length());
    // the same text in another String, as each request parses its own
    assertThat(memo.count(0, new String(PROMPT.toCharArray()), counter)).isEqualTo(PROMPT.length());

    assertThat(counted.get()).isEqualTo(1);
  }

  @Test
  void recallAnswersOnlyWhatWasCountedAndNeverCounts() {
    TokenCountMemo memo = new TokenCountMemo(100);

    assertThat(memo.recall(TokenCountMemo.key(0, PROMPT))).as("not counted yet").isNull();
    memo.count(0, PROMPT, counter);
    assertThat(memo.recall(TokenCountMemo.key(0, new String(PROMPT.toCharArray())))).isEqualTo(PROMPT.length());
    assertThat(memo.recall(TokenCountMemo.key(1, PROMPT))).as("another encoding").isNull();
    String shortText = "Hi there";
    memo.count(0, shortText, counter);
    assertThat(memo.recall(TokenCountMemo.key(0, shortText))).as("short texts are never remembered").isNull();
    assertThat(counted.get()).isEqualTo(2);
  }

  @Test
  void textsThatDifferAnywhereAreCountedEachOnItsOwn() {
    TokenCountMemo memo = new TokenCountMemo(100_000);
    int texts = 0;
    char[] chars = PROMPT.toCharArray();
    // one character changed at each position, and two neighbours swapped at each position: same
    // length and same characters, so only the order tells them apart
    for (int i = 0; i < chars.length; i++) {
      char[] changed = chars.clone();
      changed[i] = '#';
      memo.count(0, new String(changed), counter);
      texts++;
      if (i + 1 < chars.length && chars[i] != chars[i + 1]) {
        char[] swapped = chars.clone();
        swapped[i] = chars[i + 1];
        swapped[i + 1] = chars[i];
        memo.count(0, new String(swapped), counter);
        texts++;
      }
    }
    memo.count(0, PROMPT, counter);
    memo.count(0, PROMPT + " ", counter);
    texts += 2;

    assertThat(counted.get()).isEqualTo(texts);
    assertThat(memo.size()).isEqualTo(texts);
  }

  @Test
  void eachEncodingHasItsOwnCount() {
    TokenCountMemo memo = new TokenCountMemo(100);

    memo.count(0, PROMPT, counter);
    memo.count(1, PROMPT, text -> 7);

    assertThat(memo.count(1, PROMPT, counter)).isEqualTo(7);
    assertThat(memo.count(0, PROMPT, counter)).isEqualTo(PROMPT.length());
    assertThat(counted.get()).isEqualTo(1);
  }

  @Test
  void shortTextsAreCountedEveryTimeAndNotKept() {
    TokenCountMemo memo = new TokenCountMemo(100);
    String shortText = "x".repeat(TokenCountMemo.MIN_CHARS - 1);

    memo.count(0, shortText, counter);
    memo.count(0, shortText, counter);

    assertThat(counted.get()).isEqualTo(2);
    assertThat(memo.size()).isZero();
  }

  @Test
  void itKeepsNoMoreTextsThanItsBound() {
    TokenCountMemo memo = new TokenCountMemo(50);
    for (int i = 0; i < 1_000; i++) {
      memo.count(0, i + PROMPT, counter);
    }

    assertThat(memo.size()).isLessThanOrEqualTo(50);
    assertThat(counted.get()).isEqualTo(1_000);
  }
}
