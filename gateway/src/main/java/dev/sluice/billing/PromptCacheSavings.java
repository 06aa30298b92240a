package dev.sluice.billing;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.LedgerTotals;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * What the providers' prompt caches saved, measured from the ledger: for every recorded attempt that
 * read from or wrote to a provider's cache, its price without the cache (every prompt token at the
 * input price) minus its price with it (cached reads at the cached-input price, cache writes at the
 * cache-write price). Negative when cache writes cost more than the reads saved. This is the
 * providers' caching, reported in their usage; Sluice's own response cache is another thing.
 * Stateless.
 *
 * <p>The report ({@link #of(List)}) sums the price without the cache that the accountant recorded
 * on each such attempt when it ran (V9) and the attempt's recorded cost: the prices <em>as they
 * were then</em>. {@link #of(List, BiFunction)} prices the rows themselves at today's prices; the
 * two agree while prices did not change. Attempts recorded before V9 are in neither sum.
 *
 * @param attempts recorded attempts with cached-read or cache-write tokens whose price is known
 * @param cachedReadTokens cached-read tokens ({@link #of(List)}: of every attempt, priced or not)
 * @param cacheWriteTokens cache-write tokens (likewise)
 * @param unpriced attempts with such tokens left out because their target has no known price
 */
public record PromptCacheSavings(long attempts, long cachedReadTokens, long cacheWriteTokens, long withoutCacheMicros,
    long withCacheMicros, long unpriced) {

  public long savedMicros() {
    return withoutCacheMicros - withCacheMicros;
  }

  /** The savings of a window from the ledger's totals (any grouping: the groups are added up). */
  public static PromptCacheSavings of(List<LedgerTotals> totals) {
    long attempts = 0;
    long read = 0;
    long write = 0;
    long without = 0;
    long with = 0;
    long unpriced = 0;
    for (LedgerTotals t : totals) {
      attempts += t.cacheAttempts();
      read += t.cachedReadTokens();
      write += t.cacheWriteTokens();
      without = Math.addExact(without, t.uncachedCostMicros());
      with = Math.addExact(with, t.cacheCostMicros());
      unpriced += t.cacheUnpriced();
    }
    return new PromptCacheSavings(attempts, read, write, without, with, unpriced);
  }

  /**
   * Prices {@code rows} at today's prices (reads every row: for checks and tools).
   *
   * @param costMicros what a usage costs on a target at the gateway's prices; empty when unknown
   */
  public static PromptCacheSavings of(List<LedgerRow> rows, BiFunction<Target, TokenUsage, OptionalLong> costMicros) {
    long attempts = 0;
    long read = 0;
    long write = 0;
    long without = 0;
    long with = 0;
    long unpriced = 0;
    for (LedgerRow r : rows) {
      if (r.kind() == dev.sluice.store.RowKind.SHADOW
          || r.cachedReadTokens() == 0 && r.cacheWriteTokens() == 0) { // shadow calls are not the clients' traffic
        continue;
      }
      Target target = new Target(r.provider(), r.targetModel(), 1);
      TokenUsage usage = new TokenUsage(r.inputTokens(), r.outputTokens(), r.cachedReadTokens(), r.cacheWriteTokens(),
          r.reasoningTokens());
      long prompt = Math.max(r.inputTokens(), r.cachedReadTokens() + r.cacheWriteTokens());
      OptionalLong cached = costMicros.apply(target, usage);
      OptionalLong plain = costMicros.apply(target, new TokenUsage(prompt, r.outputTokens(), 0, 0, r.reasoningTokens()));
      if (cached.isEmpty() || plain.isEmpty()) {
        unpriced++;
        continue;
      }
      attempts++;
      read += r.cachedReadTokens();
      write += r.cacheWriteTokens();
      without = Math.addExact(without, plain.getAsLong());
      with = Math.addExact(with, cached.getAsLong());
    }
    return new PromptCacheSavings(attempts, read, write, without, with, unpriced);
  }
}
