/**
 * The SPI of the per-minute stats rollups: the rows each replica upserts ({@code StatsRow}, by
 * {@code StatsGrain}), the queries of {@code GET /admin/stats} and the cells they answer, and
 * {@code StatsParams}: those queries' HTTP parameters and JSON answer, shared by {@code admin} and
 * the tenant route {@code /v1/sluice/stats} in {@code server}. The JDBC implementation is
 * {@code store.JdbcStatsStore}. Used by {@code observe.stats} (which writes), {@code admin} and
 * {@code server} (which read); uses nothing of the request path.
 */
package dev.sluice.store.stats;
