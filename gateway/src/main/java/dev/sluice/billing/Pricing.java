package dev.sluice.billing;

import dev.sluice.config.ModelConfig;
import dev.sluice.config.PriceConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Target;
import dev.sluice.core.TokenUsage;
import dev.sluice.cost.Cost;
import dev.sluice.cost.CostCalculator;
import dev.sluice.cost.Micros;
import dev.sluice.cost.ModelPrice;
import dev.sluice.cost.PriceCatalog;
import dev.sluice.cost.Rates;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prices of the configured targets: the bundled catalog, with each target's {@code price:} from the
 * config taking precedence (fields it leaves out come from the catalog's entry for that model).
 * Immutable and thread-safe.
 */
public final class Pricing {
  private static final int MAX_MEMO = 4096;

  private final PriceCatalog catalog;
  private final ConcurrentHashMap<String, Memo> memo = new ConcurrentHashMap<>();

  Pricing(PriceCatalog catalog) {
    this.catalog = catalog;
  }

  public static Pricing from(SluiceConfig config, PriceCatalog bundled) {
    Map<String, ModelPrice> overrides = new HashMap<>();
    for (ModelConfig m : config.models()) {
      for (ModelConfig.TargetConfig t : m.targets()) {
        if (t.price() != null) {
          override(bundled.find(t.provider(), t.model()), t.price())
              .ifPresent(p -> overrides.putIfAbsent(t.provider() + "/" + t.model(), p));
        }
      }
    }
    return new Pricing(overrides.isEmpty() ? bundled : bundled.withOverrides(overrides));
  }

  private static Optional<ModelPrice> override(Optional<ModelPrice> known, PriceConfig c) {
    Rates base = known.map(ModelPrice::base).orElse(null);
    Micros in = c.inputPerMtok() != null ? micros(c.inputPerMtok()) : base == null ? null : base.inputPerMtok();
    Micros out = c.outputPerMtok() != null ? micros(c.outputPerMtok()) : base == null ? null : base.outputPerMtok();
    if (in == null || out == null) {
      return Optional.empty(); // a half price for an unknown model is no price: it stays flagged unknown
    }
    Micros cached = c.cachedInputPerMtok() != null ? micros(c.cachedInputPerMtok())
        : base == null ? null : base.cachedInputPerMtok();
    Micros write = c.cacheWritePerMtok() != null ? micros(c.cacheWritePerMtok())
        : base == null ? null : base.cacheWritePerMtok();
    return Optional.of(ModelPrice.of(new Rates(in, out, cached, write, base == null ? null : base.reasoningPerMtok()),
        null, "config override"));
  }

  private static Micros micros(BigDecimal usd) {
    return Micros.ofUsd(usd);
  }

  /**
   * The target's price. Memoized by target: {@link PriceCatalog#find} normalizes the name and tries
   * its tolerant forms through eight regexes, and it ran two or three times per request (cost header,
   * ledger row): 19% of the bytes allocated per request in the throughput profile. The catalog never
   * changes after start. Direct {@code provider/model} requests make targets from client-chosen
   * names, so the memo stops growing at {@value #MAX_MEMO} entries (beyond that, prices are looked up).
   */
  public Optional<ModelPrice> priceFor(Target t) {
    Memo m = memo.get(t.label());
    if (m != null && m.provider().equals(t.provider()) && m.model().equals(t.model())) {
      return m.price();
    }
    Optional<ModelPrice> price = catalog.find(t.provider(), t.model());
    if (memo.size() < MAX_MEMO) {
      memo.putIfAbsent(t.label(), new Memo(t.provider(), t.model(), price));
    }
    return price;
  }

  /** A label alone could be ambiguous ({@code a/b} + {@code c} vs {@code a} + {@code b/c}): a hit checks both. */
  private record Memo(String provider, String model, Optional<ModelPrice> price) {}

  /** Input plus output price per million tokens, for ranking targets by cost (not for billing); NaN if unknown. */
  public double blendedPerMtok(Target t) {
    return priceFor(t).map(p -> (p.inputPerMtok().value() + p.outputPerMtok().value()) / 1e6).orElse(Double.NaN);
  }

  public Cost cost(Target t, TokenUsage usage) {
    return CostCalculator.cost(priceFor(t), usage);
  }

  String catalogVersion() {
    return catalog.version();
  }
}
