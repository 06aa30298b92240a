/**
 * Prices and pure cost arithmetic: what a model costs and what an upstream call cost.
 *
 * <ul>
 *   <li>{@link dev.sluice.cost.Micros} — money in whole micro-USD; never a {@code double}.
 *   <li>{@link dev.sluice.cost.PriceCatalog} — the bundled, versioned price list
 *       ({@code prices/catalog.yaml}), name lookup, per-target overrides.
 *   <li>{@link dev.sluice.cost.ModelPrice}, {@link dev.sluice.cost.Rates},
 *       {@link dev.sluice.cost.Tier} — a model's prices per kind of token, with long-context tiers.
 *   <li>{@link dev.sluice.cost.CostCalculator} → {@link dev.sluice.cost.Cost} — the cost of one
 *       attempt from its {@link dev.sluice.core.TokenUsage}; unknown prices are flagged, not free.
 *   <li>{@link dev.sluice.cost.WorstCase} — the bound to reserve before sending.
 *   <li>{@link dev.sluice.cost.CostForecast} — {@code sluice cost estimate} and {@code replay}.
 * </ul>
 *
 * <p>Depends on {@code dev.sluice.core} only (DESIGN.md §2). Everything here is immutable or
 * stateless, thread-safe, and free of I/O after the bundled catalog's one-time load.
 */
package dev.sluice.cost;
