package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.extension.AdminMount;
import dev.sluice.extension.ConsoleSession;
import dev.sluice.extension.GatewayView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The admin API under {@code /admin/...}, guarded by the master key ({@code Authorization: Bearer}
 * or {@code x-api-key}); a client key gets 401, whatever route it tries. Off (403) when no master
 * key is configured. Without a key header, the web console's session of the master key
 * ({@link ConsoleSession}) is accepted too (a write only with its CSRF token, else 403; audited as
 * {@code console:<session id prefix>}); a client key's session gets 403.
 *
 * <ul>
 *   <li>{@code POST /admin/keys}, {@code GET /admin/keys[?team=]}, {@code GET|PATCH|DELETE /admin/keys/{id}}
 *       ({@link KeyAdmin});
 *   <li>{@code POST /admin/teams}, {@code GET /admin/teams}, {@code GET /admin/teams/{name}},
 *       {@code GET /admin/spend} ({@link TeamAdmin});
 *   <li>{@code GET /admin/requests}, {@code GET /admin/requests/{id}} ({@link RequestAdmin});
 *   <li>{@code GET /admin/stats}: latency, TTFT, overhead percentiles, requests, errors, tokens and cost
 *       over time, merged across replicas ({@link StatsAdmin});
 *   <li>{@code GET /admin/audit}: the audit log of every admin write ({@link AuditAdmin}), recorded by
 *       {@link AdminAudit} through which every write route is mounted;
 *   <li>{@code POST /admin/cost/estimate}, {@code POST /admin/cost/replay}, {@code GET /admin/cost/savings}
 *       ({@link CostAdmin});
 *   <li>{@code GET /admin/shadow?model=&from=&to=}: shadow candidates compared with their primary ({@link ShadowAdmin});
 *   <li>{@code GET /admin/config}: the effective config, secrets redacted, with its check; {@code POST
 *       /admin/config/reload}: reload the config file ({@link ConfigAdmin});
 *   <li>{@code GET /admin/providers}: per target breaker, concurrency, headroom, activity and recent
 *       errors ({@link ProviderAdmin});
 *   <li>{@code GET /admin/canary[/{model}]}, {@code POST /admin/canary/{model}/restart|pause|resume|rollback}
 *       ({@link CanaryAdmin});
 *   <li>{@code GET /admin/breakers}.
 * </ul>
 *
 * <p>Time and randomness are injected: the wall clock stamps creation, revocation and audit
 * entries, the random source draws key ids, audit entry ids and plain keys (a {@link SecureRandom}
 * unless a test gives another).
 */
public final class AdminRoutes implements AdminMount {
  private static final long MAX_BODY_BYTES = 1 << 20;

  private final Clock clock;
  private final RandomGenerator random;

  public AdminRoutes() {
    this(Clock.systemUTC(), new SecureRandom());
  }

  public AdminRoutes(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public void mount(Router router, GatewayView view) {
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.route("/admin/*").handler(ctx -> guard(ctx, view));
    router.get("/admin/breakers").handler(ctx -> breakers(ctx, view));
    AdminAudit audit = new AdminAudit(view.store().audit(), clock, random);
    new KeyAdmin(view, clock, random, audit).mount(router);
    new TeamAdmin(view, clock, audit).mount(router);
    new RequestAdmin(view).mount(router);
    new StatsAdmin(view, clock).mount(router);
    new AuditAdmin(view).mount(router);
    new CostAdmin(view, clock, audit).mount(router);
    new ShadowAdmin(view, clock).mount(router);
    new ConfigAdmin(view, audit).mount(router);
    new ProviderAdmin(view).mount(router);
    new CanaryAdmin(view, audit).mount(router);
    audit.requireAllWritesAudited(router);
  }

  private static void guard(RoutingContext ctx, GatewayView view) {
    if (!view.hasMasterKey()) {
      AdminErrors.write(ctx, 403, "permission_error", "The admin API is off: set server.master_key to enable it");
      return;
    }
    String auth = ctx.request().getHeader("authorization");
    String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim()
        : ctx.request().getHeader("x-api-key");
    ConsoleSession session = ctx.get(ConsoleSession.KEY); // only there when no key header was sent
    if (session != null && auth == null && ctx.request().getHeader("x-api-key") == null) {
      if (!session.admin()) {
        AdminErrors.write(ctx, 403, "permission_error", "A client key's console session cannot use the admin API");
      } else if (!session.writeAllowed(ctx.request())) {
        AdminErrors.write(ctx, 403, "permission_error", "csrf_token_missing", null,
            "A write made with the console's session cookie needs its CSRF token in the x-csrf-token header");
      } else {
        ctx.put(AdminAudit.ACTOR, session.actor());
        ctx.next();
      }
      return;
    }
    if (presented == null || !view.isMasterKey(presented)) {
      AdminErrors.write(ctx, 401, "authentication_error", "The admin API needs the master key");
      return;
    }
    ctx.put(AdminAudit.ACTOR, AdminAudit.masterActor(presented)); // the master key is the one admin credential
    ctx.next();
  }

  private static void breakers(RoutingContext ctx, GatewayView view) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode targets = body.putObject("breakers");
    new TreeMap<>(view.breakerStates()).forEach(targets::put);
    ctx.response().putHeader("content-type", "application/json").end(Json.toBuffer(body));
  }
}
