/**
 * The ledger writer: ledger rows leave the response path through a bounded queue, are written in
 * batches, and spill to a local journal when the queue is full or the store is down. See
 * {@link dev.sluice.observe.ledger.LedgerWriter} for the flow and the crash guarantee.
 */
package dev.sluice.observe.ledger;
