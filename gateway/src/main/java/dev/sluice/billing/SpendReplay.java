package dev.sluice.billing;

import dev.sluice.core.TokenUsage;
import dev.sluice.cost.CostForecast;
import dev.sluice.cost.ModelPrice;
import dev.sluice.store.LedgerRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the traffic recorded in the ledger would have cost on another model — {@code sluice cost
 * replay} and {@code POST /admin/cost/replay}: every recorded attempt (retries, fallbacks, hedges
 * and failed attempts included, as each was billed) priced again at {@code as} with its recorded
 * token counts, next to what it was recorded to cost. Token counts are the recorded model's: another
 * model's tokenizer would count the same text differently, which this cannot know.
 *
 * @param requests distinct requests among the rows
 * @param attempts rows replayed
 * @param byTarget one entry per recorded {@code provider/model}, in name order
 * @param recordedMicros what the rows were recorded to cost
 * @param replayedMicros what they would have cost at {@code as}
 * @param unpricedAttempts rows recorded without a known price (their recorded cost is 0)
 */
public record SpendReplay(long requests, long attempts, List<TargetReplay> byTarget, long recordedMicros,
    long replayedMicros, long unpricedAttempts) {

  /** One recorded target's rows. */
  public record TargetReplay(String target, long attempts, long inputTokens, long outputTokens, long recordedMicros,
      long replayedMicros) {}

  public SpendReplay {
    byTarget = List.copyOf(byTarget);
  }

  /**
   * Replays the rows whose time is in {@code [from, to)} ({@code to} null: no end) at {@code as}.
   *
   * @throws ArithmeticException if a sum does not fit in a {@code long} of micro-USD
   */
  public static SpendReplay of(List<LedgerRow> rows, Instant from, Instant to, ModelPrice as) {
    Map<String, List<LedgerRow>> grouped = new TreeMap<>();
    Set<String> requests = new HashSet<>();
    long attempts = 0;
    for (LedgerRow r : rows) {
      if (r.ts().isBefore(from) || (to != null && !r.ts().isBefore(to)) || r.kind() == dev.sluice.store.RowKind.SHADOW) {
        continue;
      }
      grouped.computeIfAbsent(r.provider() + "/" + r.targetModel(), k -> new ArrayList<>()).add(r);
      requests.add(r.requestId());
      attempts++;
    }
    List<TargetReplay> targets = new ArrayList<>();
    long recorded = 0;
    long replayed = 0;
    long unpriced = 0;
    for (Map.Entry<String, List<LedgerRow>> e : grouped.entrySet()) {
      long cost = 0;
      long in = 0;
      long out = 0;
      List<TokenUsage> usages = new ArrayList<>(e.getValue().size());
      for (LedgerRow r : e.getValue()) {
        cost = Math.addExact(cost, r.costMicros());
        in += r.inputTokens();
        out += r.outputTokens();
        unpriced += r.priceKnown() ? 0 : 1;
        usages.add(new TokenUsage(r.inputTokens(), r.outputTokens(), r.cachedReadTokens(), r.cacheWriteTokens(),
            r.reasoningTokens()));
      }
      long would = CostForecast.replayCost(usages, as).value();
      recorded = Math.addExact(recorded, cost);
      replayed = Math.addExact(replayed, would);
      targets.add(new TargetReplay(e.getKey(), e.getValue().size(), in, out, cost, would));
    }
    return new SpendReplay(requests.size(), attempts, targets, recorded, replayed, unpriced);
  }

  /** Replayed minus recorded: negative when the other model would have been cheaper. */
  public long differenceMicros() {
    return replayedMicros - recordedMicros;
  }

  /** The difference as a share of the recorded cost, one decimal ({@code "+12.5"}); null when nothing was recorded. */
  public String differencePercent() {
    if (recordedMicros == 0) {
      return null;
    }
    long diff = differenceMicros();
    return (diff >= 0 ? "+" : "") + BigDecimal.valueOf(diff).multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(recordedMicros), 1, RoundingMode.HALF_UP).toPlainString();
  }
}
