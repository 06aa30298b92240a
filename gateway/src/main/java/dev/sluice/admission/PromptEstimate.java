package dev.sluice.admission;

import dev.sluice.admission.TokenEstimator.Family;
import java.util.List;

/**
 * A prompt's token estimate from {@link TokenEstimator#estimate}: {@linkplain #ready made}, or to be
 * {@linkplain #finish finished} where tokenizing may take a while (a worker thread). An unfinished one
 * carries what the estimator learnt on the event loop, the remembered texts' tokens and the
 * fingerprints it made, so that no text is fingerprinted twice ({@link TokenCountMemo#key} is linear
 * in the text: 9-12 µs for 16 kB). Not thread-safe; handed from one thread to the next (Vert.x's
 * {@code executeBlocking} orders the hand-off).
 */
public final class PromptEstimate {
  private final Family family;
  private final List<String> texts;
  /** Fingerprints made so far (null where none was: short texts, texts not looked at yet). */
  private final TokenCountMemo.Key[] keys;
  /** The texts looked at and not remembered. */
  private final boolean[] toCount;
  /** Texts from here on were not looked at yet. */
  private final int from;
  /** The remembered texts' tokens so far; the whole estimate when made. */
  private final long tokens;
  private final int images;
  private final int messages;
  private final boolean made;

  PromptEstimate(Family family, List<String> texts, TokenCountMemo.Key[] keys, boolean[] toCount, int from,
      long tokens, int images, int messages) {
    this(family, texts, keys, toCount, from, tokens, images, messages, false);
  }

  private PromptEstimate(Family family, List<String> texts, TokenCountMemo.Key[] keys, boolean[] toCount, int from,
      long tokens, int images, int messages, boolean made) {
    this.family = family;
    this.texts = texts;
    this.keys = keys;
    this.toCount = toCount;
    this.from = from;
    this.tokens = tokens;
    this.images = images;
    this.messages = messages;
    this.made = made;
  }

  static PromptEstimate made(long tokens) {
    return new PromptEstimate(null, null, null, null, 0, tokens, 0, 0, true);
  }

  /** Whether the estimate is made ({@link #tokens}); else {@link #finish} makes it. */
  public boolean ready() {
    return made;
  }

  /** The estimate, when {@link #ready}. */
  public long tokens() {
    if (!made) {
      throw new IllegalStateException("not made yet: finish() it");
    }
    return tokens;
  }

  /** Makes the estimate (blocking: tokenizes the texts not counted lately) and returns it. */
  public long finish() {
    if (made) {
      return tokens;
    }
    long total = tokens;
    for (int i = 0; i < from; i++) {
      if (toCount[i]) {
        String text = texts.get(i);
        total += keys[i] != null
            ? TokenEstimator.COUNTED.countAndRemember(keys[i], text, TokenEstimator.counter(family))
            : TokenEstimator.count(family, text);
      }
    }
    for (int i = from; i < texts.size(); i++) {
      total += TokenEstimator.count(family, texts.get(i));
    }
    return TokenEstimator.withOverheads(family, total, images, messages);
  }
}
