package dev.sluice.billing;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.store.LedgerRow;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * What the providers' prompt caches saved, measured from the ledger: for every recorded attempt that
 * read from or wrote to a provider's cache, its price without the cache (every prompt token at the
 * input price) minus its price with it (cached reads at the cached-input price, cache writes at the
 * cache-write price), both at the target's current price. Negative when cache writes cost more than
 * the reads saved. This is the providers' caching, reported in their usage; Sluice's own response
 * cache is another thing. Stateless.
 *
 * @param attempts recorded attempts with cached-read or cache-write tokens whose price is known
 * @param unpriced attempts with such tokens left out because their target has no known price
 */
public record PromptCacheSavings(long attempts, long cachedReadTokens, long cacheWriteTokens, long withoutCacheMicros,
    long withCacheMicros, long unpriced) {

  public long savedMicros() {
    return withoutCacheMicros - withCacheMicros;
  }

  /** @param costMicros what a usage costs on a target at the gateway's prices; empty when unknown */
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
