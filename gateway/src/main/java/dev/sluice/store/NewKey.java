package dev.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A key to insert. The store receives only the digest and the display prefix of the plain key
 * (see {@link KeyHashes}); build from a plain key with {@link #fromPlainKey}, which computes both.
 *
 * <p>Typed columns: {@code models} is a list of model names ({@code null} = every model; stored as
 * a JSON array); {@code limitsJson} and {@code metadataJson} are JSON object text, opaque to the
 * store (checked to be a JSON object, stored and returned as given) so that the admission and
 * admin code own their shape. Instants are kept to the millisecond.
 *
 * @param id primary key, e.g. {@code key_7f3a…} ({@link KeyHashes#newId})
 * @param keyHash lower-case hex SHA-256 of the plain key; unique
 * @param keyPrefix the first characters of the plain key, for display
 * @param team the owning team's name, or {@code null}
 * @param budget a cap of the key's own, or {@code null}
 * @param expiresAt when the key stops working, or {@code null} for never
 * @param createdAt from the caller's clock (time is injected)
 */
public record NewKey(String id, String keyHash, String keyPrefix, String name, String team, List<String> models,
    String limitsJson, Budget budget, String metadataJson, Instant expiresAt, Instant createdAt) {

  public NewKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!keyHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("keyHash must be lower-case hex SHA-256 (64 characters)");
    }
    models = models == null ? null : List.copyOf(models);
    JsonText.requireObject("limitsJson", limitsJson);
    JsonText.requireObject("metadataJson", metadataJson);
    expiresAt = Millis.truncate(expiresAt);
    createdAt = Millis.truncate(createdAt);
  }

  /** Starts a key from its plain text: the digest and prefix are computed here, the text is not kept. */
  public static Builder fromPlainKey(String id, String plainKey, String name, Instant createdAt) {
    return new Builder(id, KeyHashes.sha256Hex(plainKey), KeyHashes.prefix(plainKey), name, createdAt);
  }

  /** Starts a key whose digest was computed elsewhere. */
  public static Builder fromHash(String id, String keyHash, String keyPrefix, String name, Instant createdAt) {
    return new Builder(id, keyHash, keyPrefix, name, createdAt);
  }

  /** Collects the optional fields; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final String keyHash;
    private final String keyPrefix;
    private final String name;
    private final Instant createdAt;
    private String team;
    private List<String> models;
    private String limitsJson;
    private Budget budget;
    private String metadataJson;
    private Instant expiresAt;

    private Builder(String id, String keyHash, String keyPrefix, String name, Instant createdAt) {
      this.id = id;
      this.keyHash = keyHash;
      this.keyPrefix = keyPrefix;
      this.name = name;
      this.createdAt = createdAt;
    }

    public Builder team(String team) {
      this.team = team;
      return this;
    }

    /** {@code null} (the default) allows every model. */
    public Builder models(List<String> models) {
      this.models = models;
      return this;
    }

    public Builder limitsJson(String limitsJson) {
      this.limitsJson = limitsJson;
      return this;
    }

    public Builder budget(Budget budget) {
      this.budget = budget;
      return this;
    }

    public Builder metadataJson(String metadataJson) {
      this.metadataJson = metadataJson;
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public NewKey build() {
      return new NewKey(id, keyHash, keyPrefix, name, team, models, limitsJson, budget, metadataJson, expiresAt,
          createdAt);
    }
  }
}
