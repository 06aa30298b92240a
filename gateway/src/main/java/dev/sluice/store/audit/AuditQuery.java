package dev.sluice.store.audit;

import java.time.Instant;

/**
 * A page of the audit log, newest first: every filter that is set must match ({@code null} means
 * any). Immutable; start from {@link #newest(int)}.
 *
 * @param actor only this admin credential's writes
 * @param action only this action ({@code key.update})
 * @param target only writes to this key id or team name
 * @param from inclusive lower bound of the time
 * @param to exclusive upper bound of the time
 * @param after only entries older than this position (the cursor of the previous page)
 * @param limit the most entries of the page, 1..{@value #MAX_LIMIT}
 */
public record AuditQuery(String actor, String action, String target, Instant from, Instant to, AuditPosition after,
    int limit) {

  public static final int MAX_LIMIT = 500;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Every entry, newest first, {@code limit} to a page. */
  public static AuditQuery newest(int limit) {
    return new AuditQuery(null, null, null, null, null, null, limit);
  }

  public AuditQuery actor(String actor) {
    return new AuditQuery(actor, action, target, from, to, after, limit);
  }

  public AuditQuery action(String action) {
    return new AuditQuery(actor, action, target, from, to, after, limit);
  }

  public AuditQuery target(String target) {
    return new AuditQuery(actor, action, target, from, to, after, limit);
  }

  public AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(actor, action, target, from, to, after, limit);
  }

  public AuditQuery after(AuditPosition position) {
    return new AuditQuery(actor, action, target, from, to, position, limit);
  }
}
