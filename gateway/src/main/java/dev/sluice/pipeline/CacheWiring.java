package dev.sluice.pipeline;

import dev.sluice.billing.Accountant;
import dev.sluice.cache.CachePolicy;
import dev.sluice.cache.CacheScope;
import dev.sluice.cache.Coalescer;
import dev.sluice.cache.ResponseCache;
import dev.sluice.config.CacheConfig;
import dev.sluice.config.ModelConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Ticker;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.observe.ledger.LedgerWriter;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.HashMap;
import java.util.Map;

/** Builds the response cache from the model entries' {@code cache:} (shared through Redis when configured). */
final class CacheWiring {
  private CacheWiring() {}

  static ResponseCaching caching(Vertx vertx, SluiceConfig config, Ticker ticker, GatewayMetrics metrics,
      Redis redis, LedgerWriter ledger, Accountant accountant) {
    Map<String, CachePolicy> policies = new HashMap<>();
    Map<String, String> fingerprints = new HashMap<>();
    for (ModelConfig m : config.models()) {
      CacheConfig c = m.cache();
      if (c == null) {
        continue;
      }
      policies.put(m.name(), new CachePolicy(c.ttl(), c.maxEntryBytes(), c.maxBytes(), c.nondeterministic(),
          CacheScope.parse(c.scope()), c.coalesce(), c.coalesceWait()));
      // The entry's targets are part of the key: answers of an entry whose targets changed are not served.
      StringBuilder fp = new StringBuilder(m.name());
      for (ModelConfig.TargetConfig t : m.targets()) {
        fp.append('|').append(t.provider()).append('/').append(t.model());
      }
      fingerprints.put(m.name(), fp.toString());
    }
    ResponseCache cache = new ResponseCache(policies, ticker, redis);
    Coalescer coalescer = new Coalescer(vertx);
    ResponseCaching caching = new ResponseCaching(cache, coalescer, policies, fingerprints, ledger, accountant);
    if (!policies.isEmpty()) {
      metrics.responseCache(caching.hits::sum, caching.misses::sum, caching.bypasses::sum, caching.refreshes::sum,
          cache::bytes, cache::entries, coalescer::waiting);
    }
    return caching;
  }
}
