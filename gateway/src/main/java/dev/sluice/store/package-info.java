/**
 * Durable state: client keys, teams, the cost ledger, the request log and the admin audit log
 * ({@code store.audit}), on SQLite or PostgreSQL.
 *
 * <p>Open with {@link dev.sluice.store.Store#open}; the schema comes from Flyway migrations under
 * {@code db/migration/sqlite} and {@code db/migration/postgresql} (same tables, columns and
 * indexes; only type names differ). Every call returns a Vert.x {@code Future} and runs its JDBC on
 * the store's own worker threads, never on an event loop.
 *
 * <p>Conventions: instants are epoch milliseconds (UTC) in the database and {@code Instant}s kept to
 * the millisecond in Java; money is {@code long} micro-units; a key's {@code models} is a typed
 * list stored as a JSON array, its {@code limits} and {@code metadata} are JSON object text the
 * store checks but does not interpret; budgets are {@link dev.sluice.store.Budget} values. Lists
 * are sorted in Java, not by {@code ORDER BY}, because the engines collate text differently.
 *
 * <p>Depends on {@code core} only. {@link dev.sluice.store.BatchStore}, {@link
 * dev.sluice.store.BatchRow} ({@link dev.sluice.store.LedgerRow}, {@link dev.sluice.store.requestlog.RequestRow}),
 * {@link dev.sluice.store.LedgerStore}, {@link dev.sluice.store.requestlog.RequestLogStore} and their value types
 * are the SPI the batch writer, the request log and retention in {@code observe.ledger} use.
 */
package dev.sluice.store;
