package dev.sluice.store;

/**
 * A row the batch writer ({@code dev.sluice.observe.ledger.LedgerWriter}) stores through
 * {@link BatchStore}: one upstream attempt of the ledger, or one client request of the request
 * log ({@code store.requestlog.RequestRow}); no other kind exists (the two live in different
 * packages, so the interface cannot be sealed). Both are keyed by a deterministic {@link #id()}, so
 * storing a row twice (a journal replay after a crash) keeps one.
 */
public interface BatchRow {

  /** The primary key in the row's table. */
  String id();

  /** Bytes of captured bodies the row carries (0 for most): the writer bounds how many it holds in memory. */
  default long bodyBytes() {
    return 0;
  }
}
