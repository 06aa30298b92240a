package dev.sluice.config;

import java.math.BigDecimal;

/**
 * A per-target price override, USD per million tokens, exact. Null fields fall back to the bundled
 * catalog's price for that model (or, for the cache prices, to the input price).
 */
public record PriceConfig(BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok,
    BigDecimal cacheWritePerMtok) {}
