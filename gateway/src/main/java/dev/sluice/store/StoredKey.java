package dev.sluice.store;

import java.time.Instant;
import java.util.List;

/**
 * A key as stored: {@link NewKey}'s fields plus {@code revokedAt}. Returned whatever its state;
 * callers decide with {@link #usableAt(Instant)} (a revoked or expired key is still listed and
 * found, so auth can tell "revoked" from "unknown"). Field meanings as in {@link NewKey}.
 */
public record StoredKey(String id, String keyHash, String keyPrefix, String name, String team, List<String> models,
    String limitsJson, Budget budget, String metadataJson, Instant expiresAt, Instant revokedAt, Instant createdAt) {

  public StoredKey {
    models = models == null ? null : List.copyOf(models);
  }

  /** Neither revoked nor expired at {@code now}. */
  public boolean usableAt(Instant now) {
    return (revokedAt == null || now.isBefore(revokedAt)) && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** Whether this key may call {@code model} ({@code models == null} allows all). */
  public boolean allowsModel(String model) {
    return models == null || models.contains(model);
  }
}
