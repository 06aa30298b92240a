package dev.sluice.admission;

import java.util.function.ToIntFunction;

/** Reaches the package-private o200k_base counter and memo fingerprint for {@code TokenCountBench} (same package name). */
public final class AdmissionBenchAccess {
  private AdmissionBenchAccess() {}

  /** {@link O200kCounter#count}: the hand-written pre-tokenizer and jtokkit's byte-pair step. */
  public static ToIntFunction<String> o200kCounter() {
    O200kCounter counter = O200kCounter.of(TokenEstimator.o200k());
    return counter::count;
  }

  /** {@link TokenCountMemo#key}: the fingerprint a long text is remembered by. */
  public static Object fingerprint(String text) {
    return TokenCountMemo.key(0, text);
  }
}
