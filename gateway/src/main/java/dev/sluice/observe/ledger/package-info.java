/**
 * The batch writer and what rides on it: ledger rows and request-log rows leave the response path
 * through one bounded queue, are written in batches (one transaction for both kinds), and spill to
 * a local journal when the queue is full or the store is down. See
 * {@link dev.sluice.observe.ledger.LedgerWriter} for the flow and the crash guarantee. Also here,
 * because they use the store's request-log SPI: the request-log observer that turns each finished
 * request into a row ({@link dev.sluice.observe.ledger.RequestLogObserver}), the retention job
 * ({@link dev.sluice.observe.ledger.RetentionJob}), and the request log's query parameters and
 * JSON shared by the admin API and the client-key routes.
 */
package dev.sluice.observe.ledger;
