package dev.sluice.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.testing.FuzzInputTimeout;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the hand-written o200k_base pre-tokenizer and counter with arbitrary text: the pieces are
 * those of jtokkit's own regular expression ({@link O200kReference}) and the count is jtokkit's
 * {@code countTokensOrdinary}, to the token. The bytes are read twice: as UTF-8 (what a prompt
 * usually is) and as UTF-16 code units, which reaches every code point, lone surrogates included.
 * Seeds: {@code src/test/resources/dev/sluice/admission/O200kCounterFuzzTestInputs/}.
 */
public final class O200kCounterFuzzTest {
  private static final O200kCounter COUNTER = O200kCounter.of(TokenEstimator.o200k());

  @FuzzTest
  void piecesAndCountsAreJtokkits(byte[] input) {
    oneInput(input);
  }

  /** One input: this target's part of {@link dev.sluice.AllTargetsFuzzTest} too. */
  public static void oneInput(byte[] input) {
    FuzzInputTimeout.run("O200kCounter", input, () -> {
      check(new String(input, StandardCharsets.UTF_8));
      char[] units = new char[input.length / 2];
      for (int i = 0; i < units.length; i++) {
        units[i] = (char) (((input[2 * i] & 0xFF) << 8) | (input[2 * i + 1] & 0xFF));
      }
      check(new String(units));
    });
  }

  private static void check(String text) {
    assertThat(O200kReference.splitterPieces(text)).as("pieces of %s", O200kReference.describe(text))
        .isEqualTo(O200kReference.pieces(text));
    assertThat(COUNTER.count(text)).as("tokens of %s", O200kReference.describe(text))
        .isEqualTo(TokenEstimator.o200k().countTokensOrdinary(text));
  }
}
