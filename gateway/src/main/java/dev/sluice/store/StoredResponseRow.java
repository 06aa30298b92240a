package dev.sluice.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A response OpenAI stores for a request passed through, and whose it is.
 *
 * @param responseId OpenAI's id ({@code resp_...})
 * @param keyId the client key that created it
 * @param provider the configured provider (by name) that holds it
 * @param createdAt when Sluice recorded it
 */
public record StoredResponseRow(String responseId, String keyId, String provider, Instant createdAt) {
  public StoredResponseRow {
    Objects.requireNonNull(responseId, "responseId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
