/**
 * The admin audit log: one {@code AuditEntry} per admin write (who, from where, which route, on
 * what, before and after, how it ended), the filters and cursor of a listing ({@code AuditQuery},
 * {@code AuditPosition}, {@code AuditPage}), the {@code AuditLog} SPI and its JDBC implementation.
 * Same SQL on SQLite and PostgreSQL (table {@code audit_log}, migration V4); the calls run on the
 * store's worker threads through {@code JdbcCalls}, which the store implements. Written by the
 * admin API, purged by the retention job with the ledger's age.
 */
package dev.sluice.store.audit;
