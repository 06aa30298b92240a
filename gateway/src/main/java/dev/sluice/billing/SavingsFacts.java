package dev.sluice.billing;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.store.AnswerRoute;
import dev.sluice.store.LedgerRow;
import java.util.List;
import java.util.function.Function;

/**
 * The savings facts the accountant writes on a request's ledger rows (V9), priced when the request
 * runs, so the savings reports sum columns instead of re-pricing every attempt of a window:
 * <ul>
 *   <li>on the attempt that answered: its {@link AnswerRoute}; for a {@link AnswerRoute#REROUTED}
 *       answer whose prices are all known, what all the request's attempts cost and what the answer's
 *       token counts cost on its model entry's first target ({@link RoutingSavings});
 *   <li>on an attempt that read from or wrote to a provider's prompt cache, with a known price: what
 *       it would have cost with every prompt token at the input price ({@link PromptCacheSavings}).
 * </ul>
 * Stateless.
 */
final class SavingsFacts {
  private SavingsFacts() {}

  /** One priced attempt. */
  record Priced(BillableAttempt attempt, TokenUsage usage, Cost cost) {}

  /**
   * Sets the facts on {@code rows} (the builders of {@code attempts}, same order).
   *
   * @param targetsOf a model entry's configured targets, in config order; empty for no such entry
   */
  static void mark(List<Priced> attempts, List<LedgerRow.Builder> rows, Pricing pricing,
      Function<String, List<Target>> targetsOf) {
    int winner = -1;
    boolean allPriced = true;
    long total = 0;
    for (int i = 0; i < attempts.size(); i++) {
      Priced p = attempts.get(i);
      allPriced &= p.cost().priceKnown();
      total += p.cost().total().value();
      if (winner < 0 && "ok".equals(p.attempt().outcome())) {
        winner = i;
      }
      rows.get(i).uncachedCost(uncached(p, pricing));
    }
    if (winner >= 0) {
      Priced w = attempts.get(winner);
      List<Target> targets = targetsOf.apply(w.attempt().modelEntry());
      LedgerRow.Builder row = rows.get(winner);
      if (targets.isEmpty()) {
        row.route(AnswerRoute.DIRECT, null, null);
      } else {
        Target first = targets.get(0);
        if (first.provider().equals(w.attempt().providerName()) && first.model().equals(w.attempt().target().model())) {
          row.route(AnswerRoute.FIRST, null, null);
        } else {
          Cost atFirst = pricing.cost(first, w.usage());
          boolean priced = allPriced && atFirst.priceKnown();
          row.route(AnswerRoute.REROUTED, priced ? total : null, priced ? atFirst.total().value() : null);
        }
      }
    }
  }

  /** The attempt's price without the prompt cache; null when it used none or has no known price. */
  private static Long uncached(Priced p, Pricing pricing) {
    TokenUsage u = p.usage();
    if ((u.cachedRead() == 0 && u.cacheWrite() == 0) || !p.cost().priceKnown()) {
      return null;
    }
    long prompt = Math.max(u.input(), u.cachedRead() + u.cacheWrite());
    Cost plain = pricing.cost(p.attempt().target(), new TokenUsage(prompt, u.output(), 0, 0, u.reasoning()));
    return plain.priceKnown() ? plain.total().value() : null;
  }
}
