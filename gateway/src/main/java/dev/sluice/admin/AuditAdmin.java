package dev.sluice.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.extension.GatewayView;
import dev.sluice.observe.ledger.RequestLogParams;
import dev.sluice.store.audit.AuditEntry;
import dev.sluice.store.audit.AuditPage;
import dev.sluice.store.audit.AuditPosition;
import dev.sluice.store.audit.AuditQuery;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;

/**
 * {@code GET /admin/audit}: the admin audit log, newest first, filtered by actor, action, target
 * and time, a cursor page at a time — the same paging and time parameters as
 * {@code /admin/requests} ({@code from}/{@code to}, also spelled {@code since}/{@code until}).
 */
final class AuditAdmin {
  static final int DEFAULT_LIMIT = 50;
  private static final Set<String> PARAMS = Set.of("actor", "action", "target", "from", "to", "since", "until",
      "cursor", "limit");

  private final GatewayView view;

  AuditAdmin(GatewayView view) {
    this.view = view;
  }

  void mount(Router router) {
    router.get("/admin/audit").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    AuditQuery q;
    try {
      q = query(ctx.queryParams());
    } catch (RequestLogParams.BadParam e) { // the request log's readers of time bounds and text
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    } catch (AdminInput.Invalid e) {
      AdminErrors.invalid(ctx, e.param, e.getMessage());
      return;
    }
    view.store().audit().list(q)
        .onSuccess(page -> KeyAdmin.json(ctx, 200, page(page)))
        .onFailure(e -> AdminErrors.storeFailed(ctx, e));
  }

  /** The query the parameters ask for; a blank value counts as absent. */
  static AuditQuery query(MultiMap params) {
    for (String name : params.names()) {
      if (!PARAMS.contains(name)) {
        throw new AdminInput.Invalid(name, "Unknown parameter '" + name + "'; allowed: "
            + String.join(", ", PARAMS.stream().sorted().toList()));
      }
      if (params.getAll(name).size() > 1) {
        throw new AdminInput.Invalid(name, "Parameter '" + name + "' is given more than once");
      }
    }
    int limit = DEFAULT_LIMIT;
    String limitText = RequestLogParams.value(params, "limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw new AdminInput.Invalid("limit", "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT
            + ", got '" + limitText + "'");
      }
    }
    Instant from = time(params, "from", "since");
    Instant to = time(params, "to", "until");
    if (from != null && to != null && to.isBefore(from)) {
      throw new AdminInput.Invalid(params.contains("to") ? "to" : "until", "to is before from");
    }
    AuditQuery q = AuditQuery.newest(limit).actor(RequestLogParams.text(params, "actor"))
        .action(RequestLogParams.text(params, "action")).target(RequestLogParams.text(params, "target"))
        .between(from, to);
    String cursor = RequestLogParams.value(params, "cursor");
    if (cursor != null) {
      try {
        q = q.after(AuditPosition.parseCursor(cursor));
      } catch (IllegalArgumentException e) {
        throw new AdminInput.Invalid("cursor", "cursor must be a next_cursor this API returned");
      }
    }
    return q;
  }

  /** A page: {@code {"object":"list","data":[…],"has_more":…,"next_cursor":…}}. */
  static ObjectNode page(AuditPage page) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    page.entries().forEach(e -> data.add(entry(e)));
    o.put("has_more", page.next() != null);
    if (page.next() == null) {
      o.putNull("next_cursor");
    } else {
      o.put("next_cursor", page.next().cursor());
    }
    return o;
  }

  static ObjectNode entry(AuditEntry e) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("object", "sluice.audit_entry");
    o.put("id", e.id());
    o.put("created_at", e.ts().toString());
    o.put("actor", e.actor());
    o.put("client_ip", e.clientIp());
    o.put("method", e.method());
    o.put("route", e.route());
    o.put("path", e.path());
    o.put("action", e.action());
    o.put("target", e.target());
    o.put("status", e.status());
    o.put("error", e.error());
    o.set("before", json(e.beforeJson()));
    o.set("after", json(e.afterJson()));
    return o;
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    if (text == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return JsonNodeFactory.instance.nullNode(); // the store checked it on the way in
    }
  }

  /** One of two spellings of a time bound (a date, its start in UTC, or an ISO-8601 time with an offset). */
  private static Instant time(MultiMap params, String name, String alias) {
    String text = RequestLogParams.value(params, name);
    String alt = RequestLogParams.value(params, alias);
    if (text != null && alt != null) {
      throw new AdminInput.Invalid(alias, "Give " + name + " or " + alias + ", not both");
    }
    String param = text != null ? name : alias;
    text = text != null ? text : alt;
    if (text == null) {
      return null;
    }
    return RequestLogParams.time(text, param);
  }
}
