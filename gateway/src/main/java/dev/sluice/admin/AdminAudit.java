package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.KeyHashes;
import dev.sluice.store.audit.AuditEntry;
import dev.sluice.store.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every admin write in the audit log ({@link AuditLog}), written ahead: a write route
 * registered through {@link #write} first inserts a pending entry (time, actor, client IP, method,
 * route, path, action) and runs its handler only once that entry is durable — if it cannot be
 * written the write is refused with a 503 and changes nothing. Whatever the handler answers then
 * goes out through {@link #send}, which completes the entry (status, error, target, before, after)
 * before the answer leaves. So a write that changed something always has its entry: complete, or
 * pending if the process stopped (or the store failed) between the change and the answer.
 *
 * <p>The actor is the admin credential's id, put on the request by the guard ({@link #ACTOR}),
 * never the credential. Before and after are the admin API's views, and {@link AuditScrub} strips
 * what must not be kept from them (a created key's plain key, webhook URLs' secret parts).
 *
 * <p>One instance per router (per event loop); its handlers run on that event loop and the store
 * calls on the store's workers.
 */
final class AdminAudit {
  private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
  /** The request's admin credential id ({@link String}), set by the guard. */
  static final String ACTOR = "sluice.admin.actor";
  private static final String TRAIL = "sluice.admin.audit";
  private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final int MAX_ERROR = 1000;

  private final AuditLog log;
  private final Clock clock;
  private final RandomGenerator random;
  private final Set<Route> audited = Collections.newSetFromMap(new IdentityHashMap<>());

  AdminAudit(AuditLog log, Clock clock, RandomGenerator random) {
    this.log = log;
    this.clock = clock;
    this.random = random;
  }

  /** The id of the master key as an actor: {@code master:} and the first 8 hex digits of its SHA-256. */
  static String masterActor(String masterKey) {
    return "master:" + KeyHashes.sha256Hex(masterKey).substring(0, 8);
  }

  /** Mounts {@code handler} on {@code method path} as an audited write named {@code action} ({@code key.update}). */
  void write(Router router, HttpMethod method, String path, String action, Handler<RoutingContext> handler) {
    audited.add(router.route(method, path).handler(ctx -> open(ctx, method, path, action, handler)));
  }

  /**
   * Fails when a write route under {@code /admin} was mounted on {@code router} without
   * {@link #write}: no admin write goes unrecorded because someone forgot.
   */
  void requireAllWritesAudited(Router router) {
    for (Route r : router.getRoutes()) {
      String path = r.getPath();
      Set<HttpMethod> methods = r.methods();
      if (path != null && path.startsWith("/admin/") && methods != null
          && methods.stream().anyMatch(WRITES::contains) && !audited.contains(r)) {
        throw new IllegalStateException("Admin write route " + methods + " " + path + " is not audited: mount it "
            + "through AdminAudit.write");
      }
    }
  }

  private void open(RoutingContext ctx, HttpMethod method, String route, String action,
      Handler<RoutingContext> handler) {
    String actor = ctx.get(ACTOR);
    if (actor == null) { // only the guard lets a request this far, and it always names the actor
      AdminErrors.write(ctx, 401, "authentication_error", "The admin API needs the master key");
      return;
    }
    String target = ctx.pathParam("id") != null ? ctx.pathParam("id") : ctx.pathParam("name");
    String path = ctx.request().path();
    if (ctx.pathParam("id") != null && !KeyAdmin.looksLikeKeyId(target)) {
      // A plain key sent where its id belongs (revoking "by key") must not be kept, as target or path.
      target = null;
      path = route.replace(":id", "(not a key id)");
    }
    AuditEntry pending = AuditEntry.pending(newId(), clock.instant(), actor, clientIp(ctx), method.name(), route,
        path, action, target);
    Trail trail = new Trail(log, pending);
    ctx.put(TRAIL, trail);
    log.insert(pending).onComplete(ar -> {
      if (ar.succeeded()) {
        trail.written = true;
        handler.handle(ctx);
      } else {
        AdminErrors.storeFailed(ctx, ar.cause()); // nothing changed: the write is refused
      }
    });
  }

  /** The audit trail of this request; one that records nothing when the route is not an audited write. */
  static Trail trail(RoutingContext ctx) {
    Trail t = ctx.get(TRAIL);
    return t != null ? t : Trail.NONE;
  }

  /**
   * Answers {@code status} with {@code body} (JSON); on an audited write, first completes its
   * entry, {@code error} being the error message answered (null on success). The answer is sent
   * even if the entry cannot be completed (it stays pending, and the failure is logged).
   */
  static void send(RoutingContext ctx, int status, Buffer body, String error) {
    trail(ctx).finish(status, error).onComplete(ar -> {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
      }
    });
  }

  private String newId() {
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    return "aud_" + HexFormat.of().formatHex(bytes);
  }

  /** The peer's address: X-Forwarded-For is not trusted (Sluice has no notion of a trusted proxy). */
  private static String clientIp(RoutingContext ctx) {
    SocketAddress a = ctx.request().remoteAddress();
    return a == null ? null : a.hostAddress();
  }

  /** What one audited write will record: its target, before and after, set by its handler. Event-loop confined. */
  static final class Trail {
    static final Trail NONE = new Trail(null, null);

    private final AuditLog log;
    private final AuditEntry pending;
    private boolean written;
    private boolean finished;
    private String target;
    private ObjectNode before;
    private ObjectNode after;

    private Trail(AuditLog log, AuditEntry pending) {
      this.log = log;
      this.pending = pending;
      this.target = pending == null ? null : pending.target();
    }

    /** The key id or team name written. */
    Trail target(String target) {
      if (this != NONE) {
        this.target = target;
      }
      return this;
    }

    /** The target as it was, in the admin API's view; null when it did not exist. */
    Trail before(ObjectNode view) {
      if (this != NONE) {
        this.before = view;
      }
      return this;
    }

    /** The target as the write left it, in the admin API's view. */
    Trail after(ObjectNode view) {
      if (this != NONE) {
        this.after = view;
      }
      return this;
    }

    /** Completes the entry once; never fails (a failure is logged, the entry stays as it was). */
    Future<Void> finish(int status, String error) {
      if (this == NONE || finished) {
        return Future.succeededFuture();
      }
      finished = true;
      String message = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "…";
      AuditEntry done = pending.completed(target, status, message, json(AuditScrub.view(before)),
          json(AuditScrub.view(after)));
      // Written ahead: complete that entry. The ahead write failed (a 503, nothing changed): try the whole entry now.
      Future<Boolean> recorded = written ? log.complete(done) : log.insert(done).map(true);
      return recorded.transform(ar -> {
        if (ar.failed() || !ar.result()) {
          LOG.warn("Audit entry {} ({} {} → {}) could not be completed{}: it stays {}", done.id(), done.method(),
              done.path(), status, ar.failed() ? ": " + ar.cause() : "", written ? "pending" : "unwritten");
        }
        return Future.succeededFuture();
      });
    }

    private static String json(ObjectNode view) {
      return view == null ? null : view.toString();
    }
  }
}
