package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admission.TokenEstimator.Family;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final TokenEstimator estimator = new TokenEstimator();
  private static final String ENGLISH = "The quick brown fox jumps over the lazy dog while the gateway keeps latency predictable.";

  @BeforeAll
  static void warmUp() {
    estimator.warmUp();
  }

  @Test
  void modelNamesMapToTheirTokenizerFamily() {
    assertThat(TokenEstimator.family("gpt-4o-mini")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("openai/gpt-4.1")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("gpt-5")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("o1")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("o3-mini")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("o4-mini-2025-04-16")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("ft:gpt-4o-mini:acme::abc")).isEqualTo(Family.O200K);
    assertThat(TokenEstimator.family("gpt-4-turbo")).isEqualTo(Family.CL100K);
    assertThat(TokenEstimator.family("gpt-3.5-turbo")).isEqualTo(Family.CL100K);
    assertThat(TokenEstimator.family("claude-sonnet-4-5")).isEqualTo(Family.CLAUDE);
    assertThat(TokenEstimator.family("anthropic/claude-3-haiku")).isEqualTo(Family.CLAUDE);
    assertThat(TokenEstimator.family("gemini-2.5-pro")).isEqualTo(Family.GEMINI);
    assertThat(TokenEstimator.family("llama-3.1-70b")).isEqualTo(Family.OTHER);
    assertThat(TokenEstimator.family("omni-moderation")).isEqualTo(Family.OTHER);
    assertThat(TokenEstimator.family(null)).isEqualTo(Family.OTHER);
  }

  @Test
  void openAiModelsAreCountedWithTheirRealEncoding() {
    assertThat(estimator.estimateInput("gpt-4o", List.of("hello world"), 0, 0)).isEqualTo(2);
    // Where the two encodings differ, each generation gets its own: Japanese is far cheaper in o200k.
    String japanese = "レート制限はゲートウェイのすべてのレプリカで共有されます";
    long o200k = estimator.estimateInput("gpt-4o", List.of(japanese), 0, 0);
    long cl100k = estimator.estimateInput("gpt-4", List.of(japanese), 0, 0);
    assertThat(o200k).isLessThan(cl100k);
  }

  @Test
  void aLongTextSentAgainHasItsRealCountEachTimeInEachEncoding() {
    // long enough to be remembered (TokenCountMemo); the Japanese makes the two encodings differ
    String system = (ENGLISH + " レート制限はゲートウェイのすべてのレプリカで共有されます。").repeat(8);
    int o200k = TokenEstimator.o200k().countTokensOrdinary(system);
    int cl100k = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
        .getEncoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE).countTokensOrdinary(system);
    assertThat(o200k).isNotEqualTo(cl100k);
    for (int call = 0; call < 3; call++) {
      assertThat(estimator.estimateInput("gpt-4o", List.of(new String(system.toCharArray())), 0, 0)).isEqualTo(o200k);
      assertThat(estimator.estimateInput("gpt-4", List.of(new String(system.toCharArray())), 0, 0)).isEqualTo(cl100k);
    }
  }

  @Test
  void otherFamiliesAreEstimatedByCharactersAtTheirCalibratedRatio() {
    String seventy = "a".repeat(70);
    assertThat(estimator.estimateInput("claude-sonnet-4", List.of(seventy), 0, 0)).isEqualTo(20); // 70 / 3.5
    assertThat(estimator.estimateInput("gemini-2.5-flash", List.of(seventy), 0, 0)).isEqualTo(18); // ceil(70 / 4)
    assertThat(estimator.estimateInput("mistral-large", List.of(seventy), 0, 0)).isEqualTo(18);
  }

  @Test
  void theCharacterEstimateErrsHighOnEnglishComparedWithARealTokenizer() {
    long real = estimator.estimateInput("gpt-4o", List.of(ENGLISH), 0, 0);
    long byChars = estimator.estimateInput("mistral-large", List.of(ENGLISH), 0, 0);
    assertThat(byChars).isBetween(real, real * 3 / 2);
  }

  @Test
  void nonLatinScriptsCostAboutOneTokenPerCharacterInTheCharacterEstimate() {
    assertThat(estimator.estimateInput("claude-sonnet-4", List.of("共有されます"), 0, 0)).isEqualTo(6);
  }

  @Test
  void messagesAndImagesAddTheirOverhead() {
    long text = estimator.estimateInput("gpt-4o", List.of("hello world"), 0, 0);
    assertThat(estimator.estimateInput("gpt-4o", List.of("hello world"), 2, 3))
        .isEqualTo(text + 2 * 765 + 3 * 3 + 3);
    assertThat(estimator.estimateInput("claude-opus-4", List.of(), 1, 1)).isEqualTo(1_600 + 3 + 3);
  }

  @Test
  void aHugeTextIsEstimatedByCharactersRatherThanEncoded() {
    String huge = "word ".repeat(TokenEstimator.EXACT_LIMIT_CHARS); // 5× the exact limit
    assertThat(estimator.estimateInput("gpt-4o", List.of(huge), 0, 0)).isEqualTo(huge.length() / 4);
  }

  /** What {@link #quick} answers for an estimate that is left to finish on a worker thread. */
  private static final long SLOW = -1;

  /** The estimate when it is made at once, else {@link #SLOW}. */
  private static long quick(String model, List<String> texts, int images, int messages) {
    PromptEstimate e = estimator.estimate(model, texts, images, messages);
    return e.ready() ? e.tokens() : SLOW;
  }

  @Test
  void aSlowEstimateFinishedElsewhereIsTheFullEstimateAndIsRememberedAfterwards() {
    String system = "You answer questions about invoices. " + java.util.UUID.randomUUID();
    String remembered = (java.util.UUID.randomUUID() + " earlier turn. ").repeat(20); // > MIN_CHARS
    String fresh = (java.util.UUID.randomUUID() + " fresh document. ").repeat(TokenEstimator.SLOW_CHARS / 40 + 1);
    String after = (java.util.UUID.randomUUID() + " a later message. ").repeat(10);
    long rememberedAlone = estimator.estimateInput("gpt-4o", List.of(remembered), 0, 1); // now remembered
    List<String> texts = List.of(system, remembered, fresh, after);

    PromptEstimate slow = estimator.estimate("gpt-4o", texts, 1, 4);
    assertThat(slow.ready()).as("4 kB and more to tokenize").isFalse();
    long finished = slow.finish();
    PromptEstimate again = estimator.estimate("gpt-4o", texts, 1, 4);
    assertThat(again.ready()).as("every long text is remembered now").isTrue();
    assertThat(again.tokens()).isEqualTo(finished);

    long exact = TokenEstimator.o200k().countTokensOrdinary(system) + TokenEstimator.o200k().countTokensOrdinary(remembered)
        + TokenEstimator.o200k().countTokensOrdinary(fresh) + TokenEstimator.o200k().countTokensOrdinary(after);
    assertThat(finished).as("the texts' exact counts, the image, 4 messages, the reply's priming")
        .isEqualTo(exact + 765 + 4 * TokenEstimator.PER_MESSAGE + TokenEstimator.REPLY_PRIMING);
    assertThat(rememberedAlone).isEqualTo(TokenEstimator.o200k().countTokensOrdinary(remembered)
        + TokenEstimator.PER_MESSAGE + TokenEstimator.REPLY_PRIMING);
  }

  @Test
  void anEstimateIsSlowWhenItWouldTokenizeManyCharactersNotCountedLately() {
    String fresh = (java.util.UUID.randomUUID() + " ").repeat(TokenEstimator.SLOW_CHARS / 37 + 1); // ≥ SLOW_CHARS
    String half = fresh.substring(0, TokenEstimator.SLOW_CHARS / 2);
    String otherHalf = (java.util.UUID.randomUUID() + " ").repeat(TokenEstimator.SLOW_CHARS / 74 + 1);
    String huge = "word ".repeat(TokenEstimator.EXACT_LIMIT_CHARS);

    assertThat(quick("gpt-4o", List.of(half, otherHalf), 0, 2)).as("texts add up")
        .isEqualTo(SLOW);
    long belowThreshold = quick("gpt-4o", List.of(otherHalf), 0, 1); // counts it, remembers it
    assertThat(belowThreshold).as("below the threshold: counted")
        .isEqualTo(estimator.estimateInput("gpt-4o", List.of(otherHalf), 0, 1));
    assertThat(quick("claude-sonnet-4", List.of(fresh), 0, 1)).as("estimated by characters")
        .isEqualTo(estimator.estimateInput("claude-sonnet-4", List.of(fresh), 0, 1));
    assertThat(quick("gpt-4o", List.of(huge), 0, 1)).as("over the exact limit: by characters")
        .isEqualTo(estimator.estimateInput("gpt-4o", List.of(huge), 0, 1));
    assertThat(quick("gpt-4o", List.of(fresh), 0, 1)).isEqualTo(SLOW);

    long counted = estimator.estimateInput("gpt-4o", List.of(fresh), 0, 1);
    assertThat(quick("gpt-4o", List.of(new String(fresh.toCharArray()), half), 0, 2))
        .as("counted lately: only the rest is counted")
        .isEqualTo(counted + estimator.estimateInput("gpt-4o", List.of(half), 0, 1) - 3);
    assertThat(quick("gpt-4", List.of(fresh), 0, 1)).as("another encoding's count is its own")
        .isEqualTo(SLOW);
  }

  @Test
  void outputReservationIsMaxTokensWhenGivenElseTheModelDefault() {
    assertThat(estimator.reserveOutput(500, 4096)).isEqualTo(500);
    assertThat(estimator.reserveOutput(null, 4096)).isEqualTo(4096);
    assertThat(estimator.reserveOutput(0, 4096)).isEqualTo(4096);
  }

  @Test
  void nothingToCountIsZero() {
    assertThat(estimator.estimateInput("gpt-4o", null, 0, 0)).isZero();
    assertThat(estimator.estimateInput("gpt-4o", java.util.Arrays.asList("", null), 0, 0)).isZero();
  }

  @Test
  void warmingUpForConfiguredModelNamesBuildsTheEncodingTheyUse() {
    estimator.warmUpFor(java.util.List.of("gpt-4o-mini", "my-alias", "claude-sonnet-4"));

    assertThat(TokenEstimator.ready(TokenEstimator.Family.O200K)).isTrue();
    assertThat(estimator.estimateInput("gpt-4o-mini", java.util.List.of("Hello, world!"), 0, 1))
        .isEqualTo(TokenEstimator.o200k().countTokensOrdinary("Hello, world!") + 3 + 3);
  }
}
