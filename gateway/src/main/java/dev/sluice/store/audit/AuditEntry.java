package dev.sluice.store.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One admin write in the audit log. Holds no secret: {@code actor} is the admin credential's id,
 * never the credential, and {@code beforeJson} / {@code afterJson} are the admin API's views of the
 * target, which never hold a plain key or a key hash. Immutable.
 *
 * @param id the entry's id ({@code aud_…})
 * @param ts when the write arrived; kept to the millisecond
 * @param actor the admin credential's id ({@code master:1a2b3c4d})
 * @param clientIp the peer's address; null when unknown
 * @param method POST | PATCH | PUT | DELETE
 * @param route the route pattern ({@code /admin/keys/:id})
 * @param path the concrete path ({@code /admin/keys/key_7f3a…})
 * @param action what the route does ({@code key.create}, {@code key.update}, {@code team.upsert} …)
 * @param target the key id or team name written; null when not known (a body that did not parse)
 * @param status the HTTP status answered; null while the outcome is not recorded (see {@link AuditLog})
 * @param error the error message answered; null on success
 * @param beforeJson the target before the write, a JSON object; null when it did not exist or was not read
 * @param afterJson the target after the write, a JSON object; null when the write failed
 */
public record AuditEntry(String id, Instant ts, String actor, String clientIp, String method, String route,
    String path, String action, String target, Integer status, String error, String beforeJson, String afterJson) {

  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(action, "action");
    if (id.isEmpty() || actor.isEmpty() || action.isEmpty()) {
      throw new IllegalArgumentException("an audit entry needs an id, an actor and an action");
    }
    if (status != null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    ts = ts.truncatedTo(ChronoUnit.MILLIS);
  }

  /** An entry written ahead of its write: everything known on arrival, outcome not yet. */
  public static AuditEntry pending(String id, Instant ts, String actor, String clientIp, String method, String route,
      String path, String action, String target) {
    return new AuditEntry(id, ts, actor, clientIp, method, route, path, action, target, null, null, null, null);
  }

  /** This entry with its outcome. */
  public AuditEntry completed(String target, int status, String error, String beforeJson, String afterJson) {
    return new AuditEntry(id, ts, actor, clientIp, method, route, path, action, target, status, error, beforeJson,
        afterJson);
  }

  /** Whether its outcome is recorded. */
  public boolean isComplete() {
    return status != null;
  }
}
