package dev.sluice.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial change to a key. Each component says what to do with one column: {@code null} leaves
 * it unchanged, {@code Optional.empty()} sets it to {@code NULL}, {@code Optional.of(v)} sets it
 * to {@code v}. Build with {@link #builder()}: a setter not called leaves the column alone, a
 * setter called with {@code null} clears it. The key hash, prefix, id and creation time never
 * change (rotate by inserting a new key and revoking the old one); revocation has its own call.
 */
public record KeyUpdate(String name, Optional<String> team, Optional<List<String>> models,
    Optional<String> limitsJson, Optional<Budget> budget, Optional<String> metadataJson,
    Optional<Instant> expiresAt) {

  public KeyUpdate {
    if (limitsJson != null) {
      limitsJson.ifPresent(j -> JsonText.requireObject("limitsJson", j));
    }
    if (metadataJson != null) {
      metadataJson.ifPresent(j -> JsonText.requireObject("metadataJson", j));
    }
    if (models != null) {
      models = models.map(List::copyOf);
    }
    if (expiresAt != null) {
      expiresAt = expiresAt.map(Millis::truncate);
    }
  }

  /** True when nothing would change. */
  public boolean isEmpty() {
    return name == null && team == null && models == null && limitsJson == null && budget == null
        && metadataJson == null && expiresAt == null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Not thread-safe. */
  public static final class Builder {
    private String name;
    private Optional<String> team;
    private Optional<List<String>> models;
    private Optional<String> limitsJson;
    private Optional<Budget> budget;
    private Optional<String> metadataJson;
    private Optional<Instant> expiresAt;

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "a key always has a name");
      return this;
    }

    public Builder team(String team) {
      this.team = Optional.ofNullable(team);
      return this;
    }

    /** {@code null} allows every model. */
    public Builder models(List<String> models) {
      this.models = Optional.ofNullable(models);
      return this;
    }

    public Builder limitsJson(String limitsJson) {
      this.limitsJson = Optional.ofNullable(limitsJson);
      return this;
    }

    public Builder budget(Budget budget) {
      this.budget = Optional.ofNullable(budget);
      return this;
    }

    public Builder metadataJson(String metadataJson) {
      this.metadataJson = Optional.ofNullable(metadataJson);
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = Optional.ofNullable(expiresAt);
      return this;
    }

    public KeyUpdate build() {
      return new KeyUpdate(name, team, models, limitsJson, budget, metadataJson, expiresAt);
    }
  }
}
