package dev.sluice.billing;

import dev.sluice.core.Target;
import dev.sluice.cost.Cost;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import dev.sluice.tenancy.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a finished request's attempts into ledger rows — one per upstream attempt, retries,
 * fail-overs, fallbacks, hedges and failed attempts included, linked by request id — priced from the
 * catalog, and hands them to the ledger writer (off the response path: {@code offer} never blocks).
 * Also settles the request's budgets on what the attempts actually cost. Thread-safe.
 */
public final class Accountant {
  private final Pricing pricing;
  private final LedgerWriter ledger;
  private final GatewayMetrics metrics;
  private final Function<String, List<Target>> targetsOf;

  /** @param targetsOf a model entry's configured targets, in config order; empty for no such entry */
  public Accountant(Pricing pricing, LedgerWriter ledger, GatewayMetrics metrics,
      Function<String, List<Target>> targetsOf) {
    this.pricing = pricing;
    this.ledger = ledger;
    this.metrics = metrics;
    this.targetsOf = targetsOf;
  }

  /** The same ledger and metrics with a reloaded config's prices and model entries. */
  public Accountant withPrices(Pricing pricing, Function<String, List<Target>> targetsOf) {
    return new Accountant(pricing, ledger, metrics, targetsOf);
  }

  /** Total cost of the request so far, all attempts, in micro-USD. */
  public long totalMicros(List<? extends BillableAttempt> attempts, long inputEstimate) {
    long total = 0;
    for (BillableAttempt a : attempts) {
      total += pricing.cost(a.target(), a.usage(inputEstimate).usage()).total().value();
    }
    return total;
  }

  /**
   * Writes one row per attempt of request {@code requestId} (which asked for model entry
   * {@code requestedModel}); returns the request's total cost in micro-USD. The rows carry the
   * request's savings facts ({@link SavingsFacts}), priced now.
   */
  public long record(String requestId, String requestedModel, boolean stream, boolean clientDisconnected,
      List<? extends BillableAttempt> attempts, Principal who, long inputEstimate) {
    long total = 0;
    int n = 0;
    Instant now = Instant.now();
    List<SavingsFacts.Priced> priced = new ArrayList<>(attempts.size());
    List<LedgerRow.Builder> rows = new ArrayList<>(attempts.size());
    for (BillableAttempt a : attempts) {
      n++;
      BillableUsage usage = a.usage(inputEstimate);
      Cost cost = pricing.cost(a.target(), usage.usage());
      total += cost.total().value();
      if (!cost.priceKnown() && usage.usage().total() > 0) {
        metrics.unpriced(a.providerName(), a.target().model());
      }
      String outcome = a.outcome();
      Outcome o = switch (outcome) {
        case "ok" -> Outcome.OK;
        case "lost" -> Outcome.HEDGE_LOST;
        case "client_gone", "deadline", "abandoned", "cancelled", "pending" -> Outcome.CANCELLED;
        default -> Outcome.ERROR;
      };
      priced.add(new SavingsFacts.Priced(a, usage.usage(), cost));
      rows.add(LedgerRow.builder(requestId, n, now)
          .key(who.name(), who.keyId(), who.team())
          .target(a.modelEntry(), a.providerName(), a.target().model())
          .status(a.status())
          .errorClass(o == Outcome.ERROR ? outcome : null)
          .outcome(o)
          .tokens(usage.usage())
          .cost(cost.total().value(), cost.priceKnown(), usage.estimated())
          .latency(a.latencyNanos() / 1_000_000, a.ttftNanos() >= 0 ? a.ttftNanos() / 1_000_000 : null)
          .stream(stream)
          .clientDisconnected(clientDisconnected)
          .hedge(a.hedge())
          .retry(a.retry())
          .fallback(!a.modelEntry().equals(requestedModel))
          .startedAt(Instant.ofEpochMilli(a.startedAtMillis())));
    }
    SavingsFacts.mark(priced, rows, pricing, targetsOf);
    for (LedgerRow.Builder row : rows) {
      ledger.offer(row.build());
    }
    return total;
  }
}
