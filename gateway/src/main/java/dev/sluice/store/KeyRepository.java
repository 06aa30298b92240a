package dev.sluice.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Client keys, found by the SHA-256 of the presented key. Never on the hot path: the auth layer
 * keeps an in-memory cache fed from here. All calls run JDBC on the store's worker pool.
 */
public interface KeyRepository {

  /** Inserts a key; fails with a {@link StoreException#conflict() conflict} if its id or hash exists. */
  Future<StoredKey> insert(NewKey key);

  /** The key with this digest, revoked and expired ones included (see {@link StoredKey#usableAt}). */
  Future<Optional<StoredKey>> findByHash(String keyHash);

  /** The key with this id, revoked and expired ones included. */
  Future<Optional<StoredKey>> findById(String id);

  /** Every key ({@code team == null}) or a team's keys, oldest first. */
  Future<List<StoredKey>> list(String teamOrNull);

  /**
   * Marks the key revoked as of {@code at}. True if it was active and now is revoked; false if no
   * such key or it was revoked already (the first revocation time is kept).
   */
  Future<Boolean> revoke(String id, Instant at);

  /** Applies a partial change (see {@link KeyUpdate}). True if the key exists. */
  Future<Boolean> update(String id, KeyUpdate update);
}
