package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.extension.GatewayView;
import dev.sluice.extension.ProviderStatus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * {@code GET /admin/providers}: per target ({@code provider/model}), this replica's live view —
 * breaker state (when it opened, when it next lets a probe through), adaptive concurrency limit
 * against attempts in flight, Retry-After cool-down, the rate-limit headroom the provider last
 * reported (with when), counts of attempts, successes, retries, hedges, fallbacks and errors since
 * the start, and the last errors (status, error class, a message redacted of provider credentials).
 * Configured targets that were never called are listed with zero counts. Takes no parameters; reads
 * memory only, so it answers on the event loop.
 */
final class ProviderAdmin {
  private final GatewayView view;

  ProviderAdmin(GatewayView view) {
    this.view = view;
  }

  void mount(Router router) {
    router.get("/admin/providers").handler(this::providers);
  }

  private void providers(RoutingContext ctx) {
    if (!ctx.queryParams().isEmpty()) {
      String p = ctx.queryParams().names().iterator().next();
      AdminErrors.invalid(ctx, p, "Unknown parameter '" + p + "'; /admin/providers takes none");
      return;
    }
    ProviderStatus.Report report = view.providers();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("since", report.since().toString());
    ArrayNode targets = body.putArray("targets");
    report.targets().forEach(t -> target(targets.addObject(), t));
    KeyAdmin.json(ctx, 200, body);
  }

  private static void target(ObjectNode o, ProviderStatus t) {
    o.put("target", t.target());
    o.put("provider", t.provider());
    o.put("model", t.model());
    ObjectNode b = o.putObject("breaker");
    b.put("state", t.breaker().state());
    instant(b, "opened_at", t.breaker().openedAt());
    instant(b, "next_probe_at", t.breaker().nextProbeAt());
    b.put("openings", t.breaker().openings());
    concurrency(o.putObject("concurrency"), t.concurrency());
    instant(o, "cooling_until", t.coolingUntil());
    if (t.headroom() == null) {
      o.putNull("headroom");
    } else {
      ObjectNode h = o.putObject("headroom");
      quota(h, "requests", t.headroom().requests());
      quota(h, "tokens", t.headroom().tokens());
      instant(h, "seen_at", t.headroom().seenAt());
    }
    ObjectNode n = o.putObject("counts");
    n.put("attempts", t.counts().attempts());
    n.put("successes", t.counts().successes());
    n.put("retries", t.counts().retries());
    n.put("hedges", t.counts().hedges());
    n.put("fallbacks", t.counts().fallbacks());
    n.put("errors", t.counts().errors());
    ArrayNode errors = o.putArray("recent_errors");
    for (ProviderStatus.RecentError e : t.recentErrors()) {
      ObjectNode x = errors.addObject();
      instant(x, "at", e.at());
      x.put("status", e.status());
      x.put("error_class", e.errorClass());
      x.put("message", e.message());
    }
  }

  private static void concurrency(ObjectNode c, ProviderStatus.Concurrency limit) {
    c.put("limit", limit.limit());
    c.put("in_flight", limit.inFlight());
    ObjectNode latency = c.putObject("latency_ms");
    latency.put("baseline", limit.baselineMs());
    latency.put("smoothed", limit.latencyMs());
    ObjectNode cuts = c.putObject("cuts");
    cuts.put("latency", limit.latencyCuts());
    cuts.put("dropped", limit.dropCuts());
    ProviderStatus.Cut last = limit.lastCut();
    if (last == null) {
      cuts.putNull("last");
      return;
    }
    ObjectNode l = cuts.putObject("last");
    l.put("cause", last.cause());
    l.put("from", last.from());
    l.put("to", last.to());
    l.put("in_flight", last.inFlight());
    instant(l, "at", last.at());
  }

  private static void quota(ObjectNode parent, String name, ProviderStatus.Quota q) {
    if (q == null) {
      parent.putNull(name);
      return;
    }
    ObjectNode o = parent.putObject(name);
    o.put("limit", q.limit());
    o.put("remaining", q.remaining());
    o.put("reset", q.reset());
  }

  private static void instant(ObjectNode o, String name, Instant at) {
    if (at == null) {
      o.putNull(name);
    } else {
      o.put(name, at.toString());
    }
  }
}
