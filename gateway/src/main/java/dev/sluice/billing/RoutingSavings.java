package dev.sluice.billing;

import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.LedgerTotals;
import dev.sluice.store.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What routing saved (or cost), measured from the ledger. The baseline is the request's model entry
 * without routing: its <em>first</em> configured target answering with the same token counts. A
 * request counts as <em>rerouted</em> when the attempt that answered it went to another target — a
 * fallback after the first target failed, or a target the routing policy picked (weighted, cost or
 * latency routing). For each rerouted request whose prices are both known:
 * <pre>
 *   at first target = price of the first target × the answering attempt's token counts
 *   recorded        = what all of the request's attempts were recorded to cost (failed ones included)
 *   saved           = at first target − recorded   (negative: routing cost more)
 * </pre>
 * Requests answered by their first target save nothing and are not counted; requests to a direct
 * {@code provider/model} (no model entry) are not routed. Token counts are the answering model's:
 * another model's tokenizer would count the same text a little differently. Stateless.
 *
 * <p>The report ({@link #of(List, Function)}) sums what the accountant recorded on each answering
 * row when the request ran (V9): the first target and the prices <em>as they were then</em>. The
 * same definition at today's config and prices, over the rows themselves, is
 * {@link #of(List, Function, BiFunction)}: the two agree while neither changed. Requests recorded
 * before V9 carry no such facts and are in neither count.
 *
 * @param answered requests in the rows with an attempt that answered them
 * @param rerouted answered by a target other than their entry's first
 * @param fallbacks of {@code rerouted}, answered by a fallback attempt
 * @param unpriced of {@code rerouted}, left out because a price was unknown
 * @param recordedMicros recorded cost of the measured rerouted requests
 * @param atFirstTargetMicros what they would have cost on their first target
 * @param byModel per model entry, in name order (only entries with rerouted requests)
 */
public record RoutingSavings(long answered, long rerouted, long fallbacks, long unpriced, long recordedMicros,
    long atFirstTargetMicros, List<ModelSavings> byModel) {

  /** One model entry's rerouted requests. */
  public record ModelSavings(String model, String firstTarget, long rerouted, long fallbacks, long unpriced,
      long recordedMicros, long atFirstTargetMicros) {
    public long savedMicros() {
      return atFirstTargetMicros - recordedMicros;
    }
  }

  public RoutingSavings {
    byModel = List.copyOf(byModel);
  }

  /** At first target minus recorded: what routing saved; negative when it cost more. */
  public long savedMicros() {
    return atFirstTargetMicros - recordedMicros;
  }

  /**
   * The savings of a window from the ledger's totals per model entry ({@code LedgerStore.totals} by
   * {@code MODEL}): what each answering row recorded when its request ran.
   *
   * @param targetsOf a model entry's configured targets, in config order, for the first target's
   *     name in the report (null when the entry is no longer configured)
   */
  public static RoutingSavings of(List<LedgerTotals> byModel, Function<String, List<Target>> targetsOf) {
    long answered = 0;
    long[] total = new long[5];
    List<ModelSavings> models = new ArrayList<>();
    for (LedgerTotals t : byModel) {
      answered += t.answered();
      if (t.rerouted() == 0) {
        continue;
      }
      List<Target> targets = targetsOf.apply(t.group());
      models.add(new ModelSavings(t.group(), targets.isEmpty() ? null : targets.get(0).label(), t.rerouted(),
          t.reroutedFallbacks(), t.reroutedUnpriced(), t.routeCostMicros(), t.routeBaselineMicros()));
      total[0] += t.rerouted();
      total[1] += t.reroutedFallbacks();
      total[2] += t.reroutedUnpriced();
      total[3] = Math.addExact(total[3], t.routeCostMicros());
      total[4] = Math.addExact(total[4], t.routeBaselineMicros());
    }
    models.sort(java.util.Comparator.comparing(ModelSavings::model));
    return new RoutingSavings(answered, total[0], total[1], total[2], total[3], total[4], models);
  }

  /**
   * Measures {@code rows} at today's config and prices: every attempt of the requests to measure, in
   * any order. Reads every row: for checks and tools, not for the report of a busy window.
   *
   * @param targetsOf a model entry's configured targets, in config order; empty for no such entry
   * @param costMicros what a usage costs on a target at the gateway's prices; empty when unknown
   */
  public static RoutingSavings of(List<LedgerRow> rows, Function<String, List<Target>> targetsOf,
      BiFunction<Target, TokenUsage, OptionalLong> costMicros) {
    Map<String, List<LedgerRow>> byRequest = new LinkedHashMap<>();
    for (LedgerRow r : rows) {
      if (r.kind() == dev.sluice.store.RowKind.SHADOW) {
        continue; // a shadow call is no client request's routing
      }
      byRequest.computeIfAbsent(r.requestId(), k -> new ArrayList<>(2)).add(r);
    }
    Map<String, long[]> perModel = new TreeMap<>(); // rerouted, fallbacks, unpriced, recorded, atFirst
    Map<String, String> firstOf = new TreeMap<>();
    long answered = 0;
    for (List<LedgerRow> attempts : byRequest.values()) {
      LedgerRow winner = attempts.stream().filter(r -> r.outcome() == Outcome.OK).findFirst().orElse(null);
      if (winner == null) {
        continue;
      }
      answered++;
      List<Target> targets = targetsOf.apply(winner.modelEntry());
      if (targets.isEmpty()) {
        continue;
      }
      Target first = targets.get(0);
      if (first.provider().equals(winner.provider()) && first.model().equals(winner.targetModel())) {
        continue;
      }
      long[] m = perModel.computeIfAbsent(winner.modelEntry(), k -> new long[5]);
      firstOf.put(winner.modelEntry(), first.label());
      m[0]++;
      m[1] += winner.fallback() ? 1 : 0;
      TokenUsage usage = new TokenUsage(winner.inputTokens(), winner.outputTokens(), winner.cachedReadTokens(),
          winner.cacheWriteTokens(), winner.reasoningTokens());
      OptionalLong atFirst = costMicros.apply(first, usage);
      boolean allPriced = attempts.stream().allMatch(LedgerRow::priceKnown);
      if (atFirst.isEmpty() || !allPriced) {
        m[2]++;
        continue;
      }
      m[3] = Math.addExact(m[3], attempts.stream().mapToLong(LedgerRow::costMicros).reduce(0, Math::addExact));
      m[4] = Math.addExact(m[4], atFirst.getAsLong());
    }
    List<ModelSavings> models = new ArrayList<>();
    long[] total = new long[5];
    perModel.forEach((model, m) -> {
      models.add(new ModelSavings(model, firstOf.get(model), m[0], m[1], m[2], m[3], m[4]));
      for (int i = 0; i < total.length; i++) {
        total[i] = Math.addExact(total[i], m[i]);
      }
    });
    return new RoutingSavings(answered, total[0], total[1], total[2], total[3], total[4], models);
  }
}
