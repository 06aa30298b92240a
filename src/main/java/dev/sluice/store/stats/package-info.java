/**
 * The SPI of the per-minute stats rollups: the rows each replica upserts ({@code StatsRow}, by
 * {@code StatsGrain}), the queries of {@code GET /admin/stats} and the cells they answer. Types
 * only; the JDBC implementation is {@code store.JdbcStatsStore}. Used by {@code observe.stats} (which
 * writes) and {@code admin} (which reads); uses nothing of the request path.
 */
package dev.sluice.store.stats;
