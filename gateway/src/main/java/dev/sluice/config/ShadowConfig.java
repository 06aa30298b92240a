package dev.sluice.config;

import java.math.BigDecimal;
import java.util.Set;

/**
 * One shadow candidate of a model entry: a sampled copy of the entry's requests goes to
 * {@code model}, never changing the client's answer.
 *
 * @param model a configured model entry's name, or {@code provider/model}
 * @param sample the share of the entry's requests copied, 0 to 1
 * @param maxUsdPerDay what the candidate's shadow calls may cost per UTC day, exact; null: no cap
 * @param maxConcurrency shadow calls to this candidate in flight at once, per replica
 * @param parallel true: the copy is sent with the primary call; false: after the primary answered
 * @param compare what to compare: {@code exact}, {@code json}, {@code tools}, {@code similarity}
 * @param embeddingModel the model whose embeddings give the answers' similarity; null without {@code similarity}
 */
public record ShadowConfig(String model, double sample, BigDecimal maxUsdPerDay, int maxConcurrency,
    boolean parallel, Set<String> compare, String embeddingModel) {

  /** What {@code compare} may name. */
  public static final Set<String> COMPARISONS = Set.of("exact", "json", "tools", "similarity");

  /** {@code max_concurrency} when unset: a few calls, so the shadow never weighs on the candidate. */
  public static final int DEFAULT_MAX_CONCURRENCY = 4;

  public ShadowConfig {
    compare = Set.copyOf(compare);
  }

  public boolean compares(String what) {
    return compare.contains(what);
  }
}
