package dev.sluice.tenancy;

import dev.sluice.config.LimitsConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.core.Ticker;
import dev.sluice.observe.GatewayMetrics;
import dev.sluice.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks client keys from {@code Authorization: Bearer} or {@code x-api-key}. Keys are known only
 * by their SHA-256 digest: the static keys of the config file (and the master key) in a map made
 * once, the stored keys (created through the admin API) through a {@link KeyCache} in front of
 * the store, so a known key never costs a database round-trip. Looking up by digest also keeps the
 * time taken independent of how much of a guess matches a real key.
 *
 * <p>Only keys shaped like the ones the admin API issues ({@value #STORED_KEY_PREFIX}…) are looked
 * up in the store; anything else that is not a static key is refused without a lookup.
 *
 * <p>Threading: thread-safe; {@link #authenticate} never blocks. Lifecycle: {@link #close} stops
 * the Redis invalidation listener, if any.
 */
public final class ClientAuth {
  /** Every key the admin API issues starts with this. */
  static final String STORED_KEY_PREFIX = "sk-sluice-";
  private static final int MIN_STORED_KEY_LENGTH = STORED_KEY_PREFIX.length() + 16;
  private static final int MAX_STORED_KEY_LENGTH = 256;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Static key digest → who; replaced whole by a config reload ({@link #reloadKeys}). */
  private volatile Map<String, AuthResult> statics;
  private final KeyCache stored;
  private final KeyInvalidation invalidation;
  private volatile boolean enabled;
  private final SecretDigest master;
  private final String masterKey;

  /**
   * @param keys static plain key → who it is
   * @param masterKey the master key (also one of {@code keys}), or null
   * @param stored stored-key lookups, or null for none
   * @param invalidation cross-replica invalidation, or null for this replica only
   */
  ClientAuth(Map<String, Principal> keys, String masterKey, KeyCache stored, KeyInvalidation invalidation) {
    this.statics = digests(keys);
    this.enabled = !keys.isEmpty();
    this.master = SecretDigest.of(masterKey);
    this.masterKey = masterKey;
    this.stored = stored;
    this.invalidation = invalidation;
  }

  /**
   * Builds the gateway's auth from the config: its static keys and master key, the store's keys
   * through a cache, and (with {@code redis:} configured) invalidation across replicas. Completes
   * once the invalidation channel's first subscription attempt is over.
   */
  public static Future<ClientAuth> start(Vertx vertx, SluiceConfig config, Store store, Ticker ticker,
      GatewayMetrics metrics) {
    String master = config.server().masterKey();
    Map<String, Principal> keys = staticKeys(config, master);
    KeyCache cache = store == null ? null
        : new KeyCache(store.keys(), KeyCache.Options.DEFAULTS, ticker, Clock.systemUTC());
    if (cache != null) {
      metrics.keyLookups("cache_hit", cache.hits::sum);
      metrics.keyLookups("store_found", cache.found::sum);
      metrics.keyLookups("store_unknown", cache.unknown::sum);
      metrics.keyLookups("store_error", cache.failed::sum);
      metrics.keyLookups("busy", cache.busy::sum);
    }
    String redis = config.flow().redisUrl();
    if (cache == null || redis == null) {
      return Future.succeededFuture(new ClientAuth(keys, master, cache, null));
    }
    return KeyInvalidation.start(vertx, redis, cache::invalidate, cache::invalidateAll)
        .map(inv -> new ClientAuth(keys, master, cache, inv));
  }

  /**
   * A config reload: the static keys become those of {@code next} (a key removed from the file is
   * refused from the next request on; one whose settings changed has them from then on). The master
   * key is the one the gateway started with: changing it needs a restart.
   */
  public void reloadKeys(SluiceConfig next) {
    Map<String, Principal> keys = staticKeys(next, masterKey);
    statics = digests(keys);
    enabled = !keys.isEmpty();
  }

  private static Map<String, Principal> staticKeys(SluiceConfig config, String master) {
    Map<String, Principal> keys = new HashMap<>();
    config.keys().forEach(k -> keys.put(k.key(), new Principal(k.name(), null, k.team(), k.priority(),
        k.allowPriorityHeader(), k.limits(), k.budget(), k.models())));
    if (master != null) {
      keys.put(master, new Principal("master", null, null, "high", true, LimitsConfig.NONE, null, List.of()));
    }
    return keys;
  }

  private static Map<String, AuthResult> digests(Map<String, Principal> keys) {
    Map<String, AuthResult> out = new HashMap<>();
    keys.forEach((key, who) -> out.put(sha256Hex(key), AuthResult.accepted(who)));
    return Map.copyOf(out);
  }

  /** False when no key of any kind is configured: the API is then open (a warning is logged at start). */
  public boolean enabled() {
    return enabled;
  }

  /** The key presented in the headers ({@code Authorization: Bearer} wins), or null. */
  public static String presented(String authorization, String xApiKey) {
    String presented = xApiKey;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorization.substring(7).trim();
    }
    return presented == null || presented.isEmpty() ? null : presented;
  }

  /**
   * Who the key belongs to, or why it is refused. Completes at once for a static or cached key;
   * otherwise after one store lookup, on the caller's context. Never fails.
   */
  public Future<AuthResult> authenticate(String presented) {
    String hash = sha256Hex(presented);
    AuthResult known = statics.get(hash);
    if (known != null) {
      return known.future();
    }
    if (stored == null || !looksStored(presented)) {
      return AuthResult.UNKNOWN.future();
    }
    return stored.lookup(hash);
  }

  /**
   * As {@link #authenticate(String)}, for the key whose SHA-256 in lower-case hex is {@code keyHash}
   * (a web console session knows its key only by that): the same static map and the same cache, so
   * a revoked or expired key is refused here exactly when it is refused as a header. Never fails.
   */
  public Future<AuthResult> authenticateDigest(String keyHash) {
    AuthResult known = statics.get(keyHash);
    if (known != null) {
      return known.future();
    }
    if (stored == null || keyHash == null || keyHash.length() != 64) {
      return AuthResult.UNKNOWN.future();
    }
    return stored.lookup(keyHash);
  }

  /** As {@link #authenticate(String)} from the two auth headers; empty when none was sent. */
  Future<AuthResult> authenticate(String authorization, String xApiKey) {
    String presented = presented(authorization, xApiKey);
    return presented == null ? AuthResult.UNKNOWN.future() : authenticate(presented);
  }

  /** Whether {@code presented} is the master key (constant time over the digests). */
  public boolean isMaster(String presented) {
    return master != null && master.matches(presented);
  }

  public boolean hasMaster() {
    return master != null;
  }

  /**
   * A stored key changed (revoked, updated, created): forget it here at once, and tell the other
   * replicas when Redis is configured. Completes when the message is published (or at once).
   */
  public Future<Void> keyChanged(String keyHash) {
    if (stored != null) {
      stored.invalidate(keyHash);
    }
    return invalidation == null ? Future.succeededFuture() : invalidation.publish(keyHash);
  }

  /** The stored-key cache, or null. */
  KeyCache cache() {
    return stored;
  }

  public Future<Void> close() {
    return invalidation == null ? Future.succeededFuture() : invalidation.close();
  }

  private static boolean looksStored(String presented) {
    int n = presented.length();
    return n >= MIN_STORED_KEY_LENGTH && n <= MAX_STORED_KEY_LENGTH && presented.startsWith(STORED_KEY_PREFIX);
  }

  /** Lower-case hex SHA-256, the form the store keeps ({@code KeyHashes.sha256Hex}). */
  static String sha256Hex(String key) {
    byte[] d = SecretDigest.sha256(key);
    char[] out = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }
}
