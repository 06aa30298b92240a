package dev.sluice.store.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A place in the audit log's newest-first order: entries sort by time, then id, both descending.
 * Its {@link #cursor()} is the opaque text the API hands out.
 */
public record AuditPosition(long tsMillis, String id) {
  private static final String VERSION = "a1";
  private static final String NOT_OURS = "not a cursor this API gave out";

  public AuditPosition {
    Objects.requireNonNull(id, "id");
  }

  public static AuditPosition of(AuditEntry entry) {
    return new AuditPosition(entry.ts().toEpochMilli(), entry.id());
  }

  /** Opaque to clients: URL-safe base64 of a versioned {@code ts:id}. */
  public String cursor() {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((VERSION + ":" + tsMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The position a cursor names; {@link IllegalArgumentException} when it is not one of ours. */
  public static AuditPosition parseCursor(String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(NOT_OURS);
    }
    String[] parts = text.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[2].isEmpty()) {
      throw new IllegalArgumentException(NOT_OURS);
    }
    try {
      return new AuditPosition(Long.parseLong(parts[1]), parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(NOT_OURS);
    }
  }
}
