package dev.sluice.server;

import dev.sluice.cost.Cost;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.ledger.LedgerWriter;
import dev.sluice.store.LedgerRow;
import dev.sluice.store.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * Turns a finished request's attempts into ledger rows — one per upstream attempt, retries,
 * fail-overs, fallbacks, hedges and failed attempts included, linked by request id — priced from the
 * catalog, and hands them to the ledger writer (off the response path: {@code offer} never blocks).
 * Also settles the request's budgets on what the attempts actually cost. Thread-safe.
 */
final class Accountant {
  private final Pricing pricing;
  private final LedgerWriter ledger;
  private final GatewayMetrics metrics;

  Accountant(Pricing pricing, LedgerWriter ledger, GatewayMetrics metrics) {
    this.pricing = pricing;
    this.ledger = ledger;
    this.metrics = metrics;
  }

  /** The cost of one attempt, in micro-USD, with whether its price and usage were known. */
  record Priced(Attempt attempt, Attempt.Accounting accounting, Cost cost) {}

  Priced price(Attempt a, long inputEstimate) {
    Attempt.Accounting acc = a.accounting(inputEstimate);
    Cost cost = pricing.cost(a.target(), acc.usage());
    return new Priced(a, acc, cost);
  }

  /** Total cost of the request so far, all attempts, in micro-USD. */
  long totalMicros(List<Attempt> attempts, long inputEstimate) {
    long total = 0;
    for (Attempt a : attempts) {
      total += price(a, inputEstimate).cost().total().value();
    }
    return total;
  }

  /** Writes one row per attempt; returns the request's total cost in micro-USD. */
  long record(Exchange ex, Principal who, long inputEstimate) {
    long total = 0;
    int n = 0;
    Instant now = Instant.now();
    for (Attempt a : ex.attempts) {
      n++;
      Priced p = price(a, inputEstimate);
      total += p.cost().total().value();
      if (!p.cost().priceKnown() && p.accounting().usage().total() > 0) {
        metrics.unpriced(a.provider().name(), a.target().model());
      }
      String outcome = a.outcome();
      Outcome o = switch (outcome) {
        case "ok" -> Outcome.OK;
        case "lost" -> Outcome.HEDGE_LOST;
        case "client_gone", "deadline", "abandoned", "cancelled", "pending" -> Outcome.CANCELLED;
        default -> Outcome.ERROR;
      };
      LedgerRow row = LedgerRow.builder(ex.requestId, n, now)
          .key(who.name(), who.keyId(), who.team())
          .target(a.modelEntry(), a.provider().name(), a.target().model())
          .status(a.status())
          .errorClass(o == Outcome.ERROR ? outcome : null)
          .outcome(o)
          .tokens(p.accounting().usage())
          .cost(p.cost().total().value(), p.cost().priceKnown(), p.accounting().estimated())
          .latency(a.latencyNanos() / 1_000_000, a.ttftNanos() >= 0 ? a.ttftNanos() / 1_000_000 : null)
          .stream(ex.stream)
          .clientDisconnected(ex.clientDisconnected)
          .hedge(a.hedge())
          .retry(a.retry())
          .fallback(!a.modelEntry().equals(ex.model))
          .build();
      ledger.offer(row);
    }
    return total;
  }
}
