package com.knuddels.jtokkit;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * Sluice's bridge to jtokkit's byte-pair step for one pre-tokenized piece, which jtokkit 1.1.0 keeps
 * package-private ({@code TokenEncoder.addTokensAndGetCount}, what its own encodings call once per
 * piece). It lets {@code dev.sluice.admission.O200kCounter} split a text with its hand-written
 * pre-tokenizer and still merge bytes with the very tables jtokkit built, instead of loading the
 * 200,000 ranks a second time (tens of MB).
 *
 * <p>Bound to jtokkit 1.1.0's internals, which the build pins: {@link #of} answers null for an
 * encoding that is not jtokkit's own byte-pair encoding, and {@code O200kCounterTest} compares every
 * count with jtokkit's public {@code countTokensOrdinary}, so a jtokkit upgrade that changed the step
 * fails the build instead of miscounting. Thread-safe (the tables are read-only); the scratch lists
 * belong to the caller.
 */
public final class PieceBpe {
  private final TokenEncoder encoder;

  private PieceBpe(TokenEncoder encoder) {
    this.encoder = encoder;
  }

  /** The byte-pair step of {@code encoding}, or null if it is not one of jtokkit's byte-pair encodings. */
  public static PieceBpe of(Encoding encoding) {
    return encoding instanceof GptBytePairEncoding ? new PieceBpe(((GptBytePairEncoding) encoding).encoder) : null;
  }

  /**
   * Tokens of one piece, given as its UTF-8 bytes (the whole array). {@code scratch} and {@code ranks}
   * are working space, reused across calls by one thread.
   */
  public int count(byte[] utf8, IntArrayList scratch, IntArrayList ranks) {
    return encoder.addTokensAndGetCount(Integer.MAX_VALUE, false, utf8, scratch, ranks);
  }
}
