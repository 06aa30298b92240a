package dev.sluice.store.requestlog;

import dev.sluice.store.LedgerRow;
import java.util.List;

/**
 * One request with its stored bodies (if any are left) and its attempts, the ledger rows with the
 * same request id, by attempt number.
 */
public record RequestDetail(RequestRow request, List<LedgerRow> attempts) {
  public RequestDetail {
    attempts = List.copyOf(attempts);
  }
}
