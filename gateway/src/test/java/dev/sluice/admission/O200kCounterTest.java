package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link O200kCounter} gives jtokkit's own o200k_base count, to the token, for any text. */
class O200kCounterTest {
  private static final Encoding O200K = TokenEstimator.o200k();
  private static final O200kCounter COUNTER = O200kCounter.of(O200K);

  @Test
  void jtokkitsEncodingHasTheBytePairStepTheCounterNeeds() {
    // Null would mean a jtokkit upgrade moved its internals: counting would silently fall back to the
    // regular expression (correct, 2-3 × slower). The pinned version must keep the fast path.
    assertThat(COUNTER).isNotNull();
  }

  @Test
  void countsOfRealTextMatchJtokkit() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    assertSameCount(readme);
    for (int from = 0; from + 4096 < readme.length(); from += 4093) {
      assertSameCount(readme.substring(from, from + 4096)); // cuts mid-word and mid-line too
    }
    assertSameCount("Здравствуйте, мир! 你好，世界。 こんにちは世界 مرحبا بالعالم 🙂🙃 \r\n\r\n\t  end   ");
    assertSameCount("I'm sure they'll say it's John's DOG's 'S and THEY'RE WE'VE 1234567 ３２１ 𝐀𝐁𝐂𝐚𝐛");
  }

  @Test
  void specialTokensLoneSurrogatesAndLongPiecesAreCountedAsJtokkitCountsThem() {
    assertThat(COUNTER.count("")).isZero();
    assertSameCount("<|endoftext|> and <|endofprompt|> are ordinary text here");
    assertSameCount("a\uD800b \uDC00 \uD83D"); // lone surrogates are encoded as '?', as String.getBytes does
    assertSameCount("x".repeat(5_000)); // one piece long enough for jtokkit's large-piece merge
    assertSameCount("ab1".repeat(3_000) + " " + "!?".repeat(2_000));
    assertSameCount("\n".repeat(700) + " ".repeat(700) + "z");
  }

  @Test
  void randomTextCountsMatchJtokkit() {
    SplittableRandom random = new SplittableRandom(4096);
    int[] alphabet = {'a', 'e', 's', 't', 'T', 'h', ' ', ' ', '\n', '\'', '.', '/', '1', '9', 0xE9, 0x436, 0x4E2D,
        0x3042, 0x301, 0x1F600, 0xA0, 0x17F, 0x663, '\t', '"', '{', '}', 0xD800};
    for (int i = 0; i < 30_000; i++) {
      assertSameCount(O200kReference.randomText(random, alphabet, 60));
    }
  }

  @Test
  void eachPiecesBytesAreWhatStringGetBytesGives() {
    for (String s : new String[] {"plain", "é中😀", "a\uD800", "\uDC00z", "\uD83D\uDE00\uD83D", "\u0000\u007F\u0080\u07FF\u0800\uFFFF"}) {
      assertThat(O200kCounter.utf8("<" + s + ">", 1, s.length() + 1)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theEstimatorCountsO200kThroughTheFastCounter() {
    String fresh = "A prompt nobody sent before: " + System.nanoTime() + " ".repeat(3) + "€ 😀".repeat(40);
    assertThat(TokenEstimator.countO200k(fresh)).isEqualTo(O200K.countTokensOrdinary(fresh));
    assertThat(TokenEstimator.count(TokenEstimator.Family.O200K, fresh)).isEqualTo(O200K.countTokensOrdinary(fresh));
  }

  static void assertSameCount(String text) {
    int expected = O200K.countTokensOrdinary(text);
    int actual = COUNTER.count(text);
    if (actual != expected) {
      assertThat(actual).as("tokens of %s", O200kReference.describe(text)).isEqualTo(expected);
    }
  }
}
